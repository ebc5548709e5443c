select
    id as part_id,
    sku,
    name as part_name,
    kind as part_kind,
    cast(unit_price as numeric(12, 2)) as unit_price,
    stock_quantity,
    minimum_stock,
    active as is_active,
    created_at,
    updated_at
from {{ source('oficina', 'parts') }}
