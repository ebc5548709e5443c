{#- A post-hook that creates an index on the model's current table when it is missing.

    Safe for every materialization step: after a full refresh the new table has none, and an
    index of the same name may still sit on the backup table dbt is about to drop (that one is
    dropped first). Incremental runs find it and do nothing. -#}
{% macro ensure_index(suffix, columns, where=none, unique=false) -%}
    {%- set name = this.identifier ~ '__' ~ suffix -%}
    do $ensure_index$
    begin
        if not exists (
            select 1 from pg_indexes
            where schemaname = '{{ this.schema }}'
                and tablename = '{{ this.identifier }}'
                and indexname = '{{ name }}'
        ) then
            execute 'drop index if exists {{ adapter.quote(this.schema) }}.{{ adapter.quote(name) }}';
            execute 'create {{ "unique " if unique }}index {{ adapter.quote(name) }} on {{ this }} ({{ columns | join(", ") }}){{ (" where " ~ where) | replace("'", "''") if where }}';
        end if;
    end
    $ensure_index$
{%- endmacro %}

{#- A post-hook that analyzes the model's table only when its statistics are missing or
    stale (never analyzed, or more than 10% of it changed since): right after a full build the
    planner gets its statistics at once, while an incremental run that touched a few thousand
    rows of millions does not pay for an ANALYZE. -#}
{% macro analyze_if_stale() -%}
    do $analyze_if_stale$
    begin
        if not exists (
            select 1 from pg_stat_user_tables
            where relid = '{{ this }}'::regclass
                and coalesce(last_analyze, last_autoanalyze) is not null
                and n_mod_since_analyze <= 0.1 * greatest(n_live_tup, 1)
        ) then
            execute 'analyze {{ this }}';
        end if;
    end
    $analyze_if_stale$
{%- endmacro %}
