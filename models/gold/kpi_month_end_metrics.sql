{{ config(
    materialized='incremental',
    unique_key='month_start',
    tags=['gold', 'kpi']
) }}
-- Month-end KPIs (kpis.md), one row per month with at least one fact day. A run recomputes
-- only the months the KPI window touches; older months keep the figures computed from their
-- own as-of dump.
WITH w AS (
  SELECT
    k.as_of_date,
    {% if is_incremental() %}k.window_start{% else %}DATE '1900-01-01'{% endif %} AS start_date
  FROM {{ ref('kpi_window') }} k
),
facts AS (
  SELECT o.* FROM {{ ref('occupancy_daily_metrics') }} o WHERE NOT o.is_projection
),
months AS (
  SELECT
    CAST(date_trunc('month', f.snapshot_date) AS DATE) AS month_start,
    MAX(f.snapshot_date) AS as_of_date
  FROM facts f
  GROUP BY 1
  HAVING MAX(f.snapshot_date) >= (SELECT CAST(date_trunc('month', start_date) AS DATE) FROM w)
),
occupying AS (
  SELECT code FROM {{ ref('management_status_codes') }} WHERE is_occupying
),
room_contracts AS (
  -- One contract per occupied physical room: the later move-in, then the higher moving id.
  SELECT snapshot_date, apartment_id, room_id, rent,
    ROW_NUMBER() OVER (
      PARTITION BY snapshot_date, apartment_id, room_id
      ORDER BY move_in_date DESC NULLS LAST, moving_id DESC NULLS LAST
    ) AS pick
  FROM {{ ref('tenant_room_snapshot_daily') }} s
  WHERE s.status IN (SELECT code FROM occupying)
    AND s.snapshot_date IN (SELECT as_of_date FROM months)
),
rents AS (
  SELECT snapshot_date, COUNT(*) AS rooms, SUM(rent) AS rent_sum
  FROM room_contracts WHERE pick = 1
  GROUP BY snapshot_date
),
receipts AS (
  SELECT p.billing_month, SUM(p.amount_paid) AS paid
  FROM {{ ref('stg_rent_payments') }} p
  WHERE p.paid_on IS NOT NULL
    AND p.paid_on < CAST(p.billing_month + INTERVAL '1 month' AS DATE)
  GROUP BY p.billing_month
),
next_day AS (
  -- The first fact day after each month, for rooms occupied at 00:00 of the next day.
  SELECT m.month_start, MIN(f.snapshot_date) AS next_fact_day
  FROM months m JOIN facts f ON f.snapshot_date > m.as_of_date
  GROUP BY m.month_start
)
SELECT
  m.month_start,
  m.as_of_date,
  d.period_end_rooms,
  d.total_rooms,
  CASE WHEN d.total_rooms > 0 THEN CAST(d.period_end_rooms AS DOUBLE PRECISION) / d.total_rooms END AS occupancy_rate,
  CASE WHEN n.next_fact_day = {{ add_days('m.as_of_date', 1) }} THEN nf.occupancy_room_count_0000 END AS occupied_rooms_0000_next_day,
  CAST({{ round_double("CAST(r.rent_sum AS DOUBLE PRECISION) / NULLIF(r.rooms, 0)", 0) }} AS INTEGER) AS rent,
  CAST(r.rent_sum AS DOUBLE PRECISION) / NULLIF(d.total_rooms, 0) AS revpar,
  CAST(COALESCE(p.paid, 0) AS DOUBLE PRECISION) / NULLIF(d.total_rooms, 0) AS recpar_cash,
  {{ var('kpi_definition_version', 'occupancy-v1') }} AS kpi_definition_version,
  'count_moveout_room_at_0000_exclude_same_day_moveins' AS same_day_policy,
  CURRENT_TIMESTAMP AS computed_at
FROM months m
JOIN facts d ON d.snapshot_date = m.as_of_date
LEFT JOIN rents r ON r.snapshot_date = m.as_of_date
LEFT JOIN receipts p ON p.billing_month = m.month_start
LEFT JOIN next_day n ON n.month_start = m.month_start
LEFT JOIN facts nf ON nf.snapshot_date = n.next_fact_day
