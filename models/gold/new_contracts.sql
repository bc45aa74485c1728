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
  {{ tenant_profile_columns() }},
  x.as_of_date
FROM {{ ref('mart_contract_base') }} b
CROSS JOIN {{ ref('load_as_of') }} x
WHERE b.is_movein
