{{ config(materialized='table', tags=['gold', 'mart', 'moveins']) }}
-- Week (Monday, of the move-in date) x tenant type x nationality x building: move-ins,
-- application-to-move-in lead days (median, p90), contracted vs list rent (discount), and
-- cancellations among the movings due to move in that week (cancellation rate).
SELECT
  b.move_in_week_start AS week_start,
  {{ add_days('b.move_in_week_start', 6) }} AS week_end,
  b.tenant_type,
  MIN(b.tenant_type_ja) AS tenant_type_ja,
  MIN(b.tenant_type_en) AS tenant_type_en,
  b.nationality_code,
  MIN(b.nationality_en) AS nationality_en,
  MIN(b.nationality_ja) AS nationality_ja,
  b.apartment_id,
  MIN(b.asset_id_hj) AS asset_id_hj,
  MIN(b.apartment_name) AS apartment_name,
  MIN(b.municipality_ja) AS municipality_ja,
  MIN(b.municipality_en) AS municipality_en,
  SUM(CASE WHEN b.is_movein THEN 1 ELSE 0 END) AS moveins,
  SUM(CASE WHEN b.is_movein AND b.move_in_date > x.as_of_date THEN 1 ELSE 0 END) AS scheduled_moveins,
  {{ pct_cont('CASE WHEN b.is_movein THEN b.application_to_movein_days END', 0.5) }} AS lead_days_median,
  {{ pct_cont('CASE WHEN b.is_movein THEN b.application_to_movein_days END', 0.9) }} AS lead_days_p90,
  AVG(CAST(CASE WHEN b.is_movein THEN b.rent END AS DOUBLE PRECISION)) AS avg_rent,
  AVG(CAST(CASE WHEN b.is_movein THEN b.list_rent END AS DOUBLE PRECISION)) AS avg_list_rent,
  SUM(CASE WHEN b.is_movein AND b.list_rent > 0 THEN b.rent ELSE 0 END) AS sum_rent_with_list,
  SUM(CASE WHEN b.is_movein AND b.list_rent > 0 THEN b.list_rent ELSE 0 END) AS sum_list_rent,
  CASE WHEN SUM(CASE WHEN b.is_movein AND b.list_rent > 0 THEN b.list_rent ELSE 0 END) > 0
       THEN 1 - CAST(SUM(CASE WHEN b.is_movein AND b.list_rent > 0 THEN b.rent ELSE 0 END) AS DOUBLE PRECISION)
                / SUM(CASE WHEN b.is_movein AND b.list_rent > 0 THEN b.list_rent ELSE 0 END) END AS discount_rate,
  COUNT(*) AS movings_due,
  SUM(CASE WHEN b.is_cancelled THEN 1 ELSE 0 END) AS cancellations,
  CAST(SUM(CASE WHEN b.is_cancelled THEN 1 ELSE 0 END) AS DOUBLE PRECISION) / COUNT(*) AS cancellation_rate,
  {{ add_days('b.move_in_week_start', 6) }} > x.as_of_date AS is_partial,
  x.as_of_date
FROM {{ ref('mart_contract_base') }} b
CROSS JOIN {{ ref('load_as_of') }} x
WHERE b.move_in_date IS NOT NULL
GROUP BY b.move_in_week_start, b.tenant_type, b.nationality_code, b.apartment_id, x.as_of_date
