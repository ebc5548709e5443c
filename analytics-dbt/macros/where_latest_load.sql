{#- The tests' `where` (dbt's get_where_subquery, overridden here), with one addition: the
    placeholder `__latest_load__` becomes the tested model's newest `loaded_at` as a literal.

    A subquery `(select max(loaded_at) ...)` hides the value from the planner, which then
    expects every row (a full build gives them all one `loaded_at`) and scans the six million
    visits for each test; with the literal it reads the last run's rows through the
    `loaded_at` index (ADR 0022). -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if not where -%}
        {%- do return(relation) -%}
    {%- endif -%}
    {%- if '__latest_load__' in where -%}
        {%- set latest = "(select max(loaded_at) from " ~ relation ~ ")" -%}
        {%- if execute -%}
            {%- set value = run_query("select max(loaded_at) from " ~ relation).columns[0].values()[0] -%}
            {%- set latest = "cast('" ~ value ~ "' as timestamptz)" if value is not none else latest -%}
        {%- endif -%}
        {%- set where = where | replace('__latest_load__', latest) -%}
    {%- endif -%}
    {%- do return("(select * from " ~ relation ~ " where " ~ where ~ ") dbt_subquery") -%}
{%- endmacro %}
