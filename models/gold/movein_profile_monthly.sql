{{ config(materialized='table', tags=['gold', 'mart', 'moveins']) }}
-- Month (of the move-in date) x dimension x value, broken down by the page filters (tenant
-- type, nationality, building): move-ins of non-cancelled movings. Dimensions: tenant_type,
-- nationality, gender, age_band, personal_identity, affiliation_type, rent_band.
-- share = the row's move-ins / the month's move-ins (so shares sum to 1 per month and
-- dimension; after filtering, divide by the filtered sum); value_share = the value's share of
-- the whole month (the same on every row of the value).
WITH src AS (
  SELECT * FROM {{ ref('new_contracts') }}
),
long AS (
  {{ tenant_profile_rows('move_in_month_start') }}
),
{{ profile_counts('moveins') }}
