{# A table of consecutive dates [start_expr, end_expr], one column named `day`; LATERAL because
   the bounds usually come from an earlier FROM item (DuckDB binds that implicitly). #}
{% macro date_series(start_expr, end_expr) -%}
  LATERAL (SELECT CAST(gs AS DATE) AS day FROM generate_series(CAST({{ start_expr }} AS TIMESTAMP), CAST({{ end_expr }} AS TIMESTAMP), INTERVAL '1 day') AS gs)
{%- endmacro %}
