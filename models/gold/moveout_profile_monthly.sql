{{ config(materialized='table', tags=['gold', 'mart', 'moveouts']) }}
-- Month (of the confirmed move-out date) x dimension x value, broken down by the page filters
-- (tenant type, nationality, building): confirmed move-outs. Dimensions: those of
-- movein_profile_monthly plus tenure_band and reason. share = the row's move-outs / the month's
-- move-outs (sums to 1 per month and dimension); value_share = the value's share of the month.
WITH src AS (
  SELECT * FROM {{ ref('moveouts') }}
),
long AS (
  {{ tenant_profile_rows('moveout_month_start') }}
  UNION ALL
  {{ profile_rows('moveout_month_start', 'tenure_band', "COALESCE(tenure_band, 'unknown')", "COALESCE(tenure_band_ja, '不明')", "COALESCE(tenure_band_en, 'unknown')", 'COALESCE(tenure_band_sort, 99)') }}
  UNION ALL
  {{ profile_rows('moveout_month_start', 'reason', 'CAST(reason_code AS VARCHAR)', 'reason_ja', 'reason_en', 'CASE WHEN reason_code = 0 THEN 99 ELSE reason_code END') }}
),
{{ profile_counts('moveouts') }}
