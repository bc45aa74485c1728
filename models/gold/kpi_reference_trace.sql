{{ config(materialized='incremental', tags=['gold', 'kpi']) }}
-- One row per run: which definition version computed the KPIs, from which snapshot and dump,
-- and how fresh that snapshot was when the run finished.
WITH latest_load AS (
  SELECT dump_file, dump_sha256
  FROM {{ source('tokyobeta_meta', 'loads') }}
  ORDER BY loaded_at DESC
  LIMIT 1
)
SELECT
  {{ var('kpi_definition_version', 'occupancy-v1') }} AS kpi_definition_version,
  x.as_of_date,
  CURRENT_TIMESTAMP AS trace_generated_at,
  l.dump_file,
  l.dump_sha256,
  -- The snapshot shows the PMS at 05:30 Asia/Tokyo of the as-of date.
  {{ hours_since_snapshot('x.as_of_date') }} AS freshness_hours
FROM {{ ref('load_as_of') }} x
LEFT JOIN latest_load l ON TRUE
