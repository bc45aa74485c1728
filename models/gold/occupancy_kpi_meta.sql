{{ config(materialized='table', tags=['gold', 'mart', 'occupancy']) }}
-- One row: what the Overview page needs to draw the fact/projection boundary and the
-- Time basis / Freshness lines. Sources that always exist when models run: the snapshot
-- history, the data-quality calendar, the snapshot ledger, occupancy_daily_metrics.
-- Gold is published only by a run with no error, so gold_built_at (this run) is the last
-- successful run as any reader of the published state sees it. tokyobeta_meta.model_runs is
-- not read: it does not exist before the first models run and SQL cannot guard a missing table.
WITH x AS (SELECT as_of_date FROM {{ ref('load_as_of') }}),
k AS (SELECT window_start, window_end FROM {{ ref('kpi_window') }}),
cal AS (
  SELECT
    MIN(calendar_date) AS first_snapshot_date,
    MAX(CASE WHEN status = 'valid' THEN calendar_date END) AS last_fact_date,
    SUM(CASE WHEN status = 'valid' THEN 1 ELSE 0 END) AS fact_days,
    SUM(CASE WHEN status = 'gap' THEN 1 ELSE 0 END) AS gap_days
  FROM {{ ref('data_quality_calendar') }}
),
occ AS (
  SELECT
    MAX(CASE WHEN is_projection THEN snapshot_date END) AS projection_end_date,
    MAX(kpi_definition_version) AS kpi_definition_version
  FROM {{ ref('occupancy_daily_metrics') }}
),
ledger AS (
  SELECT MAX(recorded_at) AS last_load_recorded_at
  FROM {{ source('tokyobeta_meta', 'snapshot_ledger') }}
  WHERE status = 'loaded'
),
base AS (
  SELECT
    x.as_of_date,
    cal.first_snapshot_date,
    cal.last_fact_date,
    {{ add_days('x.as_of_date', 1) }} AS first_projection_date,
    occ.projection_end_date,
    k.window_start AS recompute_window_start,
    cal.fact_days,
    cal.gap_days,
    -- The dump of date D is taken at 05:30 JST = 20:30 UTC of D-1.
    CAST(x.as_of_date AS TIMESTAMP) - INTERVAL '210' MINUTE AS snapshot_taken_at_utc,
    ledger.last_load_recorded_at AS last_load_recorded_at_utc,
    {{ clock_now() }} AS gold_built_at,
    occ.kpi_definition_version
  FROM x CROSS JOIN k CROSS JOIN cal CROSS JOIN occ CROSS JOIN ledger
)
SELECT
  b.*,
  {{ round_double("(" ~ epoch_seconds(clock_now()) ~ " - " ~ epoch_seconds("b.snapshot_taken_at_utc") ~ ") / 3600.0", 1) }} AS freshness_hours,
  {{ var('freshness_threshold_hours', 36) }} AS freshness_threshold_hours,
  ({{ epoch_seconds(clock_now()) }} - {{ epoch_seconds('b.snapshot_taken_at_utc') }}) / 3600.0 > {{ var('freshness_threshold_hours', 36) }} AS is_stale,
  'snapshot taken 05:30 JST; weeks start Monday; months are calendar months' AS time_basis_en,
  'スナップショットは05:30 JST取得。週は月曜始まり。月は暦月。' AS time_basis_ja
FROM base b
