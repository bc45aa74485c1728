{{ config(materialized='table', tags=['gold', 'mart', 'moveouts']) }}
-- Week (Monday, of the confirmed move-out date) x reason: move-outs and share of the week.
-- Dense: every reason of the code list (plus 0 = unknown) in every week from the first to the
-- last week with a move-out, zeros included.
WITH x AS (SELECT as_of_date FROM {{ ref('load_as_of') }}),
reasons AS (
  SELECT code AS reason_code, label_ja AS reason_ja, label_en AS reason_en FROM {{ ref('moveout_reason_codes') }}
  UNION ALL
  SELECT 0, '不明', 'Unknown'
  UNION ALL
  -- Codes the PMS used that the code list lacks keep their own rows.
  SELECT reason_code, MIN(reason_ja), MIN(reason_en) FROM {{ ref('moveouts') }}
  WHERE reason_code <> 0 AND reason_code NOT IN (SELECT code FROM {{ ref('moveout_reason_codes') }})
  GROUP BY reason_code
),
bounds AS (
  SELECT MIN(moveout_week_start) AS first_week, MAX(moveout_week_start) AS last_week FROM {{ ref('moveouts') }}
),
weeks AS (
  SELECT d.day AS week_start
  FROM bounds, {{ date_series('bounds.first_week', 'bounds.last_week') }} d
  WHERE {{ week_start('d.day') }} = d.day
),
counts AS (
  SELECT moveout_week_start AS week_start, reason_code, COUNT(*) AS n,
         SUM(CASE WHEN is_scheduled THEN 1 ELSE 0 END) AS scheduled
  FROM {{ ref('moveouts') }}
  GROUP BY moveout_week_start, reason_code
)
SELECT
  w.week_start,
  {{ add_days('w.week_start', 6) }} AS week_end,
  r.reason_code,
  r.reason_ja,
  r.reason_en,
  COALESCE(c.n, 0) AS moveout_count,
  COALESCE(c.scheduled, 0) AS scheduled_moveout_count,
  CASE WHEN SUM(COALESCE(c.n, 0)) OVER (PARTITION BY w.week_start) > 0
       THEN CAST(COALESCE(c.n, 0) AS DOUBLE PRECISION) / SUM(COALESCE(c.n, 0)) OVER (PARTITION BY w.week_start) END AS share_of_week,
  {{ add_days('w.week_start', 6) }} > x.as_of_date AS is_partial,
  x.as_of_date
FROM weeks w
CROSS JOIN reasons r
CROSS JOIN x
LEFT JOIN counts c ON c.week_start = w.week_start AND c.reason_code = r.reason_code
