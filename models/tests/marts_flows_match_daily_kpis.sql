-- The marts count move-ins, move-outs and applications exactly as occupancy_daily_metrics does:
-- for every fact day of the KPI window, the funnel's daily applications and move-ins and the
-- move-outs of moveouts equal the KPI row; and the weekly marts add up to the same totals per
-- week (move_events_weekly, property_churn_weekly, municipality_churn_weekly, moveouts_reason_weekly).
WITH w AS (SELECT window_start FROM {{ ref('kpi_window') }}),
kpi AS (
  SELECT snapshot_date, applications, new_moveins, new_moveouts
  FROM {{ ref('occupancy_daily_metrics') }}, w
  WHERE NOT is_projection AND snapshot_date >= w.window_start
),
funnel AS (
  SELECT day, SUM(applications) AS applications, SUM(moveins) AS moveins
  FROM {{ ref('funnel_application_to_movein_daily') }} GROUP BY day
),
mo AS (
  SELECT moveout_plans_date AS day, COUNT(*) AS moveouts FROM {{ ref('moveouts') }} GROUP BY moveout_plans_date
),
daily_failures AS (
  SELECT 'daily' AS check_name, CAST(k.snapshot_date AS VARCHAR) AS at_key,
         k.applications AS expected_a, COALESCE(f.applications, 0) AS got_a,
         k.new_moveins AS expected_i, COALESCE(f.moveins, 0) AS got_i,
         k.new_moveouts AS expected_o, COALESCE(m.moveouts, 0) AS got_o
  FROM kpi k
  LEFT JOIN funnel f ON f.day = k.snapshot_date
  LEFT JOIN mo m ON m.day = k.snapshot_date
  WHERE k.applications <> COALESCE(f.applications, 0) OR k.new_moveins <> COALESCE(f.moveins, 0)
     OR k.new_moveouts <> COALESCE(m.moveouts, 0)
),
ev AS (SELECT week_start, SUM(moveins) AS i, SUM(moveouts) AS o FROM {{ ref('move_events_weekly') }} GROUP BY week_start),
pc AS (SELECT week_start, SUM(moveins) AS i, SUM(moveouts) AS o FROM {{ ref('property_churn_weekly') }} GROUP BY week_start),
mc AS (SELECT week_start, SUM(moveins) AS i, SUM(moveouts) AS o FROM {{ ref('municipality_churn_weekly') }} GROUP BY week_start),
rw AS (SELECT week_start, SUM(moveout_count) AS o FROM {{ ref('moveouts_reason_weekly') }} GROUP BY week_start),
weekly_failures AS (
  SELECT 'weekly' AS check_name, CAST(ev.week_start AS VARCHAR) AS at_key,
         ev.i AS expected_a, pc.i AS got_a, ev.i AS expected_i, mc.i AS got_i, ev.o AS expected_o, COALESCE(rw.o, -1) AS got_o
  FROM ev
  LEFT JOIN pc ON pc.week_start = ev.week_start
  LEFT JOIN mc ON mc.week_start = ev.week_start
  LEFT JOIN rw ON rw.week_start = ev.week_start
  WHERE pc.i IS DISTINCT FROM ev.i OR mc.i IS DISTINCT FROM ev.i
     OR pc.o IS DISTINCT FROM ev.o OR mc.o IS DISTINCT FROM ev.o
     OR (ev.o > 0 AND rw.o IS DISTINCT FROM ev.o)
)
SELECT * FROM daily_failures
UNION ALL
SELECT * FROM weekly_failures
