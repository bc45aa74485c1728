{{ config(materialized='table', tags=['gold', 'mart', 'moveouts']) }}
-- Month (of the confirmed move-out date) x reason: counts, share of the month, tenure and notice lead.
WITH g AS (
  SELECT
    moveout_month_start AS month_start,
    reason_code,
    MIN(reason_ja) AS reason_ja,
    MIN(reason_en) AS reason_en,
    COUNT(*) AS moveout_count,
    AVG(CAST(tenure_days AS DOUBLE PRECISION)) AS avg_tenure_days,
    {{ pct_cont('tenure_days', 0.5) }} AS median_tenure_days,
    AVG(CAST(notice_lead_days AS DOUBLE PRECISION)) AS avg_notice_lead_days,
    MAX(CASE WHEN is_scheduled THEN 1 ELSE 0 END) = 1 AS includes_scheduled
  FROM {{ ref('moveouts') }}
  GROUP BY moveout_month_start, reason_code
)
SELECT
  g.*,
  CAST(g.moveout_count AS DOUBLE PRECISION) / SUM(g.moveout_count) OVER (PARTITION BY g.month_start) AS share_of_month
FROM g
