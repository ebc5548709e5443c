select
    id as history_id,
    service_order_id,
    cast(from_status as text) as from_status,
    cast(to_status as text) as to_status,
    changed_at,
    changed_by_staff_id,
    changed_by_customer_id
from {{ source('oficina', 'service_order_status_history') }}
