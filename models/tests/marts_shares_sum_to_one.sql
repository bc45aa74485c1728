-- Shares sum to 1 per period and dimension: the move-in and move-out profiles, the funnel
-- segment shares (applications and move-ins) and the weekly move-out reasons.
SELECT 'movein_profile_monthly' AS mart, month_start AS period_start, dimension, SUM(share) AS total
FROM {{ ref('movein_profile_monthly') }} GROUP BY month_start, dimension
HAVING ABS(SUM(share) - 1) > 1e-9
UNION ALL
SELECT 'moveout_profile_monthly', month_start, dimension, SUM(share)
FROM {{ ref('moveout_profile_monthly') }} GROUP BY month_start, dimension
HAVING ABS(SUM(share) - 1) > 1e-9
UNION ALL
SELECT 'segment_share applications', month_start, segment_type, SUM(share_of_applications)
FROM {{ ref('funnel_application_to_movein_segment_share') }} GROUP BY month_start, segment_type
HAVING SUM(applications) > 0 AND ABS(SUM(share_of_applications) - 1) > 1e-9
UNION ALL
SELECT 'segment_share moveins', month_start, segment_type, SUM(share_of_moveins)
FROM {{ ref('funnel_application_to_movein_segment_share') }} GROUP BY month_start, segment_type
HAVING SUM(moveins) > 0 AND ABS(SUM(share_of_moveins) - 1) > 1e-9
UNION ALL
SELECT 'moveouts_reason_weekly', week_start, 'reason', SUM(share_of_week)
FROM {{ ref('moveouts_reason_weekly') }} GROUP BY week_start
HAVING SUM(moveout_count) > 0 AND ABS(SUM(share_of_week) - 1) > 1e-9
