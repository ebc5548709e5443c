{#- No two rows share the values of `columns` (no hub packages here: dbt_utils is not
    available offline). -#}
{% test unique_combination(model, columns) %}
    select
        {{ columns | join(', ') }},
        count(*) as rows_with_these_values
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}
