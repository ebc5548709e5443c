select
    id as stock_movement_id,
    part_id,
    quantity,
    reason,
    service_order_id,
    staff_id,
    created_at
from {{ source('oficina', 'stock_movements') }}
