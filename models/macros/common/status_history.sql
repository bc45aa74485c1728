{# tenant_status_history's incremental rule. The date up to which the stored stretches stay
   right, as a scalar subquery: the last snapshot they saw (`processed`), when everything this
   run changed is newer; NULL (rebuild from the whole snapshot history) when
   - the history is empty, or this run is not a daily run (no `snapshot_date`),
   - this run (re)builds a snapshot date not newer than `processed` (a re-run of the same date,
     a forced rebuild: `forced`), or
   - a date not newer than `processed` was recorded in the ledger after `processed` was (a
     backfill of older dates).
   `snapshot_date` and `forced`: SQL date literals, or empty when not set. #}
{% macro status_history_replay_from(history, ledger, snapshot_date, forced) -%}
{%- if not snapshot_date -%}
CAST(NULL AS DATE)
{%- else -%}
(SELECT CASE
    WHEN h.processed IS NULL THEN NULL
    WHEN CAST({{ snapshot_date }} AS DATE) <= h.processed THEN NULL
    {% if forced %}WHEN CAST({{ forced }} AS DATE) <= h.processed THEN NULL{% endif %}
    WHEN EXISTS (
      SELECT 1 FROM {{ ledger }} l
      WHERE l.snapshot_date < h.processed
        AND l.recorded_at > (SELECT MAX(p.recorded_at) FROM {{ ledger }} p WHERE p.snapshot_date = h.processed)
    ) THEN NULL
    ELSE h.processed
  END
  FROM (SELECT MAX(last_seen) AS processed FROM {{ history }}) h)
{%- endif -%}
{%- endmacro %}
