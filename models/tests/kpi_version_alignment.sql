-- The daily, month-end and trace models carry the same KPI definition version.
SELECT * FROM {{ ref('kpi_version_alignment') }} WHERE status <> 'aligned'
