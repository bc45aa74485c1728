{{ config(materialized='incremental', unique_key=['snapshot_date', 'tenant_id', 'apartment_id', 'room_id'], full_refresh=false, delete_where="snapshot_date = {% if has_var('snapshot_date') %}{{ var('snapshot_date') }}{% else %}(SELECT MAX(snapshot_date) FROM {{ source('staging', 'tenant_daily_snapshots') }}){% endif %}", tags=['silver', 'snapshot']) }}
-- One row per (snapshot_date, tenant, room) with that day's status, dates and rent. History
-- that cannot be re-derived once old dumps are gone: a normal run only inserts the new
-- slice (or re-inserts a forced date) and never drops the table.
SELECT
  s.snapshot_date,
  s.tenant_id,
  s.apartment_id,
  s.room_id,
  s.status,
  s.moving_id,
  s.move_in_date,
  s.moveout_date,
  s.moveout_plans_date,
  s.rent
-- History = the table plus the rows `tokyobeta archive snapshots` moved to Parquet (empty view until then).
FROM (
  SELECT * FROM {{ source('staging', 'tenant_daily_snapshots') }}
  UNION ALL
  SELECT * FROM {{ source('tokyobeta_meta', 'tenant_daily_snapshots_archived') }}
) s
{% if is_incremental() %}
-- The caller's snapshot_date (daily run, backfill, a forced rebuild), else the latest loaded.
WHERE s.snapshot_date = {% if has_var('snapshot_date') %}{{ var('snapshot_date') }}{% else %}(SELECT MAX(snapshot_date) FROM {{ source('staging', 'tenant_daily_snapshots') }}){% endif %}
{% endif %}
