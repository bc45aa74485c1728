{# The rows `tokyobeta archive snapshots` moved to Parquet, read in place: the SELECT of the
   view tokyobeta_meta.<history>_archived. `files`: absolute paths of the local copies listed in
   tokyobeta_meta.snapshot_archive; `columns`: the history's columns, in table order. #}
{% macro archived_snapshot_rows(files, columns) -%}
SELECT {{ columns | join(', ') }} FROM read_parquet([{% for f in files %}'{{ f | replace("'", "''") }}'{% if not loop.last %}, {% endif %}{% endfor %}], hive_partitioning = false)
{%- endmacro %}
