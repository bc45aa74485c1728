{{ config(materialized='table', tags=['gold', 'mart', 'moveins']) }}
-- Month (of the move-in date) x dimension x value, broken down by the page filters (tenant
-- type, nationality, building): move-ins of non-cancelled movings. Dimensions: tenant_type,
-- nationality, gender, age_band, personal_identity, affiliation_type, rent_band.
-- share = the row's move-ins / the month's move-ins (so shares sum to 1 per month and
-- dimension; after filtering, divide by the filtered sum); value_share = the value's share of
-- the whole month (the same on every row of the value).
WITH src AS (
  SELECT * FROM {{ ref('new_contracts') }}
),
long AS (
  SELECT move_in_month_start AS month_start, 'tenant_type' AS dimension, tenant_type AS value_code, tenant_type_ja AS value_ja, tenant_type_en AS value_en, CASE tenant_type WHEN 'individual' THEN 1 ELSE 2 END AS value_sort,
         tenant_type, nationality_code, nationality_en, nationality_ja, apartment_id, asset_id_hj, apartment_name, municipality_ja, municipality_en
  FROM src
  UNION ALL
  SELECT move_in_month_start AS month_start, 'nationality' AS dimension, nationality_code AS value_code, nationality_ja AS value_ja, nationality_en AS value_en, 0 AS value_sort,
         tenant_type, nationality_code, nationality_en, nationality_ja, apartment_id, asset_id_hj, apartment_name, municipality_ja, municipality_en
  FROM src
  UNION ALL
  SELECT move_in_month_start AS month_start, 'gender' AS dimension, CAST(gender_code AS VARCHAR) AS value_code, gender_ja AS value_ja, gender_en AS value_en, gender_code AS value_sort,
         tenant_type, nationality_code, nationality_en, nationality_ja, apartment_id, asset_id_hj, apartment_name, municipality_ja, municipality_en
  FROM src
  UNION ALL
  SELECT move_in_month_start AS month_start, 'age_band' AS dimension, age_band AS value_code, age_band_ja AS value_ja, age_band_en AS value_en, age_band_sort AS value_sort,
         tenant_type, nationality_code, nationality_en, nationality_ja, apartment_id, asset_id_hj, apartment_name, municipality_ja, municipality_en
  FROM src
  UNION ALL
  SELECT move_in_month_start AS month_start, 'personal_identity' AS dimension, CAST(personal_identity_code AS VARCHAR) AS value_code, personal_identity_ja AS value_ja, personal_identity_en AS value_en, personal_identity_code AS value_sort,
         tenant_type, nationality_code, nationality_en, nationality_ja, apartment_id, asset_id_hj, apartment_name, municipality_ja, municipality_en
  FROM src
  UNION ALL
  SELECT move_in_month_start AS month_start, 'affiliation_type' AS dimension, CAST(affiliation_type_code AS VARCHAR) AS value_code, affiliation_type_ja AS value_ja, affiliation_type_en AS value_en, affiliation_type_code AS value_sort,
         tenant_type, nationality_code, nationality_en, nationality_ja, apartment_id, asset_id_hj, apartment_name, municipality_ja, municipality_en
  FROM src
  UNION ALL
  SELECT move_in_month_start AS month_start, 'rent_band' AS dimension, rent_band AS value_code, rent_band_ja AS value_ja, rent_band_en AS value_en, rent_band_sort AS value_sort,
         tenant_type, nationality_code, nationality_en, nationality_ja, apartment_id, asset_id_hj, apartment_name, municipality_ja, municipality_en
  FROM src
),
g AS (
  SELECT
    month_start, dimension, value_code, MIN(value_ja) AS value_ja, MIN(value_en) AS value_en, MIN(value_sort) AS value_sort,
    tenant_type, nationality_code, MIN(nationality_en) AS nationality_en, MIN(nationality_ja) AS nationality_ja,
    apartment_id, MIN(asset_id_hj) AS asset_id_hj, MIN(apartment_name) AS apartment_name,
    MIN(municipality_ja) AS municipality_ja, MIN(municipality_en) AS municipality_en,
    COUNT(*) AS moveins
  FROM long
  GROUP BY month_start, dimension, value_code, tenant_type, nationality_code, apartment_id
)
SELECT
  g.month_start,
  g.dimension,
  g.value_code,
  g.value_ja,
  g.value_en,
  g.value_sort,
  g.tenant_type,
  {{ tenant_type_ja('g.tenant_type') }} AS tenant_type_ja,
  {{ tenant_type_en('g.tenant_type') }} AS tenant_type_en,
  g.nationality_code, g.nationality_en, g.nationality_ja,
  g.apartment_id, g.asset_id_hj, g.apartment_name, g.municipality_ja, g.municipality_en,
  g.moveins,
  CAST(g.moveins AS DOUBLE PRECISION) / SUM(g.moveins) OVER (PARTITION BY g.month_start, g.dimension) AS share,
  CAST(SUM(g.moveins) OVER (PARTITION BY g.month_start, g.dimension, g.value_code) AS BIGINT) AS value_moveins,
  CAST(SUM(g.moveins) OVER (PARTITION BY g.month_start, g.dimension, g.value_code) AS DOUBLE PRECISION)
    / SUM(g.moveins) OVER (PARTITION BY g.month_start, g.dimension) AS value_share,
  CAST(SUM(g.moveins) OVER (PARTITION BY g.month_start, g.dimension) AS BIGINT) AS month_moveins
FROM g
