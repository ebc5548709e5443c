select
    id as unit_id,
    code as unit_code,
    name as unit_name,
    city,
    created_at
from {{ source('oficina', 'units') }}
