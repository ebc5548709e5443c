{#- Stand-ins for sqlfluff's jinja templater (it has no dbt adapter): loaded after macros/. -#}
{% macro ensure_index(suffix, columns, where=none, unique=false) -%}
    select 1
{%- endmacro %}

{% macro run_started() -%}
    cast('2026-01-01 00:00:00+00' as timestamptz)
{%- endmacro %}

{% macro mart_watermark() -%}
    cast('2026-01-01 00:00:00+00' as timestamptz)
{%- endmacro %}

{% macro visits_watermark(part) -%}
    {%- if part == 'max_history_id' -%}0{%- else -%}cast('2026-01-01 00:00:00+00' as timestamptz){%- endif -%}
{%- endmacro %}

{% macro analyze_if_stale() -%}
    select 1
{%- endmacro %}
