{{ config(materialized='view', tags=['gold', 'kpi']) }}
-- The dates a run recomputes: [as_of - lookback_days, as_of + forward_days], or from
-- occupancy_rebuild_start_date when given. Cost depends on this window, not on history.
SELECT
  x.as_of_date,
  {% if has_var('occupancy_rebuild_start_date') %}
  CAST({{ var('occupancy_rebuild_start_date') }} AS DATE) AS window_start,
  {% else %}
  {{ add_days('x.as_of_date', -var('lookback_days', 3)) }} AS window_start,
  {% endif %}
  {{ add_days('x.as_of_date', var('forward_days', 90)) }} AS window_end
FROM {{ ref('load_as_of') }} x
