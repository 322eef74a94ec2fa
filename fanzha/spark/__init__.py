"""The dbt project on Apache Spark: `fanzha build --engine spark` (build.py) and its parts — the local session
(session.py), landing as Parquet (landing_export.py), the rank simulation with applyInPandas (simulation.py)
and the DuckDB serving file (serving.py). Needs the optional `spark` extra and Java 17; nothing here is
imported by a DuckDB build."""
