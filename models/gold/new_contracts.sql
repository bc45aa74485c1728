{{ config(materialized='table', tags=['gold', 'mart', 'contracts']) }}
-- One row per non-cancelled moving of M (a move-in, past or scheduled): dates, rent, tenant
-- type, nationality, gender, age band, personal identity, affiliation type, building,
-- municipality.
SELECT
  b.moving_id,
  b.application_date,
  b.contract_date,
  b.move_in_date,
  b.move_in_week_start,
  b.move_in_month_start,
  b.move_in_date > x.as_of_date AS is_scheduled,
  b.application_to_movein_days,
  b.moveout_plans_date,
  b.agreement_type_code, b.agreement_type_ja, b.agreement_type_en,
  b.contract_type,
  b.rent,
  b.list_rent,
  b.discount_rate,
  b.rent_band, b.rent_band_ja, b.rent_band_en, b.rent_band_sort,
  b.tenant_type, b.tenant_type_ja, b.tenant_type_en,
  b.nationality_code, b.nationality_en, b.nationality_ja,
  b.gender_code, b.gender_ja, b.gender_en,
  b.age_band, b.age_band_ja, b.age_band_en, b.age_band_sort,
  b.personal_identity_code, b.personal_identity_ja, b.personal_identity_en,
  b.affiliation_type_code, b.affiliation_type_ja, b.affiliation_type_en,
  b.apartment_id, b.room_id, b.asset_id_hj, b.apartment_name,
  b.municipality_ja, b.municipality_en,
  x.as_of_date
FROM {{ ref('mart_contract_base') }} b
CROSS JOIN {{ ref('load_as_of') }} x
WHERE b.is_movein
