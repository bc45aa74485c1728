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
  {{ tenant_profile_columns() }},
  x.as_of_date
FROM {{ ref('mart_contract_base') }} b
CROSS JOIN {{ ref('load_as_of') }} x
WHERE b.is_confirmed_moveout
