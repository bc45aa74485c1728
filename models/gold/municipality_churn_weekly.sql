{{ config(materialized='table', tags=['gold', 'mart', 'geography']) }}
-- Week (Monday) x municipality: move-ins, confirmed move-outs, net change, occupied rooms at
-- the week's start and churn rate: property_churn_weekly summed over the municipality's
-- buildings. Buildings whose address did not resolve are under 不明 / Unknown.
SELECT
  week_start,
  MIN(week_end) AS week_end,
  municipality_ja,
  MIN(municipality_en) AS municipality_en,
  MIN(municipality_code) AS municipality_code,
  COUNT(DISTINCT apartment_id) AS buildings,
  CAST(SUM(moveins) AS BIGINT) AS moveins,
  CAST(SUM(moveouts) AS BIGINT) AS moveouts,
  CAST(SUM(net_change) AS BIGINT) AS net_change,
  CAST(SUM(occupied_rooms_at_start) AS BIGINT) AS occupied_rooms_at_start,
  CAST(SUM(total_rooms_at_start) AS BIGINT) AS total_rooms_at_start,
  CASE WHEN SUM(occupied_rooms_at_start) > 0 THEN CAST(SUM(moveouts) AS DOUBLE PRECISION) / SUM(occupied_rooms_at_start) END AS churn_rate,
  BOOL_OR(is_partial) AS is_partial,
  MIN(as_of_date) AS as_of_date
FROM {{ ref('property_churn_weekly') }}
GROUP BY week_start, municipality_ja
