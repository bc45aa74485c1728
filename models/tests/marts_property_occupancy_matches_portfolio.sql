-- occupancy_property_daily summed over buildings equals occupancy_daily_metrics on every fact
-- day of the KPI window: occupied rooms = period_end_rooms, inventory = total_rooms.
WITH w AS (SELECT window_start, as_of_date FROM {{ ref('kpi_window') }}),
p AS (
  SELECT snapshot_date, SUM(occupied_rooms) AS occupied_rooms, SUM(total_rooms) AS total_rooms
  FROM {{ ref('occupancy_property_daily') }}, w
  WHERE snapshot_date >= w.window_start
  GROUP BY snapshot_date
)
SELECT o.snapshot_date, o.period_end_rooms, p.occupied_rooms, o.total_rooms, p.total_rooms AS property_total_rooms
FROM {{ ref('occupancy_daily_metrics') }} o
CROSS JOIN w
LEFT JOIN p ON p.snapshot_date = o.snapshot_date
WHERE NOT o.is_projection AND o.snapshot_date >= w.window_start
  AND (o.period_end_rooms <> COALESCE(p.occupied_rooms, 0) OR o.total_rooms <> COALESCE(p.total_rooms, 0))
