{{ config(materialized='table', tags=['silver']) }}
-- Tenants without personal data: no names, e-mail, phone, company or school name; birth date
-- only as an age band on the as-of date.
WITH aged AS (
  SELECT
    t.*,
    CASE WHEN {{ plausible_date('t.birth_date') }} IS NOT NULL
         THEN {{ age_years('t.birth_date', 'x.as_of_date') }} END AS age_years
  FROM {{ source('staging', 'tenants') }} t
  CROSS JOIN {{ ref('load_as_of') }} x
)
SELECT
  a.id AS tenant_id,
  a.tenant_code,
  COALESCE(a.gender_code, 0) AS gender_code,
  g.label_ja AS gender_ja,
  g.label_en AS gender_en,
  COALESCE(ab.band, 'unknown') AS age_band,
  a.nationality AS nationality_raw,
  COALESCE(n.iso_code, 'ZZ') AS nationality_code,
  COALESCE(n.name_en, 'Unknown') AS nationality_en,
  COALESCE(n.name_ja, '不明') AS nationality_ja,
  a.personal_identity_code,
  pi.label_ja AS personal_identity_ja,
  pi.label_en AS personal_identity_en,
  a.affiliation_type_code,
  af.label_ja AS affiliation_type_ja,
  af.label_en AS affiliation_type_en,
  a.status,
  s.label_ja AS status_ja,
  s.label_en AS status_en,
  s.status_group,
  a.apartment_id,
  a.room_id,
  a.moving_id,
  a.created_at,
  a.updated_at
FROM aged a
-- Normalised nationality (ISO 3166-1 alpha-2; 'ZZ' when unknown) from the enrichment cache.
LEFT JOIN {{ source('enrich', 'nationality_cache') }} n ON n.raw_text = a.nationality
LEFT JOIN {{ ref('gender_codes') }} g ON g.code = COALESCE(a.gender_code, 0)
LEFT JOIN {{ ref('personal_identity_codes') }} pi ON pi.code = a.personal_identity_code
LEFT JOIN {{ ref('affiliation_type_codes') }} af ON af.code = a.affiliation_type_code
LEFT JOIN {{ ref('management_status_codes') }} s ON s.code = a.status
LEFT JOIN {{ ref('age_bands') }} ab
  ON a.age_years >= ab.min_age AND a.age_years < ab.max_age_exclusive
