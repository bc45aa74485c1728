{# Hours from the snapshot moment (05:30 Asia/Tokyo of the date) to now. #}
{% macro hours_since_snapshot(date_expr) -%}
  CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) - EXTRACT(EPOCH FROM ((CAST({{ date_expr }} AS TIMESTAMP) + INTERVAL '330 minutes') AT TIME ZONE 'Asia/Tokyo')) AS DOUBLE PRECISION) / 3600.0
{%- endmacro %}
