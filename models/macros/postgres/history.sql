{# PostgreSQL cannot read Parquet files in place: archiving snapshot history to Parquet is not
   available on this engine. The view refers to a relation that does not exist, so
   `tokyobeta archive snapshots` fails naming the reason and its state is abandoned. #}
{% macro archived_snapshot_rows(files, columns) -%}
SELECT {{ columns | join(', ') }} FROM tokyobeta_meta.parquet_archive_is_not_supported_on_postgresql
{%- endmacro %}
