{# DuckDB spellings of the date arithmetic models need; macros/postgres/ holds the same names. #}
{% macro age_years(birth_date, on_date) -%}
  (date_diff('year', {{ birth_date }}, {{ on_date }}) - CASE WHEN strftime({{ on_date }}, '%m-%d') < strftime({{ birth_date }}, '%m-%d') THEN 1 ELSE 0 END)
{%- endmacro %}
{% macro days_between(from_date, to_date) -%}
  date_diff('day', {{ from_date }}, {{ to_date }})
{%- endmacro %}
{% macro add_days(date_expr, days) -%}
  CAST({{ date_expr }} + to_days(CAST({{ days }} AS INTEGER)) AS DATE)
{%- endmacro %}
{% macro plausible_date(date_expr) -%}
  CASE WHEN {{ date_expr }} BETWEEN DATE '1990-01-01' AND DATE '2100-12-31' THEN {{ date_expr }} END
{%- endmacro %}
