{{ config(materialized='table', tags=['silver']) }}
-- The as-of date of everything downstream: the latest snapshot loaded, never the wall clock.
-- A one-row table, not a view: some fifteen models read it, and on PostgreSQL each read of a
-- view would scan the whole snapshot history again.
SELECT MAX(snapshot_date) AS as_of_date
FROM {{ source('staging', 'tenant_daily_snapshots') }}
