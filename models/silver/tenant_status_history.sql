{{ config(materialized='table', tags=['silver']) }}
-- SCD type 2: one row per stretch of consecutive snapshots in which a tenant kept the same
-- status and room. valid_to is the first snapshot date of the next stretch (exclusive), NULL
-- while current.
WITH ordered AS (
  SELECT
    tenant_id, snapshot_date, status, apartment_id, room_id,
    LAG(status) OVER w AS prev_status,
    LAG(apartment_id) OVER w AS prev_apartment_id,
    LAG(room_id) OVER w AS prev_room_id
  FROM {{ ref('tenant_room_snapshot_daily') }}
  WINDOW w AS (PARTITION BY tenant_id ORDER BY snapshot_date, apartment_id, room_id)
),
starts AS (
  SELECT *,
    CASE WHEN prev_status IS NULL OR prev_status <> status OR prev_apartment_id <> apartment_id OR prev_room_id <> room_id
         THEN 1 ELSE 0 END AS is_start
  FROM ordered
),
numbered AS (
  SELECT *, SUM(is_start) OVER (PARTITION BY tenant_id ORDER BY snapshot_date, apartment_id, room_id ROWS UNBOUNDED PRECEDING) AS stretch
  FROM starts
),
stretches AS (
  SELECT tenant_id, stretch, MIN(status) AS status, MIN(apartment_id) AS apartment_id, MIN(room_id) AS room_id,
         MIN(snapshot_date) AS valid_from, MAX(snapshot_date) AS last_seen
  FROM numbered
  GROUP BY tenant_id, stretch
),
snapshot_dates AS (
  -- Each snapshot date with the next one. last_seen is always one of these dates, so a join
  -- finds the next snapshot (a correlated MIN(...) > last_seen would rescan the snapshots per
  -- stretch on PostgreSQL).
  SELECT snapshot_date, LEAD(snapshot_date) OVER (ORDER BY snapshot_date) AS next_snapshot
  FROM (SELECT DISTINCT snapshot_date FROM {{ ref('tenant_room_snapshot_daily') }}) AS dates
),
bounded AS (
  SELECT
    s.*,
    LEAD(s.valid_from) OVER (PARTITION BY s.tenant_id ORDER BY s.stretch) AS next_from,
    -- A tenant missing from the next snapshot left the tenant-room pairs that day.
    d.next_snapshot
  FROM stretches s
  LEFT JOIN snapshot_dates d ON d.snapshot_date = s.last_seen
)
SELECT
  tenant_id,
  status,
  apartment_id,
  room_id,
  valid_from,
  COALESCE(next_from, next_snapshot) AS valid_to,
  last_seen,
  COALESCE(next_from, next_snapshot) IS NULL AS is_current
FROM bounded
