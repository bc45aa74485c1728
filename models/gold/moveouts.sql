{{ config(materialized='table', tags=['gold', 'mart', 'moveouts']) }}
-- One row per confirmed move-out: a moving of M with moveout_plans_date (the new_moveouts
-- definition of occupancy_daily_metrics), with tenure, notice lead time, reason, demographics.
SELECT
  b.moving_id,
  b.moveout_plans_date,
  b.moveout_week_start,
  b.moveout_month_start,
  b.moveout_plans_date > x.as_of_date AS is_scheduled,
  b.moveout_date,
  b.moveout_notice_date,
  b.move_in_date,
  b.tenure_days,
  b.tenure_band, b.tenure_band_ja, b.tenure_band_en, b.tenure_band_sort,
  b.notice_lead_days,
  b.reason_code, b.reason_ja, b.reason_en,
  b.rent,
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
WHERE b.is_confirmed_moveout
