{# PostgreSQL spellings of the date arithmetic models need; macros/duckdb/ holds the same names. #}
{% macro age_years(birth_date, on_date) -%}
  CAST(EXTRACT(YEAR FROM age({{ on_date }}, {{ birth_date }})) AS BIGINT)
{%- endmacro %}
{% macro days_between(from_date, to_date) -%}
  CAST(CAST({{ to_date }} AS DATE) - CAST({{ from_date }} AS DATE) AS BIGINT)
{%- endmacro %}
{% macro add_days(date_expr, days) -%}
  CAST({{ date_expr }} + CAST({{ days }} AS INTEGER) * INTERVAL '1 day' AS DATE)
{%- endmacro %}
{% macro plausible_date(date_expr) -%}
  CASE WHEN {{ date_expr }} BETWEEN DATE '1990-01-01' AND DATE '2100-12-31' THEN {{ date_expr }} END
{%- endmacro %}
