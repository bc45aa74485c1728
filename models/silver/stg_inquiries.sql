{{ config(materialized='table', tags=['silver']) }}
SELECT
  q.id AS inquiry_id,
  q.inquiry_at,
  CAST(q.inquiry_at AS DATE) AS inquiry_date,
  q.channel,
  q.apartment_id,
  q.nationality AS nationality_raw,
  q.tenant_type,
  q.status,
  s.label_ja AS status_ja,
  s.label_en AS status_en,
  q.updated_at
FROM {{ source('staging', 'inquiries') }} q
LEFT JOIN {{ ref('inquiry_status_codes') }} s ON s.code = q.status
