{#- Orders opened, completed, delivered and cancelled per day (São Paulo) and unit: the orders
    whose history entered RECEIVED, COMPLETED, DELIVERED or CANCELLED that day.

    Incremental (ADR 0022): the (day, unit) pairs where a history row first seen since this
    mart's last load entered its status are recomputed whole. -#}
{{
    config(
        unique_key=['day', 'unit_id'],
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook=[
            ensure_index('key', ['day', 'unit_id'], unique=true),
            ensure_index('unit_day', ['unit_id', 'day']),
            analyze_if_stale(),
        ],
    )
}}

with

{% if is_incremental() %}
    affected as (
        select distinct
            visits.entered_day,
            visits.unit_id
        from {{ ref('int_order_status_visits') }} as visits
        where
            visits.loaded_at > {{ mart_watermark() }}
            and visits.first_loaded_at > {{ mart_watermark() }}
    ),
{% endif %}

entries as (
    {% if is_incremental() %}
        -- lateral: an index range scan per affected (day, unit), not a scan of every visit
        select
            affected.entered_day,
            affected.unit_id,
            visits.status,
            visits.service_order_id
        from affected
        cross join lateral (
            select
                int_visits.status,
                int_visits.service_order_id
            from {{ ref('int_order_status_visits') }} as int_visits
            where
                int_visits.entered_day = affected.entered_day
                and int_visits.unit_id = affected.unit_id
                and int_visits.status in ('RECEIVED', 'COMPLETED', 'DELIVERED', 'CANCELLED')
            offset 0  -- an optimisation fence, not a row limit
        ) as visits
    {% else %}
        select
            entered_day,
            unit_id,
            status,
            service_order_id
        from {{ ref('int_order_status_visits') }}
        where status in ('RECEIVED', 'COMPLETED', 'DELIVERED', 'CANCELLED')
    {% endif %}
),

daily as (
    select
        entered_day as day,
        unit_id,
        count(distinct service_order_id) filter (where status = 'RECEIVED') as orders_opened,
        count(distinct service_order_id) filter (where status = 'COMPLETED') as orders_completed,
        count(distinct service_order_id) filter (where status = 'DELIVERED') as orders_delivered,
        count(distinct service_order_id) filter (where status = 'CANCELLED') as orders_cancelled
    from entries
    group by entered_day, unit_id
)

select
    daily.day,
    daily.unit_id,
    units.unit_code,
    cast(daily.orders_opened as integer) as orders_opened,
    cast(daily.orders_completed as integer) as orders_completed,
    cast(daily.orders_delivered as integer) as orders_delivered,
    cast(daily.orders_cancelled as integer) as orders_cancelled,
    (
        select max(latest.loaded_at)
        from {{ ref('int_order_status_visits') }} as latest
    ) as loaded_at
from daily
inner join {{ ref('stg_oficina__units') }} as units
    on daily.unit_id = units.unit_id
