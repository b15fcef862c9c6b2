{# Rows of the latest daily snapshot of a raw table copied whole every day (mutable rows). #}
{% macro latest_snapshot(relation) %}
    select *
    from {{ relation }}
    where _partition_date = (select max(_partition_date) from {{ relation }})
{% endmacro %}
