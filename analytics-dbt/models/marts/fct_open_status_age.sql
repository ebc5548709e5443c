{#- Orders currently in each status, per unit, and how long they have been there as of this
    build (ADR 0021: open visits are never averaged with closed ones). Every unit x status
    pair has a row, with zero orders when none is there. A small table rebuilt on every run. -#}
{{
    config(
        materialized='table',
        post_hook=[ensure_index('key', ['unit_id', 'status'], unique=true)],
    )
}}

with

statuses as (
    select status
    from (
        values
        ('RECEIVED'),
        ('IN_DIAGNOSIS'),
        ('AWAITING_APPROVAL'),
        ('IN_PROGRESS'),
        ('COMPLETED')
    ) as open_statuses (status)
),

open_visits as (
    select
        unit_id,
        status,
        count(*) as open_orders,
        avg(extract(epoch from {{ run_started() }} - entered_at) / 60) as avg_age_minutes,
        max(extract(epoch from {{ run_started() }} - entered_at) / 60) as max_age_minutes
    from {{ ref('int_order_status_visits') }}
    where is_open
    group by unit_id, status
)

select
    units.unit_id,
    units.unit_code,
    statuses.status,
    {{ stage_name('statuses.status') }} as stage,
    cast(coalesce(open_visits.open_orders, 0) as integer) as open_orders,
    round(cast(open_visits.avg_age_minutes as numeric), 2) as avg_age_minutes,
    round(cast(open_visits.max_age_minutes as numeric), 2) as max_age_minutes,
    {{ run_started() }} as as_of
from {{ ref('stg_oficina__units') }} as units
cross join statuses
left join open_visits
    on
        units.unit_id = open_visits.unit_id
        and statuses.status = open_visits.status
