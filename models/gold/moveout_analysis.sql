{{ config(materialized='table', tags=['gold', 'mart', 'moveouts']) }}
-- Month (of the confirmed move-out date) x tenant type x nationality x building: move-outs,
-- churn rate, tenure and notice lead days (median, p90), the most frequent reason.
-- churn_rate = move-outs of the row / occupied rooms (whole portfolio) at the month's start, so
-- rows add up to the portfolio's churn; property_churn_rate uses the building's own rooms.
-- Occupied rooms at the start = period_end_rooms of the day before the month when that day is
-- a fact day, else period_start_rooms of the month's first fact day, else (first snapshot
-- month, bridge day) that day's period_end_rooms; NULL for months after the as-of date.
WITH months AS (
  SELECT DISTINCT moveout_month_start AS month_start FROM {{ ref('moveouts') }}
),
occ AS (
  SELECT snapshot_date, period_start_rooms, period_end_rooms
  FROM {{ ref('occupancy_daily_metrics') }} WHERE NOT is_projection
),
first_fact AS (
  SELECT m.month_start, MIN(o.snapshot_date) AS first_fact_date
  FROM months m JOIN occ o ON o.snapshot_date >= m.month_start AND o.snapshot_date < {{ add_months('m.month_start', 1) }}
  GROUP BY m.month_start
),
start_rooms AS (
  SELECT
    m.month_start,
    CASE WHEN p.period_end_rooms IS NOT NULL THEN p.period_end_rooms
         WHEN f.period_start_rooms IS NOT NULL THEN f.period_start_rooms
         ELSE f.period_end_rooms END AS occupied_rooms_at_start,
    CASE WHEN p.period_end_rooms IS NOT NULL THEN 'previous_day_end'
         WHEN f.period_start_rooms IS NOT NULL THEN 'first_fact_day_start'
         WHEN f.period_end_rooms IS NOT NULL THEN 'first_fact_day_end' END AS occupied_rooms_at_start_basis,
    ff.first_fact_date
  FROM months m
  LEFT JOIN occ p ON p.snapshot_date = {{ add_days('m.month_start', -1) }}
  LEFT JOIN first_fact ff ON ff.month_start = m.month_start
  LEFT JOIN occ f ON f.snapshot_date = ff.first_fact_date
),
prop_occ AS (
  SELECT snapshot_date, apartment_id, occupied_rooms FROM {{ ref('occupancy_property_daily') }}
),
prop_start AS (
  -- The building's occupied rooms on the day before the month, else on its first fact day.
  -- Joins, not correlated subqueries: (snapshot_date, apartment_id) is unique (tested), and
  -- PostgreSQL would rescan prop_occ for every month x building.
  SELECT s.month_start, a.apartment_id,
    COALESCE(before_month.occupied_rooms, first_fact.occupied_rooms) AS occupied_rooms
  FROM start_rooms s CROSS JOIN (SELECT DISTINCT apartment_id FROM prop_occ) a
  LEFT JOIN prop_occ before_month
    ON before_month.apartment_id = a.apartment_id AND before_month.snapshot_date = {{ add_days('s.month_start', -1) }}
  LEFT JOIN prop_occ first_fact
    ON first_fact.apartment_id = a.apartment_id AND first_fact.snapshot_date = s.first_fact_date
),
g AS (
  SELECT
    moveout_month_start AS month_start,
    tenant_type, MIN(tenant_type_ja) AS tenant_type_ja, MIN(tenant_type_en) AS tenant_type_en,
    nationality_code, MIN(nationality_en) AS nationality_en, MIN(nationality_ja) AS nationality_ja,
    apartment_id, MIN(asset_id_hj) AS asset_id_hj, MIN(apartment_name) AS apartment_name,
    MIN(municipality_ja) AS municipality_ja, MIN(municipality_en) AS municipality_en,
    COUNT(*) AS moveouts,
    SUM(CASE WHEN is_scheduled THEN 1 ELSE 0 END) AS scheduled_moveouts,
    AVG(CAST(tenure_days AS DOUBLE PRECISION)) AS tenure_days_avg,
    {{ pct_cont('tenure_days', 0.5) }} AS tenure_days_median,
    {{ pct_cont('tenure_days', 0.9) }} AS tenure_days_p90,
    {{ pct_cont('notice_lead_days', 0.5) }} AS notice_lead_days_median,
    {{ pct_cont('notice_lead_days', 0.9) }} AS notice_lead_days_p90,
    COUNT(notice_lead_days) AS moveouts_with_notice
  FROM {{ ref('moveouts') }}
  GROUP BY moveout_month_start, tenant_type, nationality_code, apartment_id
),
reasons AS (
  SELECT moveout_month_start AS month_start, tenant_type, nationality_code, apartment_id,
         reason_code, MIN(reason_ja) AS reason_ja, MIN(reason_en) AS reason_en, COUNT(*) AS n,
         ROW_NUMBER() OVER (PARTITION BY moveout_month_start, tenant_type, nationality_code, apartment_id
                            ORDER BY COUNT(*) DESC, reason_code) AS rk
  FROM {{ ref('moveouts') }}
  GROUP BY moveout_month_start, tenant_type, nationality_code, apartment_id, reason_code
)
SELECT
  g.month_start,
  g.tenant_type, g.tenant_type_ja, g.tenant_type_en,
  g.nationality_code, g.nationality_en, g.nationality_ja,
  g.apartment_id, g.asset_id_hj, g.apartment_name, g.municipality_ja, g.municipality_en,
  g.moveouts,
  g.scheduled_moveouts,
  s.occupied_rooms_at_start,
  s.occupied_rooms_at_start_basis,
  CASE WHEN s.occupied_rooms_at_start > 0 THEN CAST(g.moveouts AS DOUBLE PRECISION) / s.occupied_rooms_at_start END AS churn_rate,
  ps.occupied_rooms AS property_occupied_rooms_at_start,
  CASE WHEN ps.occupied_rooms > 0 THEN CAST(g.moveouts AS DOUBLE PRECISION) / ps.occupied_rooms END AS property_churn_rate,
  g.tenure_days_avg, g.tenure_days_median, g.tenure_days_p90,
  g.notice_lead_days_median, g.notice_lead_days_p90, g.moveouts_with_notice,
  r.reason_code AS top_reason_code, r.reason_ja AS top_reason_ja, r.reason_en AS top_reason_en,
  r.n AS top_reason_moveouts
FROM g
LEFT JOIN start_rooms s ON s.month_start = g.month_start
LEFT JOIN prop_start ps ON ps.month_start = g.month_start AND ps.apartment_id = g.apartment_id
LEFT JOIN reasons r ON r.month_start = g.month_start AND r.tenant_type IS NOT DISTINCT FROM g.tenant_type
  AND r.nationality_code = g.nationality_code AND r.apartment_id IS NOT DISTINCT FROM g.apartment_id AND r.rk = 1
