{{ config(materialized='table', tags=['silver']) }}
-- One row per de-duplicated moving with the tenant's demographics, the room's list rent and
-- the building: the base of the contract marts.
SELECT
  m.moving_id,
  m.tenant_id,
  m.apartment_id,
  m.room_id,
  m.tenant_type,
  m.moving_agreement_type,
  m.contract_type,
  m.application_date,
  m.contract_date,
  m.move_in_date,
  m.moveout_notice_date,
  m.moveout_date,
  m.moveout_plans_date,
  m.moveout_reason_code,
  m.moveout_reason_ja,
  m.moveout_reason_en,
  m.rent,
  r.list_rent,
  CASE WHEN r.list_rent > 0 THEN 1 - CAST(m.rent AS DOUBLE PRECISION) / r.list_rent END AS discount_rate,
  rb.band AS rent_band,
  m.is_cancelled,
  m.cancelled_at,
  t.gender_code,
  t.age_band,
  t.nationality_raw,
  COALESCE(t.nationality_code, 'ZZ') AS nationality_code,
  COALESCE(t.nationality_en, 'Unknown') AS nationality_en,
  COALESCE(t.nationality_ja, '不明') AS nationality_ja,
  t.personal_identity_code,
  t.affiliation_type_code,
  a.asset_id_hj,
  a.apartment_name,
  a.municipality_ja,
  a.municipality_en,
  CASE WHEN m.moveout_plans_date IS NOT NULL THEN {{ days_between('m.move_in_date', 'm.moveout_plans_date') }} END AS tenure_days
FROM {{ ref('stg_movings') }} m
LEFT JOIN {{ ref('stg_tenants') }} t ON t.tenant_id = m.tenant_id
LEFT JOIN {{ ref('stg_rooms') }} r ON r.room_id = m.room_id
LEFT JOIN {{ ref('stg_apartments') }} a ON a.apartment_id = m.apartment_id
LEFT JOIN {{ ref('rent_bands') }} rb ON m.rent >= rb.min_yen AND m.rent < rb.max_yen_exclusive
