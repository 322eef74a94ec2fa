"""Generate a scenario into a folder: every district's files plus manifest.json."""

from __future__ import annotations

import functools
import json
import multiprocessing
import os
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

from tools.generate import district as district_mod
from tools.generate.exports import DistrictWriter, Options
from tools.generate.reference import Reference, district_geo, load_reference

DEFAULT_SEED = 20230301
NANHE_XLSX_SHARE = 0.25
CLONE_XLSX_SHARE = 0.03
MAX_WORKERS = 4


def _clear_previous(out: Path) -> None:
    """Remove the files a previous run listed in its manifest, so runs never mix."""
    manifest = out / "manifest.json"
    if not manifest.exists():
        return
    try:
        old = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    for entry in old.get("files", []):
        name = str(entry.get("file", ""))
        if name and "/" not in name and "\\" not in name:
            (out / name).unlink(missing_ok=True)
    manifest.unlink()


def generate(out: Path, *, scale: int, seed: int, start: pd.Period, end: pd.Period, defect_rate: float,
             scenario: str = "nanhe", progress: Callable[[str], None] | None = None) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    _clear_previous(out)
    months = pd.period_range(start, end, freq="M")
    files: list[dict] = []
    defects: list[dict] = []
    step = max(1, scale // 10)
    jobs = [(out, k, seed, months, defect_rate) for k in range(scale)]
    workers = min(os.cpu_count() or 1, MAX_WORKERS, scale)
    if workers > 1:  # districts are independent: results are gathered in district order, so output is identical
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
        results = pool.map(_district_job, jobs)
    else:
        pool, results = None, map(_district_job, jobs)
    try:
        for k, (f, d) in enumerate(results):
            files += f
            defects += d
            if progress and scale > 1 and ((k + 1) % step == 0 or k + 1 == scale):
                progress(f"districts {k + 1}/{scale}")
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    manifest = {"scenario": scenario, "seed": seed, "scale": scale, "start": str(start), "end": str(end),
                "defect_rate": defect_rate, "files": files, "defects": defects}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def _district_job(job: tuple) -> tuple[list[dict], list[dict]]:
    out, k, seed, months, defect_rate = job
    ref = _reference()
    geo = district_geo(ref, k)
    data = district_mod.build(ref, geo, seed)
    share = CLONE_XLSX_SHARE if geo.is_clone else NANHE_XLSX_SHARE
    writer = DistrictWriter(data, Options(out, months, seed, defect_rate, share))
    writer.run()
    return writer.files, writer.defects


@functools.cache
def _reference() -> Reference:
    return load_reference()


def stderr_progress(message: str) -> None:
    print(f"fanzha generate: {message}", file=sys.stderr, flush=True)
