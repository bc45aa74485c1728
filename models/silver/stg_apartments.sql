{{ config(materialized='table', tags=['silver']) }}
-- Buildings. The address is the building's, not a person's.
SELECT
  a.id AS apartment_id,
  a.asset_id_hj,
  a.apartment_name,
  a.apartment_name_en,
  a.zip_code,
  a.prefecture,
  a.address AS address_raw,
  CAST(a.latitude AS DOUBLE) AS latitude,
  CAST(a.longitude AS DOUBLE) AS longitude,
  {{ plausible_date('a.opened_on') }} AS opened_on,
  {{ plausible_date('a.closed_on') }} AS closed_on,
  a.updated_at
FROM {{ source('staging', 'apartments') }} a
