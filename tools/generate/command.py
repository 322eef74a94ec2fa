"""`fanzha generate`: write a synthetic district's exports (and optionally print the calibration report)."""

from __future__ import annotations

import argparse
import os
import re
import time
from pathlib import Path

from fanzha.core.errors import UserError

SCENARIO_MONTHS = ("2022-03", "2024-06")
MAX_SCALE = 200  # rows of districts.csv


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, help="folder to write the export files and manifest.json into")
    parser.add_argument("--scenario", default="nanhe", choices=["nanhe"], help="scenario (default: nanhe)")
    parser.add_argument("--scale", default="1", help="number of districts (1 = Nanhe; N adds synthetic clones)")
    parser.add_argument("--seed", default=None, help="random seed (default: fixed, so runs are reproducible)")
    parser.add_argument("--start", default=SCENARIO_MONTHS[0], help="first month, YYYY-MM (default 2022-03)")
    parser.add_argument("--end", default=SCENARIO_MONTHS[1], help="last month, YYYY-MM (default 2024-06)")
    parser.add_argument("--defect-rate", default="0.01", help="share of rows with injected defects (default 0.01)")
    parser.add_argument("--report", action="store_true",
                        help="print the calibration report from the written files; exit 1 if a figure is off")


def _month(text: str, flag: str) -> str:
    if not re.fullmatch(r"\d{4}-\d{2}", text) or not 1 <= int(text[5:]) <= 12:
        raise UserError(f"{flag} must be a month as YYYY-MM, got {text!r}")
    if not SCENARIO_MONTHS[0] <= text <= SCENARIO_MONTHS[1]:
        raise UserError(f"{flag} {text} is outside the scenario ({SCENARIO_MONTHS[0]} … {SCENARIO_MONTHS[1]})")
    return text


def _int(text: str, flag: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise UserError(f"{flag} must be an integer, got {text!r}") from None


def _out_dir(text: str) -> Path:
    out = Path(text).expanduser()
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out} exists and is not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"--out {out} cannot be created: {exc.strerror or exc}") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise UserError(f"--out {out} is not writable")
    return out


def validate(args: argparse.Namespace) -> dict:
    scale = _int(args.scale, "--scale")
    if not 1 <= scale <= MAX_SCALE:
        raise UserError(f"--scale must be between 1 and {MAX_SCALE} (districts.csv), got {scale}")
    seed = _int(args.seed, "--seed") if args.seed is not None else None
    if seed is not None and seed < 0:
        raise UserError(f"--seed must be a non-negative integer, got {seed}")
    start, end = _month(args.start, "--start"), _month(args.end, "--end")
    if end < start:
        raise UserError(f"--end {end} is before --start {start}")
    try:
        rate = float(args.defect_rate)
    except ValueError:
        raise UserError(f"--defect-rate must be a number, got {args.defect_rate!r}") from None
    if not 0 <= rate <= 0.2:
        raise UserError(f"--defect-rate must be between 0 and 0.2, got {rate}")
    return {"scale": scale, "seed": seed, "start": start, "end": end, "rate": rate, "out": _out_dir(args.out)}


def run(args: argparse.Namespace) -> int:
    opts = validate(args)
    import pandas as pd

    from tools.generate.generator import DEFAULT_SEED, generate, stderr_progress

    began = time.monotonic()
    try:
        manifest = generate(opts["out"], scale=opts["scale"], seed=DEFAULT_SEED if opts["seed"] is None else opts["seed"],
                            start=pd.Period(opts["start"], "M"), end=pd.Period(opts["end"], "M"),
                            defect_rate=opts["rate"], scenario=args.scenario, progress=stderr_progress)
    except PermissionError as exc:
        raise UserError(f"cannot write into {opts['out']}: {exc.strerror or exc}", 1) from None
    rows = sum(f["rows"] for f in manifest["files"])
    stderr_progress(f"wrote {len(manifest['files'])} files ({rows} rows, {len(manifest['defects'])} injected defects) "
                    f"to {opts['out']} in {time.monotonic() - began:.1f} s")
    if args.report:
        from tools.generate.calibration import format_report, report_for_folder

        lines, ok = format_report(report_for_folder(opts["out"]))
        print("\n".join(lines))
        return 0 if ok else 1
    return 0
