-- Published reference figures (seed) with tolerances: a figure outside its tolerance fails.
-- Counts scale with var('reference_scale') (1 in production; the demo world's scale otherwise).
WITH figures AS (
  SELECT month_start, 'occupancy_rate' AS metric, occupancy_rate AS value FROM {{ ref('kpi_month_end_metrics') }}
  UNION ALL SELECT month_start, 'rent', rent FROM {{ ref('kpi_month_end_metrics') }}
  UNION ALL SELECT month_start, 'revpar', revpar FROM {{ ref('kpi_month_end_metrics') }}
  UNION ALL SELECT month_start, 'recpar_cash', recpar_cash FROM {{ ref('kpi_month_end_metrics') }}
  UNION ALL SELECT month_start, 'occupied_rooms_0000_next_day',
    occupied_rooms_0000_next_day / {{ var('reference_scale', 1) }} FROM {{ ref('kpi_month_end_metrics') }}
)
SELECT r.month_start, r.metric, r.reference_value, f.value, r.tolerance, r.tolerance_kind
FROM {{ ref('reference_figures') }} r
JOIN figures f ON f.month_start = r.month_start AND f.metric = r.metric
WHERE f.value IS NOT NULL
  AND CASE r.tolerance_kind
        WHEN 'absolute' THEN ABS(f.value - r.reference_value) > r.tolerance
        ELSE ABS(f.value / r.reference_value - 1) > r.tolerance
      END
