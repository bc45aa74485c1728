{# The monthly profile marts (movein_profile_monthly, moveout_profile_monthly): one row per
   month x dimension x value x page-filter values, from a CTE `src` of events (one per row). #}

{# The tenant and building columns of the move-in and move-out marts (from
   mart_contract_base as `b`): what tenant_profile_rows reads, and the page filters. #}
{% macro tenant_profile_columns() -%}
  b.rent_band, b.rent_band_ja, b.rent_band_en, b.rent_band_sort,
  b.tenant_type, b.tenant_type_ja, b.tenant_type_en,
  b.nationality_code, b.nationality_en, b.nationality_ja,
  b.gender_code, b.gender_ja, b.gender_en,
  b.age_band, b.age_band_ja, b.age_band_en, b.age_band_sort,
  b.personal_identity_code, b.personal_identity_ja, b.personal_identity_en,
  b.affiliation_type_code, b.affiliation_type_ja, b.affiliation_type_en,
  b.apartment_id, b.room_id, b.asset_id_hj, b.apartment_name,
  b.municipality_ja, b.municipality_en
{%- endmacro %}

{# The rows of one dimension of `src`, in the columns of the profile marts' `long` CTE. #}
{% macro profile_rows(month_column, dimension, code, ja, en, sort) -%}
  SELECT {{ month_column }} AS month_start, '{{ dimension }}' AS dimension, {{ code }} AS value_code, {{ ja }} AS value_ja, {{ en }} AS value_en, {{ sort }} AS value_sort,
         tenant_type, nationality_code, nationality_en, nationality_ja, apartment_id, asset_id_hj, apartment_name, municipality_ja, municipality_en
  FROM src
{%- endmacro %}

{# The dimensions every tenant profile has: tenant type, nationality, gender, age band,
   personal identity, affiliation type and rent band. #}
{% macro tenant_profile_rows(month_column) -%}
  {{ profile_rows(month_column, 'tenant_type', 'tenant_type', 'tenant_type_ja', 'tenant_type_en', "CASE tenant_type WHEN 'individual' THEN 1 ELSE 2 END") }}
  UNION ALL
  {{ profile_rows(month_column, 'nationality', 'nationality_code', 'nationality_ja', 'nationality_en', '0') }}
  UNION ALL
  {{ profile_rows(month_column, 'gender', 'CAST(gender_code AS VARCHAR)', 'gender_ja', 'gender_en', 'gender_code') }}
  UNION ALL
  {{ profile_rows(month_column, 'age_band', 'age_band', 'age_band_ja', 'age_band_en', 'age_band_sort') }}
  UNION ALL
  {{ profile_rows(month_column, 'personal_identity', 'CAST(personal_identity_code AS VARCHAR)', 'personal_identity_ja', 'personal_identity_en', 'personal_identity_code') }}
  UNION ALL
  {{ profile_rows(month_column, 'affiliation_type', 'CAST(affiliation_type_code AS VARCHAR)', 'affiliation_type_ja', 'affiliation_type_en', 'affiliation_type_code') }}
  UNION ALL
  {{ profile_rows(month_column, 'rent_band', 'rent_band', 'rent_band_ja', 'rent_band_en', 'rent_band_sort') }}
{%- endmacro %}

{# Counts of the `long` CTE per month x dimension x value x filters, named `measure`
   (moveins, moveouts), with the month's shares: share = the row's count / the month's (sums
   to 1 per month and dimension); value_share = the value's share of the whole month. #}
{% macro profile_counts(measure) -%}
g AS (
  SELECT
    month_start, dimension, value_code, MIN(value_ja) AS value_ja, MIN(value_en) AS value_en, MIN(value_sort) AS value_sort,
    tenant_type, nationality_code, MIN(nationality_en) AS nationality_en, MIN(nationality_ja) AS nationality_ja,
    apartment_id, MIN(asset_id_hj) AS asset_id_hj, MIN(apartment_name) AS apartment_name,
    MIN(municipality_ja) AS municipality_ja, MIN(municipality_en) AS municipality_en,
    COUNT(*) AS {{ measure }}
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
  g.{{ measure }},
  CAST(g.{{ measure }} AS DOUBLE PRECISION) / SUM(g.{{ measure }}) OVER (PARTITION BY g.month_start, g.dimension) AS share,
  CAST(SUM(g.{{ measure }}) OVER (PARTITION BY g.month_start, g.dimension, g.value_code) AS BIGINT) AS value_{{ measure }},
  CAST(SUM(g.{{ measure }}) OVER (PARTITION BY g.month_start, g.dimension, g.value_code) AS DOUBLE PRECISION)
    / SUM(g.{{ measure }}) OVER (PARTITION BY g.month_start, g.dimension) AS value_share,
  CAST(SUM(g.{{ measure }}) OVER (PARTITION BY g.month_start, g.dimension) AS BIGINT) AS month_{{ measure }}
FROM g
{%- endmacro %}
