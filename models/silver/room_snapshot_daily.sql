{{ config(materialized='incremental', unique_key=['snapshot_date', 'room_id'], full_refresh=false, delete_where="snapshot_date = {% if has_var('snapshot_date') %}{{ var('snapshot_date') }}{% else %}(SELECT MAX(snapshot_date) FROM {{ source('staging', 'tenant_daily_snapshots') }}){% endif %}", tags=['silver', 'snapshot']) }}
-- One row per (snapshot_date, room) with the room's state and its building's open/close dates
-- in that snapshot: the room inventory of snapshot D is computed from it. Never dropped.
SELECT
  s.snapshot_date,
  s.room_id,
  s.apartment_id,
  s.room_type_code,
  s.is_active = 1 AS is_active,
  s.rent AS list_rent,
  s.opened_on,
  s.closed_on
-- History = the table plus the rows `tokyobeta archive snapshots` moved to Parquet (empty view until then).
FROM (
  SELECT * FROM {{ source('staging', 'room_daily_snapshots') }}
  UNION ALL
  SELECT * FROM {{ source('tokyobeta_meta', 'room_daily_snapshots_archived') }}
) s
{% if is_incremental() %}
-- The caller's snapshot_date (daily run, backfill, a forced rebuild), else the latest loaded.
WHERE s.snapshot_date = {% if has_var('snapshot_date') %}{{ var('snapshot_date') }}{% else %}(SELECT MAX(snapshot_date) FROM {{ source('staging', 'tenant_daily_snapshots') }}){% endif %}
{% endif %}
