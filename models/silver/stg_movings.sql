{{ config(materialized='table', tags=['silver']) }}
-- Contracts, de-duplicated: the PMS stores some movings twice for the same
-- (tenant, apartment, room, move-in date); keep the latest updated_at, then the highest id.
WITH ranked AS (
  SELECT
    m.*,
    ROW_NUMBER() OVER (
      PARTITION BY m.tenant_id, m.apartment_id, m.room_id, m.move_in_date
      ORDER BY m.updated_at DESC, m.id DESC
    ) AS duplicate_rank,
    COUNT(*) OVER (PARTITION BY m.tenant_id, m.apartment_id, m.room_id, m.move_in_date) AS duplicate_count
  FROM {{ source('staging', 'movings') }} m
)
SELECT
  r.id AS moving_id,
  r.tenant_id,
  r.apartment_id,
  r.room_id,
  r.moving_agreement_type,
  agt.label_ja AS agreement_type_ja,
  agt.label_en AS agreement_type_en,
  agt.tenant_type,
  r.contract_type AS contract_type_raw,
  ct.merged_into AS contract_type,
  {{ plausible_date('r.application_date') }} AS application_date,
  {{ plausible_date('r.contract_date') }} AS contract_date,
  {{ plausible_date('r.move_in_date') }} AS move_in_date,
  {{ plausible_date('r.moveout_notice_date') }} AS moveout_notice_date,
  {{ plausible_date('r.moveout_date') }} AS moveout_date,
  CASE WHEN r.moveout_plans_date >= r.move_in_date THEN {{ plausible_date('r.moveout_plans_date') }} END AS moveout_plans_date,
  r.moveout_reason_code,
  mr.label_ja AS moveout_reason_ja,
  mr.label_en AS moveout_reason_en,
  r.rent,
  r.is_cancelled = 1 AS is_cancelled,
  r.cancelled_at,
  r.duplicate_count,
  r.created_at,
  r.updated_at
FROM ranked r
LEFT JOIN {{ ref('agreement_type_codes') }} agt ON agt.code = r.moving_agreement_type
LEFT JOIN {{ ref('contract_type_codes') }} ct ON ct.code = r.contract_type
LEFT JOIN {{ ref('moveout_reason_codes') }} mr ON mr.code = r.moveout_reason_code
WHERE r.duplicate_rank = 1
