{{ config(materialized='table', tags=['gold', 'helper']) }}
-- Helper of the contract marts (not read by the dashboard): one row per de-duplicated moving
-- of M with every code labelled in Japanese and English, the filter dimensions, the week
-- (Monday) and month of each event, and the derived durations. No personal data.
SELECT
  c.moving_id,
  c.tenant_type,
  {{ tenant_type_ja('c.tenant_type') }} AS tenant_type_ja,
  {{ tenant_type_en('c.tenant_type') }} AS tenant_type_en,
  c.moving_agreement_type AS agreement_type_code,
  agt.label_ja AS agreement_type_ja,
  agt.label_en AS agreement_type_en,
  c.contract_type,
  c.application_date,
  c.contract_date,
  c.move_in_date,
  c.moveout_notice_date,
  c.moveout_date,
  c.moveout_plans_date,
  c.is_cancelled,
  CAST(c.cancelled_at AS DATE) AS cancelled_on,
  NOT c.is_cancelled AND c.move_in_date IS NOT NULL AS is_movein,
  c.moveout_plans_date IS NOT NULL AS is_confirmed_moveout,
  {{ week_start('c.application_date') }} AS application_week_start,
  {{ month_start('c.application_date') }} AS application_month_start,
  {{ week_start('c.move_in_date') }} AS move_in_week_start,
  {{ month_start('c.move_in_date') }} AS move_in_month_start,
  {{ week_start('c.moveout_plans_date') }} AS moveout_week_start,
  {{ month_start('c.moveout_plans_date') }} AS moveout_month_start,
  {{ days_between('c.application_date', 'c.move_in_date') }} AS application_to_movein_days,
  c.tenure_days,
  -- Tenure bands (days from move-in to the confirmed move-out): < 3 months, 3-6, 6-12 months, 1-2 years, >= 2 years.
  CASE WHEN c.tenure_days IS NULL THEN NULL WHEN c.tenure_days < 90 THEN 'lt_3m' WHEN c.tenure_days < 180 THEN '3m_6m'
       WHEN c.tenure_days < 365 THEN '6m_12m' WHEN c.tenure_days < 730 THEN '1y_2y' ELSE 'ge_2y' END AS tenure_band,
  CASE WHEN c.tenure_days IS NULL THEN NULL WHEN c.tenure_days < 90 THEN '3ヶ月未満' WHEN c.tenure_days < 180 THEN '3〜6ヶ月'
       WHEN c.tenure_days < 365 THEN '6〜12ヶ月' WHEN c.tenure_days < 730 THEN '1〜2年' ELSE '2年以上' END AS tenure_band_ja,
  CASE WHEN c.tenure_days IS NULL THEN NULL WHEN c.tenure_days < 90 THEN '< 3 months' WHEN c.tenure_days < 180 THEN '3-6 months'
       WHEN c.tenure_days < 365 THEN '6-12 months' WHEN c.tenure_days < 730 THEN '1-2 years' ELSE '>= 2 years' END AS tenure_band_en,
  CASE WHEN c.tenure_days IS NULL THEN NULL WHEN c.tenure_days < 90 THEN 1 WHEN c.tenure_days < 180 THEN 2
       WHEN c.tenure_days < 365 THEN 3 WHEN c.tenure_days < 730 THEN 4 ELSE 5 END AS tenure_band_sort,
  CASE WHEN c.moveout_notice_date IS NOT NULL AND COALESCE(c.moveout_date, c.moveout_plans_date) IS NOT NULL
       THEN {{ days_between('c.moveout_notice_date', 'COALESCE(c.moveout_date, c.moveout_plans_date)') }} END AS notice_lead_days,
  COALESCE(c.moveout_reason_code, 0) AS reason_code,
  COALESCE(c.moveout_reason_ja, '不明') AS reason_ja,
  COALESCE(c.moveout_reason_en, 'Unknown') AS reason_en,
  c.rent,
  c.list_rent,
  c.discount_rate,
  COALESCE(c.rent_band, 'unknown') AS rent_band,
  COALESCE(rb.label_ja, '不明') AS rent_band_ja,
  COALESCE(rb.label_en, 'unknown') AS rent_band_en,
  COALESCE(rb.sort_order, 99) AS rent_band_sort,
  c.nationality_code,
  c.nationality_en,
  c.nationality_ja,
  COALESCE(c.gender_code, 0) AS gender_code,
  COALESCE(g.label_ja, '不明') AS gender_ja,
  COALESCE(g.label_en, 'Unknown') AS gender_en,
  COALESCE(c.age_band, 'unknown') AS age_band,
  COALESCE(ab.label_ja, '不明') AS age_band_ja,
  COALESCE(ab.label_en, 'unknown') AS age_band_en,
  COALESCE(ab.sort_order, 99) AS age_band_sort,
  COALESCE(c.personal_identity_code, 0) AS personal_identity_code,
  COALESCE(pi.label_ja, '不明') AS personal_identity_ja,
  COALESCE(pi.label_en, 'Unknown') AS personal_identity_en,
  COALESCE(c.affiliation_type_code, 0) AS affiliation_type_code,
  COALESCE(af.label_ja, '不明') AS affiliation_type_ja,
  COALESCE(af.label_en, 'Unknown') AS affiliation_type_en,
  c.apartment_id,
  c.room_id,
  c.asset_id_hj,
  c.apartment_name,
  COALESCE(c.municipality_ja, '不明') AS municipality_ja,
  COALESCE(c.municipality_en, 'Unknown') AS municipality_en
FROM {{ ref('int_contracts') }} c
LEFT JOIN {{ ref('agreement_type_codes') }} agt ON agt.code = c.moving_agreement_type
LEFT JOIN {{ ref('rent_bands') }} rb ON rb.band = c.rent_band
LEFT JOIN {{ ref('gender_codes') }} g ON g.code = COALESCE(c.gender_code, 0)
LEFT JOIN {{ ref('age_bands') }} ab ON ab.band = COALESCE(c.age_band, 'unknown')
LEFT JOIN {{ ref('personal_identity_codes') }} pi ON pi.code = c.personal_identity_code
LEFT JOIN {{ ref('affiliation_type_codes') }} af ON af.code = c.affiliation_type_code
