"""`fanzha build [--engine duckdb|spark] [--out PATH]`: the build command, on DuckDB (fanzha.build) or on
Apache Spark (fanzha.spark.build, the optional `spark` extra), which writes the same DuckDB file.

A command module of its own so that fanzha.build and fanzha.spark (which uses fanzha.build's dbt helpers)
never import each other.
"""

from __future__ import annotations

import argparse
import sys

from fanzha import build
from fanzha.core.errors import UserError
from fanzha.core.paths import data_home


def _cores(text: str) -> str:
    if text == "*" or (text.isdigit() and int(text) > 0):
        return text
    raise argparse.ArgumentTypeError(f"{text!r} is not a number of cores (a positive integer, or * for all)")


def register(parser: argparse.ArgumentParser) -> None:
    build.register(parser)
    parser.add_argument(
        "--engine", choices=("duckdb", "spark"), default="duckdb",
        help="where the models run: duckdb (default) or spark (local Spark in-process, needs the "
             "'spark' extra and Java 17); both write the same DuckDB file")
    parser.add_argument("--spark-cores", default="*", type=_cores,
                        help="--engine spark: local cores to use, a number or * (default: all)")
    parser.add_argument("--spark-memory", default="3g", help="--engine spark: driver memory (default: 3g)")


def run(args: argparse.Namespace) -> int:
    if args.engine == "duckdb":
        return build.run(args)
    if args.select or args.incremental:
        raise UserError("--select and --incremental are for --engine duckdb: a Spark build is always complete",
                        exit_code=2)
    from fanzha.spark.build import build_on_spark

    home = data_home()
    out = args.out if args.out is not None else build.default_out(home)
    built = build_on_spark(home, out, quiet=args.quiet, cores=args.spark_cores, driver_memory=args.spark_memory)
    if args.quiet:
        for failure in built.result.failures:
            print(f"  failed: {failure}", file=sys.stderr)
    return 0 if built.result.ok else 1
