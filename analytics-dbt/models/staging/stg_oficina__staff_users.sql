-- Never cpf, name or password_hash (the analytics role cannot even read the hash).
select
    id as staff_id,
    unit_id,
    role as staff_role,
    active as is_active,
    created_at
from {{ source('oficina', 'staff_users') }}
