-- occupancy_room_count_eod = 0000 + same-day move-ins - same-day move-outs on fact days.
SELECT snapshot_date
FROM {{ ref('occupancy_daily_metrics') }}
WHERE NOT is_projection
  AND occupancy_room_count_eod <> occupancy_room_count_0000 + same_day_moveins - same_day_moveouts
