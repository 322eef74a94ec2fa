"""`fanzha bench` arguments and the process measurement."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from fanzha.core.errors import UserError
from tests.fixtures.cli import run_fanzha
from tools.bench.command import parse_repeat, parse_scales, parse_stages, parse_timeout
from tools.bench.measure import child_env, run_timed


def test_scales_are_parsed_deduplicated_and_bounded() -> None:
    assert parse_scales("1, 10,100,10") == [1, 10, 100]
    for bad in ("0", "x", "1,,2", "201", "-1"):
        with pytest.raises(UserError) as err:
            parse_scales(bad)
        assert err.value.exit_code == 2


def test_stages_run_in_dependency_order_whatever_the_order_given() -> None:
    assert parse_stages("build,generate, ingest") == ["generate", "ingest", "build"]
    with pytest.raises(UserError, match="unknown deploy"):
        parse_stages("generate,deploy")
    with pytest.raises(UserError):
        parse_stages(" , ")


def test_repeat_is_a_small_positive_integer() -> None:
    assert parse_repeat("3") == 3
    for bad in ("0", "-1", "two", "21"):
        with pytest.raises(UserError):
            parse_repeat(bad)


def test_timeout_zero_means_no_limit() -> None:
    assert parse_timeout("0") is None
    assert parse_timeout("90") == 90.0
    for bad in ("-5", "soon", "nan"):
        with pytest.raises(UserError):
            parse_timeout(bad)


def test_run_timed_kills_the_whole_tree_at_the_timeout(tmp_path: Path) -> None:
    sleeper = "import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); time.sleep(60)"
    sample = run_timed([sys.executable, "-c", sleeper], env=child_env(tmp_path), cwd=tmp_path,
                       log_path=tmp_path / "child.log", timeout=1.0)
    assert sample.timed_out
    assert sample.returncode != 0
    assert sample.seconds < 30


@pytest.mark.parametrize("args", [("--scale", "0"), ("--stages", "nope"), ("--repeat", "0"), ("--timeout", "x")])
def test_bad_arguments_exit_2_with_one_line(tmp_path: Path, args: tuple[str, ...]) -> None:
    done = run_fanzha(tmp_path, "bench", *args, "--out", str(tmp_path / "results"), check=False)
    assert done.returncode == 2
    assert done.stderr.startswith("fanzha bench: error: ")
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "results").exists()


def test_run_timed_reports_exit_code_and_at_least_the_memory_the_child_held(tmp_path: Path) -> None:
    allocate = "import time; block = bytearray(200 * 2**20); time.sleep(0.5); raise SystemExit(3)"
    sample = run_timed([sys.executable, "-c", allocate], env=child_env(tmp_path), cwd=tmp_path,
                       log_path=tmp_path / "child.log")
    assert sample.returncode == 3
    assert sample.max_child_rss >= 200 * 2**20  # the polled RSS of this one process
    assert sample.peak_tree_rss >= sample.max_child_rss
    assert sample.seconds >= 0.5
    assert 0 < sample.cpu_seconds < sample.seconds + 1  # it mostly slept


def test_peak_tree_rss_sums_processes_alive_at_once(tmp_path: Path) -> None:
    one = "import time; block = bytearray(150 * 2**20); time.sleep(1.5)"
    two = f"import subprocess, sys; p = subprocess.Popen([sys.executable, '-c', {one!r}]); exec({one!r}); p.wait()"
    sample = run_timed([sys.executable, "-c", two], env=child_env(tmp_path), cwd=tmp_path,
                       log_path=tmp_path / "child.log")
    assert sample.returncode == 0
    assert sample.max_child_rss < 300 * 2**20  # no single process held both blocks
    assert sample.peak_tree_rss >= 300 * 2**20  # but the tree did, at once


def test_bench_generate_at_scale_1_writes_the_table_and_the_results_file(tmp_path: Path) -> None:
    import json

    results, work = tmp_path / "results", tmp_path / "work"
    done = run_fanzha(tmp_path / "home", "bench", "--scale", "1", "--stages", "generate", "--repeat", "1",
                      "--out", str(results), "--work", str(work), timeout=300)
    assert done.returncode == 0, done.stderr
    (result_file,) = results.glob("*-1.json")
    document = json.loads(result_file.read_text(encoding="utf-8"))
    (stage,) = document["stages"]
    manifest = json.loads((work / "scale-1" / "exports" / "manifest.json").read_text(encoding="utf-8"))
    assert stage["stage"] == "generate" and stage["ok"]
    assert stage["rows"] == sum(f["rows"] for f in manifest["files"])  # rows come from what was generated
    assert stage["peak_tree_rss_bytes"] >= stage["max_child_rss_bytes"] > 0
    assert "| 1 | generate |" in done.stdout
