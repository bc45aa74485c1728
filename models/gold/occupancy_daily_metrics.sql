{{ config(
    materialized='incremental',
    unique_key='snapshot_date',
    delete_where="snapshot_date >= (SELECT window_start FROM {{ ref('kpi_window') }}) OR is_projection",
    tags=['gold', 'kpi']
) }}
-- Daily occupancy (kpis.md): fact days from the snapshots, projection days from the as-of
-- dump. A run recomputes only the KPI window (and every old projection row); a full build
-- starts at the first snapshot.
WITH w AS (
  SELECT
    k.as_of_date,
    {% if is_incremental() %}k.window_start{% else %}(SELECT MIN(snapshot_date) FROM {{ ref('tenant_room_snapshot_daily') }}){% endif %} AS start_date,
    k.window_end
  FROM {{ ref('kpi_window') }} k
),
calendar AS (
  SELECT c.calendar_date, c.status FROM {{ ref('data_quality_calendar') }} c, w
  WHERE c.calendar_date BETWEEN {{ add_days('w.start_date', -1) }} AND w.as_of_date
),
occupying AS (
  SELECT code FROM {{ ref('management_status_codes') }} WHERE is_occupying
),
snap AS (
  SELECT s.* FROM {{ ref('tenant_room_snapshot_daily') }} s, w
  WHERE s.snapshot_date BETWEEN {{ add_days('w.start_date', -1) }} AND w.as_of_date
    AND s.status IN (SELECT code FROM occupying)
),
rooms_of_day AS (
  -- One pass over the snapshots: each occupied physical room of a day, and whether it was
  -- already occupied at 00:00 (a pair moving in that day does not count; a leaving tenant does).
  SELECT snapshot_date, apartment_id, room_id,
         MAX(CASE WHEN move_in_date IS NULL OR move_in_date <> snapshot_date THEN 1 ELSE 0 END) AS at_0000
  FROM snap
  GROUP BY snapshot_date, apartment_id, room_id
),
occupied AS (
  SELECT snapshot_date, COUNT(*) AS rooms, CAST(SUM(at_0000) AS BIGINT) AS rooms_0000
  FROM rooms_of_day
  GROUP BY snapshot_date
),
inventory AS (
  SELECT r.snapshot_date, COUNT(*) AS rooms
  FROM {{ ref('room_snapshot_daily') }} r, w
  WHERE r.snapshot_date BETWEEN w.start_date AND w.as_of_date
    AND r.is_active AND r.opened_on <= r.snapshot_date AND (r.closed_on IS NULL OR r.closed_on > r.snapshot_date)
  GROUP BY r.snapshot_date
),
m AS (SELECT * FROM {{ ref('stg_movings') }}),
applications AS (
  SELECT application_date AS day, COUNT(*) AS n FROM m GROUP BY 1
),
moveins AS (
  SELECT move_in_date AS day, COUNT(*) AS n FROM m WHERE NOT is_cancelled GROUP BY 1
),
moveouts AS (
  SELECT moveout_plans_date AS day, COUNT(*) AS n FROM m WHERE moveout_plans_date IS NOT NULL GROUP BY 1
),
facts AS (
  SELECT
    c.calendar_date AS snapshot_date,
    COALESCE(a.n, 0) AS applications,
    COALESCE(mi.n, 0) AS new_moveins,
    COALESCE(mo.n, 0) AS new_moveouts,
    COALESCE(o.rooms, 0) AS period_end_rooms,
    -- Bridge-day rule: no start when the day before is a gap or before the first snapshot.
    CASE WHEN prev.status = 'valid' THEN COALESCE(po.rooms, 0) END AS period_start_rooms,
    COALESCE(i.rooms, 0) AS total_rooms,
    COALESCE(o.rooms_0000, 0) AS occupancy_room_count_0000
  FROM calendar c
  CROSS JOIN w
  LEFT JOIN calendar prev ON prev.calendar_date = {{ add_days('c.calendar_date', -1) }}
  LEFT JOIN occupied o ON o.snapshot_date = c.calendar_date
  LEFT JOIN occupied po ON po.snapshot_date = prev.calendar_date
  LEFT JOIN inventory i ON i.snapshot_date = c.calendar_date
  LEFT JOIN applications a ON a.day = c.calendar_date
  LEFT JOIN moveins mi ON mi.day = c.calendar_date
  LEFT JOIN moveouts mo ON mo.day = c.calendar_date
  WHERE c.status = 'valid' AND c.calendar_date >= w.start_date
),
scheduled AS (
  SELECT code FROM {{ ref('management_status_codes') }} WHERE is_scheduled_movein
),
projection_days AS (
  SELECT d.day AS snapshot_date FROM w, {{ date_series(add_days('w.as_of_date', 1), 'w.window_end') }} d
),
projected_moveins AS (
  SELECT m.move_in_date AS day, COUNT(*) AS n
  FROM m JOIN {{ ref('stg_tenants') }} t ON t.tenant_id = m.tenant_id
  WHERE NOT m.is_cancelled AND t.status IN (SELECT code FROM scheduled)
  GROUP BY 1
),
projected_moveouts AS (
  SELECT moveout_date AS day, COUNT(*) AS n
  FROM m WHERE NOT is_cancelled AND moveout_date IS NOT NULL AND moveout_plans_date IS NULL
  GROUP BY 1
),
as_of_rooms AS (
  SELECT r.* FROM {{ ref('room_snapshot_daily') }} r, w WHERE r.snapshot_date = w.as_of_date AND r.is_active
),
as_of_end AS (
  SELECT COALESCE((SELECT rooms FROM occupied, w WHERE occupied.snapshot_date = w.as_of_date), 0) AS rooms
),
projection_inventory AS (
  -- As-of rooms open on each projected day. A join, not a correlated COUNT per day, which
  -- PostgreSQL would answer by rescanning the room snapshots for every day.
  SELECT p.snapshot_date, COUNT(r.snapshot_date) AS rooms
  FROM projection_days p
  LEFT JOIN as_of_rooms r
    ON r.opened_on <= p.snapshot_date AND (r.closed_on IS NULL OR r.closed_on > p.snapshot_date)
  GROUP BY p.snapshot_date
),
projection_flows AS (
  SELECT
    p.snapshot_date,
    COALESCE(pi.n, 0) AS new_moveins,
    COALESCE(po.n, 0) AS new_moveouts,
    pr.rooms AS total_rooms
  FROM projection_days p
  JOIN projection_inventory pr ON pr.snapshot_date = p.snapshot_date
  LEFT JOIN projected_moveins pi ON pi.day = p.snapshot_date
  LEFT JOIN projected_moveouts po ON po.day = p.snapshot_date
),
projections AS (
  SELECT
    f.snapshot_date,
    0 AS applications,
    f.new_moveins,
    f.new_moveouts,
    -- BIGINT: a SUM of BIGINT is NUMERIC on PostgreSQL (HUGEINT on DuckDB); counts stay integers.
    CAST(e.rooms + SUM(f.new_moveins - f.new_moveouts) OVER (ORDER BY f.snapshot_date ROWS UNBOUNDED PRECEDING) AS BIGINT) AS period_end_rooms,
    CAST(e.rooms + SUM(f.new_moveins - f.new_moveouts) OVER (ORDER BY f.snapshot_date ROWS UNBOUNDED PRECEDING)
      - (f.new_moveins - f.new_moveouts) AS BIGINT) AS period_start_rooms,
    f.total_rooms
  FROM projection_flows f CROSS JOIN as_of_end e
)
SELECT
  f.snapshot_date,
  f.applications,
  f.new_moveins,
  f.new_moveouts,
  f.period_start_rooms,
  f.period_end_rooms,
  f.period_end_rooms - f.period_start_rooms AS occupancy_delta,
  f.total_rooms,
  CASE WHEN f.total_rooms > 0 THEN CAST(f.period_end_rooms AS DOUBLE PRECISION) / f.total_rooms END AS occupancy_rate,
  FALSE AS is_projection,
  f.occupancy_room_count_0000,
  f.new_moveins AS same_day_moveins,
  f.new_moveouts AS same_day_moveouts,
  f.occupancy_room_count_0000 + f.new_moveins - f.new_moveouts AS occupancy_room_count_eod,
  w.as_of_date,
  {{ var('kpi_definition_version', 'occupancy-v1') }} AS kpi_definition_version,
  CURRENT_TIMESTAMP AS computed_at
FROM facts f CROSS JOIN w
UNION ALL
SELECT
  p.snapshot_date,
  p.applications,
  p.new_moveins,
  p.new_moveouts,
  p.period_start_rooms,
  p.period_end_rooms,
  p.new_moveins - p.new_moveouts AS occupancy_delta,
  p.total_rooms,
  CASE WHEN p.total_rooms > 0 THEN CAST(p.period_end_rooms AS DOUBLE PRECISION) / p.total_rooms END AS occupancy_rate,
  TRUE AS is_projection,
  NULL AS occupancy_room_count_0000,
  NULL AS same_day_moveins,
  NULL AS same_day_moveouts,
  NULL AS occupancy_room_count_eod,
  w.as_of_date,
  {{ var('kpi_definition_version', 'occupancy-v1') }} AS kpi_definition_version,
  CURRENT_TIMESTAMP AS computed_at
FROM projections p CROSS JOIN w
