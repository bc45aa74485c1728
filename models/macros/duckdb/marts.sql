{# Calendar, percentile and clock helpers of the gold marts (DuckDB spellings). macros/postgres/
   gets the same names: week_start/month_start -> CAST(date_trunc(...) AS DATE), add_months ->
   + make_interval(months => n), pct_cont -> percentile_cont(p) WITHIN GROUP (ORDER BY expr),
   epoch_seconds -> EXTRACT(EPOCH FROM ts). #}

{# Monday of the week of date_expr (DuckDB's date_trunc('week') is ISO, i.e. Monday-based). #}
{% macro week_start(date_expr) -%}
  CAST(date_trunc('week', {{ date_expr }}) AS DATE)
{%- endmacro %}

{# First day of the month of date_expr. #}
{% macro month_start(date_expr) -%}
  CAST(date_trunc('month', {{ date_expr }}) AS DATE)
{%- endmacro %}

{# date_expr plus a whole number of months (end of month clamped: 03-31 - 1 month = 02-28). #}
{% macro add_months(date_expr, months) -%}
  CAST({{ date_expr }} + to_months(CAST({{ months }} AS INTEGER)) AS DATE)
{%- endmacro %}

{# Continuous percentile (aggregate), e.g. pct_cont('lead_days', 0.5) for the median. #}
{% macro pct_cont(expr, fraction) -%}
  quantile_cont({{ expr }}, {{ fraction }})
{%- endmacro %}

{# Seconds since 1970-01-01 UTC of a TIMESTAMP taken as UTC, or of a TIMESTAMP WITH TIME ZONE. #}
{% macro epoch_seconds(ts_expr) -%}
  epoch({{ ts_expr }})
{%- endmacro %}

{# The wall clock now, as a TIMESTAMP WITH TIME ZONE. #}
{% macro clock_now() -%}
  current_timestamp
{%- endmacro %}

{# A floating point value rounded to `digits` decimals, still DOUBLE. #}
{% macro round_double(expr, digits) -%}
  ROUND({{ expr }}, {{ digits }})
{%- endmacro %}
