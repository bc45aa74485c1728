{{ config(materialized='table', tags=['gold', 'mart', 'geography']) }}
-- One row per building: names, building address, prefecture, municipality (ja, en),
-- coordinates (the municipality's centre when the PMS has none, flagged), opened/closed, rooms.
WITH x AS (SELECT as_of_date FROM {{ ref('load_as_of') }}),
rooms AS (
  SELECT apartment_id, COUNT(*) AS room_count, SUM(CASE WHEN is_active THEN 1 ELSE 0 END) AS active_room_count
  FROM {{ ref('stg_rooms') }}
  GROUP BY apartment_id
)
SELECT
  a.apartment_id,
  a.asset_id_hj,
  a.apartment_name,
  a.apartment_name_en,
  a.zip_code,
  a.address_raw AS address,
  COALESCE(a.prefecture_ja, a.prefecture) AS prefecture_ja,
  a.prefecture_en,
  a.municipality_code,
  COALESCE(a.municipality_ja, '不明') AS municipality_ja,
  COALESCE(a.municipality_en, 'Unknown') AS municipality_en,
  a.municipality_kind,
  a.latitude,
  a.longitude,
  a.coordinates_approximate,
  a.opened_on,
  a.closed_on,
  (a.opened_on IS NOT NULL AND a.opened_on <= x.as_of_date AND (a.closed_on IS NULL OR a.closed_on > x.as_of_date)) AS is_open,
  COALESCE(r.room_count, 0) AS room_count,
  COALESCE(r.active_room_count, 0) AS active_room_count,
  x.as_of_date
FROM {{ ref('stg_apartments') }} a
CROSS JOIN x
LEFT JOIN rooms r ON r.apartment_id = a.apartment_id
