{# Hours from the snapshot moment (05:30 Asia/Tokyo of the date) to now. #}
{% macro hours_since_snapshot(date_expr) -%}
  (epoch(CURRENT_TIMESTAMP) - epoch(timezone('Asia/Tokyo', CAST({{ date_expr }} AS TIMESTAMP) + INTERVAL 330 MINUTE))) / 3600.0
{%- endmacro %}
