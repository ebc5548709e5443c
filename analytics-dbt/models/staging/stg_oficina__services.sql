select
    id as service_id,
    name as service_name,
    cast(price as numeric(12, 2)) as price,
    estimated_minutes,
    active as is_active,
    created_at,
    updated_at
from {{ source('oficina', 'services') }}
