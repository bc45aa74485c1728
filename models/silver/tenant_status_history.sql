{{ config(
    materialized='incremental',
    unique_key=['tenant_id', 'valid_from'],
    delete_where="{{ status_history_replay_from(this, source('tokyobeta_meta', 'snapshot_ledger'), var('snapshot_date') if has_var('snapshot_date') else '', var('forced_snapshot_date') if has_var('forced_snapshot_date') else '') }} IS NULL
      OR EXISTS (SELECT 1 FROM (SELECT tenant_id, MAX(valid_from) AS valid_from FROM {{ this }} GROUP BY tenant_id) latest
                 WHERE latest.tenant_id = {{ this }}.tenant_id AND latest.valid_from = {{ this }}.valid_from)",
    tags=['silver']
) }}
-- SCD type 2: one row per stretch of consecutive snapshots in which a tenant kept the same
-- status and room. valid_to is the first snapshot date of the next stretch (exclusive), NULL
-- while current.
--
-- A daily run does not re-read the whole snapshot history: it replays only the snapshots newer
-- than the last one the table saw, each tenant starting from its latest stored stretch (the
-- only one new snapshots can extend or close; delete_where replaces exactly those). Anything
-- that changes older snapshots rebuilds from the whole history (status_history_replay_from).
{% if is_incremental() %}
  {% set replay_from = status_history_replay_from(this, source('tokyobeta_meta', 'snapshot_ledger'), var('snapshot_date') if has_var('snapshot_date') else '', var('forced_snapshot_date') if has_var('forced_snapshot_date') else '') %}
{% else %}
  {% set replay_from = 'CAST(NULL AS DATE)' %}
{% endif %}
WITH replay AS (
  SELECT {{ replay_from }} AS from_date
),
seeds AS (
{% if is_incremental() %}
  SELECT h.tenant_id, h.status, h.apartment_id, h.room_id, h.valid_from, h.last_seen, h.valid_to
  FROM {{ this }} h
  JOIN (SELECT tenant_id, MAX(valid_from) AS valid_from FROM {{ this }} GROUP BY tenant_id) latest
    ON latest.tenant_id = h.tenant_id AND latest.valid_from = h.valid_from
  WHERE (SELECT from_date FROM replay) IS NOT NULL
{% else %}
  SELECT tenant_id, status, apartment_id, room_id,
         snapshot_date AS valid_from, snapshot_date AS last_seen, snapshot_date AS valid_to
  FROM {{ ref('tenant_room_snapshot_daily') }}
  WHERE 1 = 0
{% endif %}
),
events AS (
  -- A seed stands for its whole stretch: first_date is where the stretch began, seed_valid_to
  -- its stored end in case no new snapshot touches it.
  SELECT tenant_id, last_seen AS snapshot_date, valid_from AS first_date, valid_to AS seed_valid_to,
         TRUE AS from_seed, status, apartment_id, room_id
  FROM seeds
  UNION ALL
  SELECT s.tenant_id, s.snapshot_date, s.snapshot_date, CAST(NULL AS DATE), FALSE, s.status, s.apartment_id, s.room_id
  FROM {{ ref('tenant_room_snapshot_daily') }} s
  WHERE s.snapshot_date > (SELECT COALESCE(from_date, CAST('0001-01-01' AS DATE)) FROM replay)
),
ordered AS (
  SELECT
    tenant_id, snapshot_date, first_date, seed_valid_to, from_seed, status, apartment_id, room_id,
    LAG(status) OVER w AS prev_status,
    LAG(apartment_id) OVER w AS prev_apartment_id,
    LAG(room_id) OVER w AS prev_room_id
  FROM events
  WINDOW w AS (PARTITION BY tenant_id ORDER BY snapshot_date, apartment_id, room_id)
),
starts AS (
  SELECT *,
    CASE WHEN prev_status IS NULL OR prev_status <> status OR prev_apartment_id <> apartment_id OR prev_room_id <> room_id
         THEN 1 ELSE 0 END AS is_start
  FROM ordered
),
numbered AS (
  SELECT *, SUM(is_start) OVER (PARTITION BY tenant_id ORDER BY snapshot_date, apartment_id, room_id ROWS UNBOUNDED PRECEDING) AS stretch
  FROM starts
),
stretches AS (
  SELECT tenant_id, stretch, MIN(status) AS status, MIN(apartment_id) AS apartment_id, MIN(room_id) AS room_id,
         MIN(first_date) AS valid_from, MAX(snapshot_date) AS last_seen,
         -- A seed's stored end holds only while no new snapshot extended its stretch.
         CASE WHEN BOOL_AND(from_seed) THEN MAX(seed_valid_to) END AS seed_valid_to
  FROM numbered
  GROUP BY tenant_id, stretch
),
snapshot_dates AS (
  -- Each snapshot date with the next one (the replayed dates, and the last one already seen).
  -- last_seen is one of these dates unless a seed stretch was not extended, which keeps its
  -- stored end. A join, not a correlated MIN(...) > last_seen: that would rescan the snapshots
  -- per stretch on PostgreSQL.
  SELECT snapshot_date, LEAD(snapshot_date) OVER (ORDER BY snapshot_date) AS next_snapshot
  FROM (
    SELECT DISTINCT snapshot_date FROM events WHERE NOT from_seed
    UNION
    SELECT from_date FROM replay WHERE from_date IS NOT NULL
  ) AS dates
),
bounded AS (
  SELECT
    s.*,
    LEAD(s.valid_from) OVER (PARTITION BY s.tenant_id ORDER BY s.stretch) AS next_from,
    -- A tenant missing from the next snapshot left the tenant-room pairs that day.
    d.next_snapshot
  FROM stretches s
  LEFT JOIN snapshot_dates d ON d.snapshot_date = s.last_seen
)
SELECT
  tenant_id,
  status,
  apartment_id,
  room_id,
  valid_from,
  COALESCE(next_from, next_snapshot, seed_valid_to) AS valid_to,
  last_seen,
  COALESCE(next_from, next_snapshot, seed_valid_to) IS NULL AS is_current
FROM bounded
