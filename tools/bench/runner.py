"""Run the chosen stages at every scale, write one results file per scale, return the markdown table."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from tools.bench.plan import BENCHES, ScaleWork
from tools.bench.results import git_commit, machine, result_document, write_result
from tools.bench.stats import StageResult, markdown_table


def run_bench(scales: list[int], stages: list[str], repeat: int, out: Path, work: Path | None,
              log: Callable[[str], None], timeout: float | None = None) -> tuple[str, bool]:
    temporary = work is None
    root = Path(tempfile.mkdtemp(prefix="fanzha-bench-")) if work is None else work.resolve()
    root.mkdir(parents=True, exist_ok=True)
    meta = {**git_commit(), "machine": machine(), "stages_requested": stages, "timeout_seconds": timeout}
    results: list[StageResult] = []
    try:
        for scale in scales:
            started = datetime.now(UTC)
            scale_work = ScaleWork(scale, root / f"scale-{scale}", log, timeout)
            scale_work.root.mkdir(parents=True, exist_ok=True)
            for stage in stages:
                log(f"scale {scale}: {stage} ×{repeat}")
                try:
                    result = BENCHES[stage](scale_work, repeat)
                except (RuntimeError, OSError) as err:  # an untimed preparation failed
                    result = StageResult(scale, stage, [], 0, 0, None, False, f"not measured: {err}"[:300])
                    log(f"  {result.note}")
                results.append(result)
            path = write_result(out, result_document(scale, repeat, results, scale_work.details, started, meta),
                                started)
            log(f"scale {scale}: results in {path}")
    finally:
        if temporary:
            shutil.rmtree(root, ignore_errors=True)
    return markdown_table(results), all(r.ok for r in results)
