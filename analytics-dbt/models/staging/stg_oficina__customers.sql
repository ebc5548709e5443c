-- No name, document, e-mail or phone: analytics needs none of them (LGPD).
select
    id as customer_id,
    document_type,
    status as customer_status,
    created_at,
    updated_at,
    deactivated_at
from {{ source('oficina', 'customers') }}
