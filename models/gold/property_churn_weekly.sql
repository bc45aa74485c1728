{{ config(materialized='table', tags=['gold', 'mart', 'geography']) }}
-- Week (Monday) x building: move-ins, confirmed move-outs, net change, occupied rooms at the
-- week's start and churn rate. Every building with occupancy data in a fact week has a row
-- (zeros included); weeks outside the snapshot history have rows only where events happened.
-- Occupied rooms at the start: the building's occupied_rooms on the day before the week when
-- that is a fact day, else on the week's first fact day (basis column says which).
WITH x AS (SELECT as_of_date FROM {{ ref('load_as_of') }}),
events AS (
  SELECT move_in_week_start AS week_start, apartment_id, 1 AS movein, 0 AS moveout
  FROM {{ ref('mart_contract_base') }} WHERE is_movein
  UNION ALL
  SELECT moveout_week_start, apartment_id, 0, 1
  FROM {{ ref('mart_contract_base') }} WHERE is_confirmed_moveout
),
flows AS (
  SELECT week_start, apartment_id, SUM(movein) AS moveins, SUM(moveout) AS moveouts
  FROM events GROUP BY week_start, apartment_id
),
occ AS (
  SELECT snapshot_date, {{ week_start('snapshot_date') }} AS week_start, apartment_id, occupied_rooms, total_rooms
  FROM {{ ref('occupancy_property_daily') }}
),
keys AS (
  SELECT week_start, apartment_id FROM occ
  UNION
  SELECT week_start, apartment_id FROM flows
),
first_fact AS (
  SELECT week_start, apartment_id, MIN(snapshot_date) AS first_fact_date FROM occ GROUP BY week_start, apartment_id
),
start_occ AS (
  SELECT
    k.week_start, k.apartment_id,
    COALESCE(p.occupied_rooms, f.occupied_rooms) AS occupied_rooms_at_start,
    COALESCE(p.total_rooms, f.total_rooms) AS total_rooms_at_start,
    CASE WHEN p.occupied_rooms IS NOT NULL THEN 'previous_day_end'
         WHEN f.occupied_rooms IS NOT NULL THEN 'first_fact_day_end' END AS occupied_rooms_at_start_basis
  FROM keys k
  LEFT JOIN occ p ON p.apartment_id = k.apartment_id AND p.snapshot_date = {{ add_days('k.week_start', -1) }}
  LEFT JOIN first_fact ff ON ff.week_start = k.week_start AND ff.apartment_id = k.apartment_id
  LEFT JOIN occ f ON f.apartment_id = k.apartment_id AND f.snapshot_date = ff.first_fact_date
)
SELECT
  k.week_start,
  {{ add_days('k.week_start', 6) }} AS week_end,
  k.apartment_id,
  d.asset_id_hj,
  d.apartment_name,
  d.municipality_code,
  COALESCE(d.municipality_ja, '不明') AS municipality_ja,
  COALESCE(d.municipality_en, 'Unknown') AS municipality_en,
  COALESCE(fl.moveins, 0) AS moveins,
  COALESCE(fl.moveouts, 0) AS moveouts,
  COALESCE(fl.moveins, 0) - COALESCE(fl.moveouts, 0) AS net_change,
  s.occupied_rooms_at_start,
  s.total_rooms_at_start,
  s.occupied_rooms_at_start_basis,
  CASE WHEN s.occupied_rooms_at_start > 0 THEN CAST(COALESCE(fl.moveouts, 0) AS DOUBLE PRECISION) / s.occupied_rooms_at_start END AS churn_rate,
  {{ add_days('k.week_start', 6) }} > x.as_of_date AS is_partial,
  x.as_of_date
FROM keys k
CROSS JOIN x
LEFT JOIN flows fl ON fl.week_start = k.week_start AND fl.apartment_id = k.apartment_id
LEFT JOIN start_occ s ON s.week_start = k.week_start AND s.apartment_id = k.apartment_id
LEFT JOIN {{ ref('dim_property') }} d ON d.apartment_id = k.apartment_id
