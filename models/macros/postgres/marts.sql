{# Calendar, percentile and clock helpers of the gold marts (PostgreSQL spellings; macros/duckdb/
   holds the same names). #}

{# Monday of the week of date_expr (date_trunc('week') is ISO, i.e. Monday-based). Through
   TIMESTAMP so the session time zone plays no part. #}
{% macro week_start(date_expr) -%}
  CAST(date_trunc('week', CAST({{ date_expr }} AS TIMESTAMP)) AS DATE)
{%- endmacro %}

{# First day of the month of date_expr. #}
{% macro month_start(date_expr) -%}
  CAST(date_trunc('month', CAST({{ date_expr }} AS TIMESTAMP)) AS DATE)
{%- endmacro %}

{# date_expr plus a whole number of months (end of month clamped: 03-31 - 1 month = 02-28). #}
{% macro add_months(date_expr, months) -%}
  CAST({{ date_expr }} + make_interval(months => CAST({{ months }} AS INTEGER)) AS DATE)
{%- endmacro %}

{# Continuous percentile (aggregate), e.g. pct_cont('lead_days', 0.5) for the median. #}
{% macro pct_cont(expr, fraction) -%}
  percentile_cont({{ fraction }}) WITHIN GROUP (ORDER BY {{ expr }})
{%- endmacro %}

{# Seconds since 1970-01-01 UTC of a TIMESTAMP taken as UTC, or of a TIMESTAMP WITH TIME ZONE
   (EXTRACT gives NUMERIC: cast to the DOUBLE DuckDB's epoch() returns). #}
{% macro epoch_seconds(ts_expr) -%}
  CAST(EXTRACT(EPOCH FROM {{ ts_expr }}) AS DOUBLE PRECISION)
{%- endmacro %}

{# The wall clock now, as a TIMESTAMP WITH TIME ZONE. #}
{% macro clock_now() -%}
  current_timestamp
{%- endmacro %}

{# A floating point value rounded to `digits` decimals, still DOUBLE PRECISION (PostgreSQL's
   two-argument ROUND exists for NUMERIC only). #}
{% macro round_double(expr, digits) -%}
  CAST(ROUND(CAST({{ expr }} AS NUMERIC), {{ digits }}) AS DOUBLE PRECISION)
{%- endmacro %}
