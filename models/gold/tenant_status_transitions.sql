{{ config(
    materialized='incremental',
    unique_key=['tenant_id', 'changed_on'],
    delete_where="changed_on >= (SELECT window_start FROM {{ ref('kpi_window') }})",
    tags=['gold', 'mart', 'tenants']
) }}
-- Tenant x change, from consecutive valid snapshots: comparing each valid snapshot D with the
-- previous valid snapshot D', a tenant-room pair whose status changed (status_change), whose
-- room changed with the same status (room_change), that is new on D (appeared) or gone on D
-- (disappeared: the tenant lost the room assignment). changed_on = D: the change happened
-- after D' 05:30 and by D 05:30. tenant_id is kept because it is the grain; no other personal
-- data. A run recomputes only changes on or after the KPI window start.
WITH w AS (
  SELECT {% if is_incremental() %}k.window_start{% else %}CAST(NULL AS DATE){% endif %} AS start_date
  FROM {{ ref('kpi_window') }} k
),
valid_days AS (
  SELECT c.calendar_date AS snapshot_date,
         LAG(c.calendar_date) OVER (ORDER BY c.calendar_date) AS previous_snapshot_date
  FROM {{ ref('data_quality_calendar') }} c
  WHERE c.status = 'valid'
),
pairs AS (
  -- Days whose changes this run computes (each with its previous valid snapshot).
  SELECT v.snapshot_date, v.previous_snapshot_date
  FROM valid_days v, w
  WHERE v.previous_snapshot_date IS NOT NULL AND (w.start_date IS NULL OR v.snapshot_date >= w.start_date)
),
snap AS (
  SELECT s.snapshot_date, s.tenant_id, s.apartment_id, s.room_id, s.status, s.moving_id
  FROM {{ ref('tenant_room_snapshot_daily') }} s, w
  WHERE w.start_date IS NULL
     OR s.snapshot_date >= (SELECT MIN(previous_snapshot_date) FROM pairs)
),
cur AS (
  SELECT p.snapshot_date AS changed_on, p.previous_snapshot_date, s.*
  FROM pairs p JOIN snap s ON s.snapshot_date = p.snapshot_date
),
prv AS (
  SELECT p.snapshot_date AS changed_on, p.previous_snapshot_date, s.*
  FROM pairs p JOIN snap s ON s.snapshot_date = p.previous_snapshot_date
),
changes AS (
  SELECT
    COALESCE(c.tenant_id, p.tenant_id) AS tenant_id,
    COALESCE(c.changed_on, p.changed_on) AS changed_on,
    COALESCE(c.previous_snapshot_date, p.previous_snapshot_date) AS previous_snapshot_date,
    CASE WHEN p.tenant_id IS NULL THEN 'appeared'
         WHEN c.tenant_id IS NULL THEN 'disappeared'
         WHEN c.status <> p.status THEN 'status_change'
         ELSE 'room_change' END AS change_kind,
    p.status AS from_status,
    c.status AS to_status,
    p.apartment_id AS from_apartment_id,
    p.room_id AS from_room_id,
    c.apartment_id AS to_apartment_id,
    c.room_id AS to_room_id,
    COALESCE(c.moving_id, p.moving_id) AS moving_id
  FROM cur c
  FULL OUTER JOIN prv p ON p.changed_on = c.changed_on AND p.tenant_id = c.tenant_id
  WHERE c.tenant_id IS NULL OR p.tenant_id IS NULL
     OR c.status <> p.status OR c.apartment_id <> p.apartment_id OR c.room_id <> p.room_id
)
SELECT
  ch.tenant_id,
  ch.changed_on,
  ch.previous_snapshot_date,
  {{ days_between('ch.previous_snapshot_date', 'ch.changed_on') }} AS days_since_previous_snapshot,
  ch.change_kind,
  ch.from_status,
  fs.label_ja AS from_status_ja,
  fs.label_en AS from_status_en,
  ch.to_status,
  ts.label_ja AS to_status_ja,
  ts.label_en AS to_status_en,
  ch.from_apartment_id,
  ch.from_room_id,
  ch.to_apartment_id,
  ch.to_room_id,
  COALESCE(ch.to_apartment_id, ch.from_apartment_id) AS apartment_id,
  a.asset_id_hj,
  a.apartment_name,
  COALESCE(a.municipality_ja, '不明') AS municipality_ja,
  COALESCE(a.municipality_en, 'Unknown') AS municipality_en,
  ch.moving_id,
  COALESCE(m.tenant_type, m2.tenant_type) AS tenant_type,
  {{ tenant_type_ja('COALESCE(m.tenant_type, m2.tenant_type)') }} AS tenant_type_ja,
  {{ tenant_type_en('COALESCE(m.tenant_type, m2.tenant_type)') }} AS tenant_type_en,
  COALESCE(t.nationality_code, 'ZZ') AS nationality_code,
  COALESCE(t.nationality_en, 'Unknown') AS nationality_en,
  COALESCE(t.nationality_ja, '不明') AS nationality_ja,
  {{ week_start('ch.changed_on') }} AS week_start,
  {{ month_start('ch.changed_on') }} AS month_start
FROM changes ch
LEFT JOIN {{ ref('management_status_codes') }} fs ON fs.code = ch.from_status
LEFT JOIN {{ ref('management_status_codes') }} ts ON ts.code = ch.to_status
LEFT JOIN {{ ref('stg_apartments') }} a ON a.apartment_id = COALESCE(ch.to_apartment_id, ch.from_apartment_id)
LEFT JOIN {{ ref('stg_movings') }} m ON m.moving_id = ch.moving_id
LEFT JOIN {{ ref('stg_tenants') }} t ON t.tenant_id = ch.tenant_id
LEFT JOIN {{ ref('stg_movings') }} m2 ON m2.moving_id = t.moving_id
