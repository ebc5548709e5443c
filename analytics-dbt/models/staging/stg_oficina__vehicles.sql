-- The plate identifies a person's car: left out.
select
    id as vehicle_id,
    customer_id,
    make,
    model,
    cast(year as integer) as model_year,
    created_at,
    updated_at
from {{ source('oficina', 'vehicles') }}
