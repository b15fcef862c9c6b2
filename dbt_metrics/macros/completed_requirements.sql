{# Requirements completed with evidence (passing linked tests), per snapshot day and spec. #}
{% macro completed_requirements() %}
    select snapshot_date, spec_id, completed_requirements
    from {{ ref('stg_qa__scores') }}
{% endmacro %}
