{{ config(
    materialized='incremental',
    unique_key=['snapshot_date', 'apartment_id'],
    delete_where="snapshot_date >= (SELECT window_start FROM {{ ref('kpi_window') }})",
    tags=['gold', 'mart', 'occupancy']
) }}
-- Building x fact day: occupied physical rooms (occupying status in snapshot D, as
-- occupancy_daily_metrics counts them) and the room inventory of snapshot D. Valid calendar
-- days only. A run recomputes only the KPI window; a full build starts at the first snapshot.
WITH w AS (
  SELECT
    k.as_of_date,
    {% if is_incremental() %}k.window_start{% else %}(SELECT MIN(snapshot_date) FROM {{ ref('tenant_room_snapshot_daily') }}){% endif %} AS start_date
  FROM {{ ref('kpi_window') }} k
),
fact_days AS (
  SELECT c.calendar_date FROM {{ ref('data_quality_calendar') }} c, w
  WHERE c.status = 'valid' AND c.calendar_date BETWEEN w.start_date AND w.as_of_date
),
occupied AS (
  SELECT snapshot_date, apartment_id, COUNT(*) AS occupied_rooms
  FROM (
    SELECT DISTINCT s.snapshot_date, s.apartment_id, s.room_id
    FROM {{ ref('tenant_room_snapshot_daily') }} s, w
    WHERE s.snapshot_date BETWEEN w.start_date AND w.as_of_date
      AND s.status IN (SELECT code FROM {{ ref('management_status_codes') }} WHERE is_occupying)
  ) x
  GROUP BY snapshot_date, apartment_id
),
inventory AS (
  SELECT r.snapshot_date, r.apartment_id, COUNT(*) AS total_rooms
  FROM {{ ref('room_snapshot_daily') }} r, w
  WHERE r.snapshot_date BETWEEN w.start_date AND w.as_of_date
    AND r.is_active AND r.opened_on <= r.snapshot_date AND (r.closed_on IS NULL OR r.closed_on > r.snapshot_date)
  GROUP BY r.snapshot_date, r.apartment_id
),
keys AS (
  SELECT snapshot_date, apartment_id FROM occupied
  UNION
  SELECT snapshot_date, apartment_id FROM inventory
)
SELECT
  k.snapshot_date,
  k.apartment_id,
  a.asset_id_hj,
  a.apartment_name,
  COALESCE(a.municipality_ja, '不明') AS municipality_ja,
  COALESCE(a.municipality_en, 'Unknown') AS municipality_en,
  COALESCE(o.occupied_rooms, 0) AS occupied_rooms,
  COALESCE(i.total_rooms, 0) AS total_rooms,
  CASE WHEN COALESCE(i.total_rooms, 0) > 0 THEN CAST(COALESCE(o.occupied_rooms, 0) AS DOUBLE PRECISION) / i.total_rooms END AS occupancy_rate,
  w.as_of_date,
  CURRENT_TIMESTAMP AS computed_at
FROM keys k
JOIN fact_days f ON f.calendar_date = k.snapshot_date
CROSS JOIN w
LEFT JOIN occupied o ON o.snapshot_date = k.snapshot_date AND o.apartment_id = k.apartment_id
LEFT JOIN inventory i ON i.snapshot_date = k.snapshot_date AND i.apartment_id = k.apartment_id
LEFT JOIN {{ ref('stg_apartments') }} a ON a.apartment_id = k.apartment_id
