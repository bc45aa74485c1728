{{ config(materialized='table', tags=['gold', 'mart', 'moveouts']) }}
-- One row per move-out notice received in the rolling last 24 months up to the as-of date
-- (notice date in (as_of - 24 months, as_of]), with the notice lead time: days from the notice
-- to the move-out date (moveout_date, or the confirmed date when moveout_date is missing).
WITH x AS (
  SELECT as_of_date, {{ add_months('as_of_date', -24) }} AS window_start_exclusive FROM {{ ref('load_as_of') }}
)
SELECT
  b.moving_id,
  b.moveout_notice_date,
  {{ week_start('b.moveout_notice_date') }} AS notice_week_start,
  {{ month_start('b.moveout_notice_date') }} AS notice_month_start,
  COALESCE(b.moveout_date, b.moveout_plans_date) AS expected_moveout_date,
  b.moveout_date,
  b.moveout_plans_date,
  b.is_confirmed_moveout,
  b.notice_lead_days,
  b.is_cancelled,
  b.move_in_date,
  b.reason_code, b.reason_ja, b.reason_en,
  b.rent_band, b.rent_band_ja, b.rent_band_en,
  b.tenant_type, b.tenant_type_ja, b.tenant_type_en,
  b.nationality_code, b.nationality_en, b.nationality_ja,
  b.gender_code, b.gender_ja, b.gender_en,
  b.age_band, b.age_band_ja, b.age_band_en,
  b.apartment_id, b.room_id, b.asset_id_hj, b.apartment_name,
  b.municipality_ja, b.municipality_en,
  {{ add_days('x.window_start_exclusive', 1) }} AS window_start,
  x.as_of_date AS window_end,
  x.as_of_date
FROM {{ ref('mart_contract_base') }} b
CROSS JOIN x
WHERE b.moveout_notice_date > x.window_start_exclusive
  AND b.moveout_notice_date <= x.as_of_date
