"""`fanzha bench [--scale 1,10,100] [--stages …] [--repeat 3] [--out DIR] [--work DIR]`.

Each stage at each scale runs in fresh processes (see plan.py); prints a markdown table and writes
`<out>/<date>-<scale>.json`. Nothing heavy is imported until run().
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fanzha.core.errors import UserError

DEFAULT_SCALES = "1,10,100"
DEFAULT_STAGES = "generate,ingest,build,check,notice,dashboard,run,incremental,baseline"
MAX_SCALE = 200  # rows of districts.csv
MAX_REPEAT = 20


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scale", default=DEFAULT_SCALES, help=f"comma-separated district counts (default {DEFAULT_SCALES})")
    parser.add_argument("--stages", default=DEFAULT_STAGES,
                        help=f"comma-separated stages (default {DEFAULT_STAGES}; also spark-build: "
                             "fanzha build --engine spark, needs the spark extra)")
    parser.add_argument("--repeat", default="3", help="runs per stage; the table shows the median (default 3)")
    parser.add_argument("--timeout", default="0",
                        help="kill a measured command after this many seconds and report it as timed out "
                             "(a lower bound; stages that need its output are skipped); default 0 = no limit")
    parser.add_argument("--out", type=Path, default=None, help="results folder (default benchmarks/results)")
    parser.add_argument("--work", type=Path, default=None,
                        help="work folder for generated data and homes (default: a temporary folder, removed after); "
                             "an existing one is reused, so generated exports need not be made again")


def parse_scales(text: str) -> list[int]:
    scales = []
    for part in text.split(","):
        part = part.strip()
        if not part.isdigit() or not 1 <= int(part) <= MAX_SCALE:
            raise UserError(f"--scale: {part!r} is not a district count between 1 and {MAX_SCALE}", 2)
        scales.append(int(part))
    return list(dict.fromkeys(scales))


def parse_stages(text: str) -> list[str]:
    from tools.bench.plan import STAGES

    chosen = [s.strip() for s in text.split(",") if s.strip()]
    unknown = [s for s in chosen if s not in STAGES]
    if unknown or not chosen:
        raise UserError(f"--stages: unknown {', '.join(unknown) or '(none given)'}; choose from {', '.join(STAGES)}", 2)
    return [s for s in STAGES if s in chosen]  # dependency order, whatever order was given


def parse_repeat(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= MAX_REPEAT:
        raise UserError(f"--repeat must be a whole number between 1 and {MAX_REPEAT}, got {text!r}", 2)
    return int(text)


def parse_timeout(text: str) -> float | None:
    try:
        seconds = float(text)
    except ValueError:
        raise UserError(f"--timeout must be a number of seconds, got {text!r}", 2) from None
    if seconds < 0 or seconds != seconds:
        raise UserError(f"--timeout must be 0 (no limit) or a positive number of seconds, got {text!r}", 2)
    return seconds or None


def run(args: argparse.Namespace) -> int:
    scales, stages, repeat = parse_scales(args.scale), parse_stages(args.stages), parse_repeat(args.repeat)
    timeout = parse_timeout(args.timeout)
    from fanzha.core.paths import REPO_ROOT
    from tools.bench.runner import run_bench

    out = args.out or REPO_ROOT / "benchmarks" / "results"
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out} is not a folder", 2)
    if args.work is not None and args.work.exists() and not args.work.is_dir():
        raise UserError(f"--work {args.work} is not a folder", 2)
    table, ok = run_bench(scales, stages, repeat, out, args.work,
                          log=lambda m: print(m, file=sys.stderr, flush=True), timeout=timeout)
    print(table)
    return 0 if ok else 1
