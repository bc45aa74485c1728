{{ config(materialized='table', tags=['gold', 'mart', 'moveins', 'moveouts']) }}
-- Week (Monday) x tenant type x nationality x building: move-ins (non-cancelled movings of M
-- by move_in_date) and confirmed move-outs (movings of M by moveout_plans_date). Counts add up
-- over any filter. Weeks after the as-of date hold scheduled events (is_partial).
WITH events AS (
  SELECT move_in_week_start AS week_start, tenant_type, nationality_code, apartment_id,
         1 AS movein, 0 AS moveout, CASE WHEN move_in_date > x.as_of_date THEN 1 ELSE 0 END AS scheduled_in, 0 AS scheduled_out
  FROM {{ ref('mart_contract_base') }} CROSS JOIN {{ ref('load_as_of') }} x WHERE is_movein
  UNION ALL
  SELECT moveout_week_start, tenant_type, nationality_code, apartment_id,
         0, 1, 0, CASE WHEN moveout_plans_date > x.as_of_date THEN 1 ELSE 0 END
  FROM {{ ref('mart_contract_base') }} CROSS JOIN {{ ref('load_as_of') }} x WHERE is_confirmed_moveout
),
g AS (
  SELECT week_start, tenant_type, nationality_code, apartment_id,
         SUM(movein) AS moveins, SUM(moveout) AS moveouts,
         SUM(scheduled_in) AS scheduled_moveins, SUM(scheduled_out) AS scheduled_moveouts
  FROM events
  GROUP BY week_start, tenant_type, nationality_code, apartment_id
),
nat AS (
  SELECT nationality_code, MIN(nationality_en) AS nationality_en, MIN(nationality_ja) AS nationality_ja
  FROM {{ ref('mart_contract_base') }} GROUP BY nationality_code
)
SELECT
  g.week_start,
  {{ add_days('g.week_start', 6) }} AS week_end,
  g.tenant_type,
  {{ tenant_type_ja('g.tenant_type') }} AS tenant_type_ja,
  {{ tenant_type_en('g.tenant_type') }} AS tenant_type_en,
  g.nationality_code,
  n.nationality_en,
  n.nationality_ja,
  g.apartment_id,
  p.asset_id_hj,
  p.apartment_name,
  p.municipality_ja,
  p.municipality_en,
  g.moveins,
  g.moveouts,
  g.moveins - g.moveouts AS net_change,
  g.scheduled_moveins,
  g.scheduled_moveouts,
  {{ add_days('g.week_start', 6) }} > x.as_of_date AS is_partial,
  x.as_of_date
FROM g
CROSS JOIN {{ ref('load_as_of') }} x
LEFT JOIN nat n ON n.nationality_code = g.nationality_code
LEFT JOIN {{ ref('dim_property') }} p ON p.apartment_id = g.apartment_id
