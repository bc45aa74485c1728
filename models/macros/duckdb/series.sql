{# A table of consecutive dates [start_expr, end_expr], one column named `day`. #}
{% macro date_series(start_expr, end_expr) -%}
  (SELECT CAST(gs.generate_series AS DATE) AS day FROM generate_series(CAST({{ start_expr }} AS TIMESTAMP), CAST({{ end_expr }} AS TIMESTAMP), INTERVAL 1 DAY) gs)
{%- endmacro %}
