{#- The managers' names of the statuses (ADR 0021): the three stages Diagnóstico (IN_DIAGNOSIS),
    Execução (IN_PROGRESS) and Finalização (COMPLETED, until DELIVERED); the others keep
    their names. -#}
{% macro stage_name(status) -%}
    case {{ status }}
        when 'RECEIVED' then 'Recebida'
        when 'IN_DIAGNOSIS' then 'Diagnóstico'
        when 'AWAITING_APPROVAL' then 'Aguardando aprovação'
        when 'IN_PROGRESS' then 'Execução'
        when 'COMPLETED' then 'Finalização'
        when 'DELIVERED' then 'Entregue'
        when 'CANCELLED' then 'Cancelada'
    end
{%- endmacro %}

{#- Statuses that end an order: entering them closes the previous visit, they have none. -#}
{% macro terminal_statuses() -%}
    ('DELIVERED', 'CANCELLED')
{%- endmacro %}

{#- Calendar day of a timestamp in the managers' time zone. -#}
{% macro local_day(ts) -%}
    cast(({{ ts }} at time zone '{{ var("report_timezone") }}') as date)
{%- endmacro %}

{#- The time this invocation started, as a timestamptz literal. -#}
{% macro run_started() -%}
    cast('{{ run_started_at.isoformat() }}' as timestamptz)
{%- endmacro %}

{#- The incremental watermark of this model (its newest `loaded_at`) as a literal, so that the
    planner sees the real value and uses the index on the visits' `loaded_at`. -#}
{% macro mart_watermark() -%}
    {%- if execute -%}
        {%- set result = run_query("select coalesce(max(loaded_at), '-infinity') from " ~ this) -%}
        cast('{{ result.columns[0].values()[0] }}' as timestamptz)
    {%- else -%}
        cast('-infinity' as timestamptz)
    {%- endif -%}
{%- endmacro %}

{#- The intermediate model's watermark: `max_history_id` (the newest history id it processed)
    or `lookback_from` (the start of the late-arrival lookback). Read as literals so that the
    planner uses the history's primary key and changed_at index; inside a unit test (where
    `this` is a fixture) it stays a subquery on the fixture. -#}
{% macro visits_watermark(part) -%}
    {%- if part == 'max_history_id' -%}
        {%- set sql = 'select coalesce(max(history_id), 0) from ' ~ this -%}
    {%- else -%}
        {%- set sql = "select coalesce(max(entered_at), '-infinity') from " ~ this -%}
    {%- endif -%}
    {%- if execute and model.resource_type != 'unit_test' -%}
        {%- set value = run_query(sql).columns[0].values()[0] -%}
        {%- set literal = value if part == 'max_history_id' else "cast('" ~ value ~ "' as timestamptz)" -%}
    {%- else -%}
        {%- set literal = '(' ~ sql ~ ')' -%}
    {%- endif -%}
    {{ literal }}{{ " - interval '" ~ var('late_arrival_lookback') ~ "'" if part == 'lookback_from' }}
{%- endmacro %}
