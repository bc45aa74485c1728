{{ config(materialized='table', tags=['gold', 'mart', 'funnel']) }}
-- Period (period_type day / week (Monday) / month) x tenant type, broken down by nationality
-- and building: the counts of funnel_application_to_movein_daily summed over the period, plus
-- conversion = applications of the period that moved in within 60 days of the application
-- (non-cancelled, move-in date on or before the as-of date) / applications of the period.
-- conversion_window_complete is false while the period's last application could still convert.
WITH x AS (SELECT as_of_date FROM {{ ref('load_as_of') }}),
daily AS (SELECT * FROM {{ ref('funnel_application_to_movein_daily') }}),
converted AS (
  SELECT application_date AS day, tenant_type, nationality_code, apartment_id, COUNT(*) AS n
  FROM {{ ref('mart_contract_base') }} CROSS JOIN x
  WHERE is_movein AND move_in_date <= x.as_of_date
    AND application_to_movein_days BETWEEN 0 AND {{ var('conversion_window_days', 60) }}
  GROUP BY application_date, tenant_type, nationality_code, apartment_id
),
base AS (
  SELECT d.*, COALESCE(c.n, 0) AS applications_moved_in
  FROM daily d
  LEFT JOIN converted c ON c.day = d.day AND c.tenant_type = d.tenant_type
    AND c.nationality_code = d.nationality_code AND c.apartment_id IS NOT DISTINCT FROM d.apartment_id
),
periods AS (
  SELECT 'day' AS period_type, day AS period_start, day AS period_end, base.* FROM base
  UNION ALL
  SELECT 'week', week_start, {{ add_days('week_start', 6) }}, base.* FROM base
  UNION ALL
  SELECT 'month', month_start, {{ add_days(add_months('month_start', 1), -1) }}, base.* FROM base
),
g AS (
  SELECT
    period_type, period_start, MIN(period_end) AS period_end,
    tenant_type, MIN(tenant_type_ja) AS tenant_type_ja, MIN(tenant_type_en) AS tenant_type_en,
    nationality_code, MIN(nationality_en) AS nationality_en, MIN(nationality_ja) AS nationality_ja,
    apartment_id, MIN(asset_id_hj) AS asset_id_hj, MIN(apartment_name) AS apartment_name,
    MIN(municipality_ja) AS municipality_ja, MIN(municipality_en) AS municipality_en,
    CAST(SUM(inquiries) AS BIGINT) AS inquiries, CAST(SUM(applications) AS BIGINT) AS applications, CAST(SUM(moveins) AS BIGINT) AS moveins,
    CAST(SUM(cancellations) AS BIGINT) AS cancellations, CAST(SUM(applications_moved_in) AS BIGINT) AS applications_moved_in_60d
  FROM periods
  GROUP BY period_type, period_start, tenant_type, nationality_code, apartment_id
)
SELECT
  g.*,
  CASE WHEN g.applications > 0 THEN CAST(g.applications_moved_in_60d AS DOUBLE PRECISION) / g.applications END AS conversion,
  {{ add_days('g.period_end', var('conversion_window_days', 60)) }} <= x.as_of_date AS conversion_window_complete,
  g.period_end > x.as_of_date AS is_partial,
  x.as_of_date
FROM g CROSS JOIN x
