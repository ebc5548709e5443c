{#- Time in status per day the visit ended, unit and status (ADR 0021): closed visits only.

    Incremental (ADR 0022): the (day, unit) pairs where a visit written to the intermediate
    model since this mart's last load ends are recomputed whole. A late history row only ever
    adds visit ends, so every pair whose figures changed is among them. -#}
{{
    config(
        unique_key=['day', 'unit_id'],
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook=[
            ensure_index('key', ['day', 'unit_id', 'status'], unique=true),
            ensure_index('unit_day', ['unit_id', 'day']),
            analyze_if_stale(),
        ],
    )
}}

with

{% if is_incremental() %}
    affected as (
        select distinct
            visits.left_day,
            visits.unit_id
        from {{ ref('int_order_status_visits') }} as visits
        where
            visits.loaded_at > {{ mart_watermark() }}
            and visits.left_day is not null
    ),
{% endif %}

closed_visits as (
    {% if is_incremental() %}
        -- lateral: an index range scan per affected (day, unit), not a scan of every visit
        select
            affected.left_day,
            affected.unit_id,
            visits.status,
            visits.stage,
            visits.duration_minutes
        from affected
        cross join lateral (
            select
                int_visits.status,
                int_visits.stage,
                int_visits.duration_minutes
            from {{ ref('int_order_status_visits') }} as int_visits
            where
                int_visits.left_day = affected.left_day
                and int_visits.unit_id = affected.unit_id
                and int_visits.duration_minutes is not null
            offset 0  -- an optimisation fence, not a row limit
        ) as visits
    {% else %}
        select
            left_day,
            unit_id,
            status,
            stage,
            duration_minutes
        from {{ ref('int_order_status_visits') }}
        where duration_minutes is not null
    {% endif %}
),

daily as (
    select
        left_day as day,
        unit_id,
        status,
        stage,
        count(*) as visits,
        avg(duration_minutes) as avg_minutes,
        percentile_cont(0.5) within group (order by duration_minutes) as median_minutes,
        percentile_cont(0.9) within group (order by duration_minutes) as p90_minutes
    from closed_visits
    group by left_day, unit_id, status, stage
)

select
    daily.day,
    daily.unit_id,
    units.unit_code,
    daily.status,
    daily.stage,
    cast(daily.visits as integer) as visits,
    round(daily.avg_minutes, 2) as avg_minutes,
    round(cast(daily.median_minutes as numeric), 2) as median_minutes,
    round(cast(daily.p90_minutes as numeric), 2) as p90_minutes,
    (
        select max(latest.loaded_at)
        from {{ ref('int_order_status_visits') }} as latest
    ) as loaded_at
from daily
inner join {{ ref('stg_oficina__units') }} as units
    on daily.unit_id = units.unit_id
