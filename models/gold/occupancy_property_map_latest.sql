{{ config(materialized='table', tags=['gold', 'mart', 'geography']) }}
-- One row per building present on the latest fact day: its occupancy that day, coordinates for
-- the map, and its net change (move-ins - confirmed move-outs) over the 28 days up to that day.
WITH latest AS (
  SELECT MAX(snapshot_date) AS snapshot_date FROM {{ ref('occupancy_property_daily') }}
),
flows AS (
  SELECT
    c.apartment_id,
    SUM(CASE WHEN NOT c.is_cancelled AND c.move_in_date > {{ add_days('l.snapshot_date', -28) }} AND c.move_in_date <= l.snapshot_date THEN 1 ELSE 0 END) AS moveins_28d,
    SUM(CASE WHEN c.moveout_plans_date > {{ add_days('l.snapshot_date', -28) }} AND c.moveout_plans_date <= l.snapshot_date THEN 1 ELSE 0 END) AS moveouts_28d
  FROM {{ ref('int_contracts') }} c CROSS JOIN latest l
  GROUP BY c.apartment_id
)
SELECT
  o.apartment_id,
  p.asset_id_hj,
  p.apartment_name,
  p.apartment_name_en,
  p.municipality_code,
  p.municipality_ja,
  p.municipality_en,
  p.latitude,
  p.longitude,
  p.coordinates_approximate,
  o.snapshot_date,
  o.occupied_rooms,
  o.total_rooms,
  o.occupancy_rate,
  COALESCE(f.moveins_28d, 0) AS moveins_28d,
  COALESCE(f.moveouts_28d, 0) AS moveouts_28d,
  COALESCE(f.moveins_28d, 0) - COALESCE(f.moveouts_28d, 0) AS net_change_28d,
  o.as_of_date
FROM {{ ref('occupancy_property_daily') }} o
JOIN latest l ON l.snapshot_date = o.snapshot_date
LEFT JOIN {{ ref('dim_property') }} p ON p.apartment_id = o.apartment_id
LEFT JOIN flows f ON f.apartment_id = o.apartment_id
