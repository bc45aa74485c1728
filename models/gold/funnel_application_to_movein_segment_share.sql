{{ config(materialized='table', tags=['gold', 'mart', 'funnel', 'pricing']) }}
-- Month x segment (segment_type rent_band / nationality / tenant_type, and its value), broken
-- down by the page filters (tenant type, nationality, building): applications of the month,
-- move-ins of the month (non-cancelled, by move-in date), their shares of the month's total
-- per segment_type (sum to 1 per month and segment_type), and conversion = applications of
-- the month that moved in within 60 days / applications.
WITH x AS (SELECT as_of_date FROM {{ ref('load_as_of') }}),
b AS (SELECT * FROM {{ ref('mart_contract_base') }}),
events AS (
  SELECT application_month_start AS month_start, 1 AS applications, 0 AS moveins,
         CASE WHEN is_movein AND move_in_date <= x.as_of_date
                   AND application_to_movein_days BETWEEN 0 AND {{ var('conversion_window_days', 60) }} THEN 1 ELSE 0 END AS moved_in_60d,
         b.*
  FROM b CROSS JOIN x WHERE application_date IS NOT NULL
  UNION ALL
  SELECT move_in_month_start, 0, 1, 0, b.* FROM b WHERE is_movein
),
long AS (
  SELECT month_start, 'rent_band' AS segment_type, rent_band AS segment_value, rent_band_ja AS segment_ja, rent_band_en AS segment_en, rent_band_sort AS segment_sort,
         tenant_type, nationality_code, nationality_en, nationality_ja, apartment_id, asset_id_hj, apartment_name, municipality_ja, municipality_en,
         applications, moveins, moved_in_60d FROM events
  UNION ALL
  SELECT month_start, 'nationality', nationality_code, nationality_ja, nationality_en, 0,
         tenant_type, nationality_code, nationality_en, nationality_ja, apartment_id, asset_id_hj, apartment_name, municipality_ja, municipality_en,
         applications, moveins, moved_in_60d FROM events
  UNION ALL
  SELECT month_start, 'tenant_type', tenant_type, tenant_type_ja, tenant_type_en, CASE tenant_type WHEN 'individual' THEN 1 ELSE 2 END,
         tenant_type, nationality_code, nationality_en, nationality_ja, apartment_id, asset_id_hj, apartment_name, municipality_ja, municipality_en,
         applications, moveins, moved_in_60d FROM events
),
g AS (
  SELECT
    month_start, segment_type, segment_value, MIN(segment_ja) AS segment_ja, MIN(segment_en) AS segment_en, MIN(segment_sort) AS segment_sort,
    tenant_type, nationality_code, MIN(nationality_en) AS nationality_en, MIN(nationality_ja) AS nationality_ja,
    apartment_id, MIN(asset_id_hj) AS asset_id_hj, MIN(apartment_name) AS apartment_name,
    MIN(municipality_ja) AS municipality_ja, MIN(municipality_en) AS municipality_en,
    SUM(applications) AS applications, SUM(moveins) AS moveins, SUM(moved_in_60d) AS applications_moved_in_60d
  FROM long
  GROUP BY month_start, segment_type, segment_value, tenant_type, nationality_code, apartment_id
)
SELECT
  g.month_start,
  g.segment_type, g.segment_value, g.segment_ja, g.segment_en, g.segment_sort,
  g.tenant_type,
  {{ tenant_type_ja('g.tenant_type') }} AS tenant_type_ja,
  {{ tenant_type_en('g.tenant_type') }} AS tenant_type_en,
  g.nationality_code, g.nationality_en, g.nationality_ja,
  g.apartment_id, g.asset_id_hj, g.apartment_name, g.municipality_ja, g.municipality_en,
  g.applications,
  g.moveins,
  g.applications_moved_in_60d,
  CASE WHEN SUM(g.applications) OVER (PARTITION BY g.month_start, g.segment_type) > 0
       THEN CAST(g.applications AS DOUBLE PRECISION) / SUM(g.applications) OVER (PARTITION BY g.month_start, g.segment_type) END AS share_of_applications,
  CASE WHEN SUM(g.moveins) OVER (PARTITION BY g.month_start, g.segment_type) > 0
       THEN CAST(g.moveins AS DOUBLE PRECISION) / SUM(g.moveins) OVER (PARTITION BY g.month_start, g.segment_type) END AS share_of_moveins,
  CASE WHEN g.applications > 0 THEN CAST(g.applications_moved_in_60d AS DOUBLE PRECISION) / g.applications END AS conversion,
  {{ add_days(add_days(add_months('g.month_start', 1), -1), var('conversion_window_days', 60)) }} <= x.as_of_date AS conversion_window_complete,
  x.as_of_date
FROM g CROSS JOIN x
