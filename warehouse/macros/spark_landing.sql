{#
  Spark: register the landing Parquet export (fanzha/spark/landing_export.py: one folder per landing table,
  partitioned by export_district) as the tables of the `landing` database, which _landing__sources.yml
  points at on Spark. Runs at the start of every dbt invocation (on-run-start) when the var
  `landing_parquet` names the export's root folder (a local path, hdfs://… or s3a://… on a cluster).
  Without the var nothing is registered: the `landing` tables are expected to exist already (a cluster
  whose platform maintains them). On DuckDB it does nothing: landing.duckdb is attached by the profile.
#}
{% macro spark_register_landing() %}
  {%- if not execute or target.type != 'spark' -%}{{ return('') }}{%- endif -%}
  {%- set root = var('landing_parquet', none) -%}
  {%- if root is none -%}{{ return('') }}{%- endif -%}
  {%- set tables = [] -%}
  {%- for source in graph.sources.values() if source.source_name == 'landing' -%}
    {%- do tables.append(source.identifier) -%}
  {%- endfor -%}
  {%- do run_query('create database if not exists landing') -%}
  {%- for table in tables | sort -%}
    {%- do run_query('drop table if exists landing.' ~ table) -%}
    {%- do run_query("create table landing." ~ table ~ " using parquet location '"
                     ~ (root | replace("'", "\\'")) ~ "/" ~ table ~ "'") -%}
    {#- the export_district=… folders become the table's partitions -#}
    {%- do run_query('msck repair table landing.' ~ table) -%}
  {%- endfor -%}
  {{ return('') }}
{% endmacro %}
