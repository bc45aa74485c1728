-- period_end_rooms = period_start_rooms + occupancy_delta wherever start is known.
SELECT snapshot_date, period_start_rooms, occupancy_delta, period_end_rooms
FROM {{ ref('occupancy_daily_metrics') }}
WHERE period_start_rooms IS NOT NULL
  AND period_end_rooms <> period_start_rooms + occupancy_delta
