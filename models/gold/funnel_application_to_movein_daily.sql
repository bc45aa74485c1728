{{ config(materialized='table', tags=['gold', 'mart', 'funnel']) }}
-- Day x tenant type, broken down by nationality and building (the page filters): inquiries
-- (by inquiry date), applications (movings of M by application date, cancelled included, as
-- occupancy_daily_metrics counts them), move-ins (non-cancelled movings by move-in date) and
-- cancellations (cancelled movings by cancellation date). Counts add up over any filter.
-- Inquiries without a tenant type are under 'unknown'; without a building, apartment_id NULL.
WITH x AS (SELECT as_of_date FROM {{ ref('load_as_of') }}),
events AS (
  SELECT inquiry_date AS day, COALESCE(tenant_type, 'unknown') AS tenant_type, nationality_code, nationality_en, nationality_ja, apartment_id,
         1 AS inquiries, 0 AS applications, 0 AS moveins, 0 AS cancellations
  FROM {{ ref('stg_inquiries') }}
  UNION ALL
  SELECT application_date, tenant_type, nationality_code, nationality_en, nationality_ja, apartment_id, 0, 1, 0, 0
  FROM {{ ref('mart_contract_base') }} WHERE application_date IS NOT NULL
  UNION ALL
  SELECT move_in_date, tenant_type, nationality_code, nationality_en, nationality_ja, apartment_id, 0, 0, 1, 0
  FROM {{ ref('mart_contract_base') }} WHERE is_movein
  UNION ALL
  SELECT cancelled_on, tenant_type, nationality_code, nationality_en, nationality_ja, apartment_id, 0, 0, 0, 1
  FROM {{ ref('mart_contract_base') }} WHERE is_cancelled AND cancelled_on IS NOT NULL
),
g AS (
  SELECT day, tenant_type, nationality_code, MIN(nationality_en) AS nationality_en, MIN(nationality_ja) AS nationality_ja, apartment_id,
         SUM(inquiries) AS inquiries, SUM(applications) AS applications, SUM(moveins) AS moveins, SUM(cancellations) AS cancellations
  FROM events
  WHERE day IS NOT NULL
  GROUP BY day, tenant_type, nationality_code, apartment_id
)
SELECT
  g.day,
  {{ week_start('g.day') }} AS week_start,
  {{ month_start('g.day') }} AS month_start,
  g.tenant_type,
  {{ tenant_type_ja('g.tenant_type') }} AS tenant_type_ja,
  {{ tenant_type_en('g.tenant_type') }} AS tenant_type_en,
  g.nationality_code, g.nationality_en, g.nationality_ja,
  g.apartment_id,
  p.asset_id_hj,
  p.apartment_name,
  COALESCE(p.municipality_ja, '不明') AS municipality_ja,
  COALESCE(p.municipality_en, 'Unknown') AS municipality_en,
  g.inquiries,
  g.applications,
  g.moveins,
  g.cancellations,
  g.day > x.as_of_date AS is_scheduled,
  x.as_of_date
FROM g
CROSS JOIN x
LEFT JOIN {{ ref('dim_property') }} p ON p.apartment_id = g.apartment_id
