{{ config(materialized='view', tags=['gold', 'kpi']) }}
-- Deployment check: the latest version tokens of the daily and month-end KPI models (and the
-- trace) must agree.
WITH tokens AS (
  SELECT
    (SELECT MAX(kpi_definition_version) FROM {{ ref('occupancy_daily_metrics') }}
      WHERE computed_at = (SELECT MAX(computed_at) FROM {{ ref('occupancy_daily_metrics') }})) AS daily_version,
    (SELECT MAX(kpi_definition_version) FROM {{ ref('kpi_month_end_metrics') }}
      WHERE computed_at = (SELECT MAX(computed_at) FROM {{ ref('kpi_month_end_metrics') }})) AS month_end_version,
    (SELECT MAX(kpi_definition_version) FROM {{ ref('kpi_reference_trace') }}
      WHERE trace_generated_at = (SELECT MAX(trace_generated_at) FROM {{ ref('kpi_reference_trace') }})) AS trace_version
)
SELECT
  daily_version,
  month_end_version,
  trace_version,
  CASE WHEN daily_version = month_end_version AND daily_version = trace_version THEN 'aligned' ELSE 'mismatch' END AS status
FROM tokens
