{{ config(materialized='table', tags=['silver']) }}
SELECT
  p.id AS payment_id,
  p.moving_id,
  p.tenant_id,
  p.billing_month,
  p.amount_due,
  p.amount_paid,
  p.paid_on,
  p.method,
  p.updated_at
FROM {{ source('staging', 'rent_payments') }} p
