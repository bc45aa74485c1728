{# Labels of codes that have no seed (standard SQL, for every engine). #}
{% macro tenant_type_ja(col) -%}
  CASE {{ col }} WHEN 'individual' THEN '個人' WHEN 'corporate' THEN '法人' ELSE '不明' END
{%- endmacro %}
{% macro tenant_type_en(col) -%}
  CASE {{ col }} WHEN 'individual' THEN 'Individual' WHEN 'corporate' THEN 'Corporate' ELSE 'Unknown' END
{%- endmacro %}
