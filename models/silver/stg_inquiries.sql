{{ config(materialized='table', tags=['silver']) }}
SELECT
  q.id AS inquiry_id,
  q.inquiry_at,
  CAST(q.inquiry_at AS DATE) AS inquiry_date,
  q.channel,
  q.apartment_id,
  q.nationality AS nationality_raw,
  COALESCE(n.iso_code, 'ZZ') AS nationality_code,
  COALESCE(n.name_en, 'Unknown') AS nationality_en,
  COALESCE(n.name_ja, '不明') AS nationality_ja,
  q.tenant_type,
  q.status,
  s.label_ja AS status_ja,
  s.label_en AS status_en,
  q.updated_at
FROM {{ source('staging', 'inquiries') }} q
LEFT JOIN {{ source('enrich', 'nationality_cache') }} n ON n.raw_text = q.nationality
LEFT JOIN {{ ref('inquiry_status_codes') }} s ON s.code = q.status
