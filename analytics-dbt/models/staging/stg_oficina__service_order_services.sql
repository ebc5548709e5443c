select
    id as service_order_service_id,
    service_order_id,
    service_id,
    quantity,
    cast(unit_price as numeric(12, 2)) as unit_price
from {{ source('oficina', 'service_order_services') }}
