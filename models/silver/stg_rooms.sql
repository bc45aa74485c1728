{{ config(materialized='table', tags=['silver']) }}
SELECT
  r.id AS room_id,
  r.apartment_id,
  r.room_number,
  r.room_type_code,
  t.label_ja AS room_type_ja,
  t.label_en AS room_type_en,
  r.rent AS list_rent,
  r.management_fee,
  r.is_active = 1 AS is_active,
  r.updated_at
FROM {{ source('staging', 'rooms') }} r
LEFT JOIN {{ ref('room_type_codes') }} t ON t.code = r.room_type_code
