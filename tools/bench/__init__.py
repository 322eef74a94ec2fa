"""`fanzha bench`: wall time and peak memory of each stage at each scale, in fresh processes.

stats.py (pure: medians, ratios, the markdown table), measure.py (one timed child process with its
process tree's peak RSS), plan.py (what each stage needs prepared and which command is timed),
baseline.py (the bare-DuckDB floor: prepare raw files, run benchmarks/baseline_kpi.sql),
command.py (the CLI).
"""
