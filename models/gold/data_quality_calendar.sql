{{ config(materialized='table', tags=['gold', 'quality']) }}
-- One row per calendar date from the first snapshot to the as-of date: valid, or a gap with
-- its reason, from the snapshot ledger (automatic) and the configured overrides (which win).
WITH bounds AS (
  SELECT MIN(snapshot_date) AS first_date, MAX(snapshot_date) AS as_of_date
  FROM {{ ref('tenant_room_snapshot_daily') }}
),
days AS (
  SELECT d.day AS calendar_date FROM bounds, {{ date_series('bounds.first_date', 'bounds.as_of_date') }} d
),
loaded AS (
  SELECT DISTINCT snapshot_date FROM {{ ref('tenant_room_snapshot_daily') }}
),
ledger AS (
  SELECT snapshot_date, status, reason FROM {{ source('tokyobeta_meta', 'snapshot_ledger') }}
),
overrides AS (
  SELECT start_date, end_date, status, reason FROM {{ ref('data_quality_overrides') }}
),
automatic AS (
  SELECT
    d.calendar_date,
    CASE WHEN l.snapshot_date IS NOT NULL THEN 'valid' ELSE 'gap' END AS status,
    CASE
      WHEN l.snapshot_date IS NOT NULL THEN NULL
      WHEN g.reason IN ('missing_dump', 'missing_manifest') THEN 'missing_dump'
      WHEN g.reason IN ('manifest_field', 'not_valid_for_etl') THEN 'invalid_manifest'
      WHEN g.reason = 'quarantined' THEN 'quarantined'
      WHEN g.reason = 'source_drift' THEN 'source_drift'
      WHEN g.reason = 'checksum_mismatch' THEN 'checksum_mismatch'
      WHEN g.reason IS NOT NULL THEN g.reason
      ELSE 'missing_dump'
    END AS reason
  FROM days d
  LEFT JOIN loaded l ON l.snapshot_date = d.calendar_date
  LEFT JOIN ledger g ON g.snapshot_date = d.calendar_date AND g.status = 'gap'
)
SELECT
  a.calendar_date,
  CASE
    WHEN o.status = 'gap' THEN 'gap'
    -- A date forced valid still needs a snapshot to compute anything from.
    WHEN o.status = 'valid' AND a.status = 'gap' THEN 'gap'
    ELSE a.status
  END AS status,
  CASE
    WHEN o.status = 'gap' THEN COALESCE(o.reason, 'forced_gap')
    WHEN o.status = 'valid' AND a.status = 'gap' THEN 'forced_valid_without_snapshot'
    WHEN o.status = 'valid' THEN NULL
    ELSE a.reason
  END AS reason,
  CASE WHEN o.status IS NOT NULL THEN 'override' ELSE 'automatic' END AS source
FROM automatic a
LEFT JOIN overrides o ON a.calendar_date BETWEEN o.start_date AND o.end_date
