select
    id as service_order_id,
    number as order_number,
    unit_id,
    customer_id,
    vehicle_id,
    cast(status as text) as current_status,
    cast(services_total as numeric(12, 2)) as services_total,
    cast(parts_total as numeric(12, 2)) as parts_total,
    budget_sent_at,
    budget_decision,
    budget_decided_at,
    opened_at,
    updated_at,
    closed_at
from {{ source('oficina', 'service_orders') }}
