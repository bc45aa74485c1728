{{ config(materialized='view', tags=['silver']) }}
-- The as-of date of everything downstream: the latest snapshot loaded, never the wall clock.
SELECT MAX(snapshot_date) AS as_of_date
FROM {{ source('staging', 'tenant_daily_snapshots') }}
