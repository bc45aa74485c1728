{{ config(materialized='table', tags=['silver']) }}
-- Buildings. The address is the building's, not a person's. Municipality and coordinates come
-- from enrichment: the building's own coordinates, else its municipality's centre (flagged).
SELECT
  a.id AS apartment_id,
  a.asset_id_hj,
  a.apartment_name,
  a.apartment_name_en,
  a.zip_code,
  a.prefecture,
  a.address AS address_raw,
  l.prefecture AS prefecture_ja,
  l.prefecture_en,
  l.municipality AS municipality_ja,
  l.municipality_en,
  l.kind AS municipality_kind,
  l.code AS municipality_code,
  l.latitude,
  l.longitude,
  COALESCE(l.approximate, TRUE) AS coordinates_approximate,
  {{ plausible_date('a.opened_on') }} AS opened_on,
  {{ plausible_date('a.closed_on') }} AS closed_on,
  a.updated_at
FROM {{ source('staging', 'apartments') }} a
LEFT JOIN {{ source('enrich', 'apartment_locations') }} l ON l.apartment_id = a.id
