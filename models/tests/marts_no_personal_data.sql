-- No personal data in the gold marts: no names, e-mail, phone, birth date, tenant code or
-- free-text affiliation name; tenant_id only in tenant_status_transitions (its grain).
-- Depends on every mart so it runs once they are built:
-- {{ ref('dim_property') }} {{ ref('occupancy_property_daily') }} {{ ref('occupancy_property_map_latest') }}
-- {{ ref('occupancy_kpi_meta') }} {{ ref('mart_contract_base') }} {{ ref('new_contracts') }} {{ ref('moveouts') }}
-- {{ ref('moveout_notices') }} {{ ref('moveout_summary') }} {{ ref('movein_analysis') }} {{ ref('moveout_analysis') }}
-- {{ ref('tenant_status_transitions') }} {{ ref('move_events_weekly') }} {{ ref('municipality_churn_weekly') }}
-- {{ ref('property_churn_weekly') }} {{ ref('moveouts_reason_weekly') }} {{ ref('movein_profile_monthly') }}
-- {{ ref('moveout_profile_monthly') }} {{ ref('funnel_application_to_movein_daily') }}
-- {{ ref('funnel_application_to_movein_periodized') }} {{ ref('funnel_application_to_movein_segment_share') }}
SELECT table_name, column_name
FROM information_schema.columns
WHERE table_schema = 'gold'
  AND (
    lower(column_name) IN ('tenant_code', 'birth_date', 'email', 'mail', 'phone', 'phone_number', 'tel',
                           'first_name', 'last_name', 'full_name', 'tenant_name', 'name_kana',
                           'affiliation_name', 'company_name', 'school_name', 'nationality_raw')
    OR lower(column_name) LIKE '%email%' OR lower(column_name) LIKE '%phone%' OR lower(column_name) LIKE '%birth%'
    OR (lower(column_name) = 'tenant_id' AND table_name <> 'tenant_status_transitions')
  )
