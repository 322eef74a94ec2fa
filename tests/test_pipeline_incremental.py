"""`fanzha run` month after month: the run continues its last build, parses the dbt project once, publishes
what a build from scratch would, says which months it rebuilt and why, and `--full-refresh` rebuilds everything.

A small generated scenario (2023-10 … 2023-12): the first run publishes October and November, the second adds
December's exports.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from fanzha.core.paths import DataHome
from fanzha.core.read_api import Reader
from tests.fixtures.cli import run_fanzha
from tests.test_incremental_equality import tables_differing

pytestmark = pytest.mark.dbt  # builds the warehouse with dbt: not in `make test-fast`


def events(home: DataHome, run_id: str, name: str) -> list[dict]:
    lines = (home.logs / f"{run_id}.jsonl").read_text(encoding="utf-8").splitlines()
    return [e for e in map(json.loads, lines) if e["event"] == name]


def data_months(home: DataHome) -> list[str]:
    with Reader(home) as reader:
        return [f"{m:%Y-%m}" for m in reader.query("select month from dim_months order by month")["month"]]


def rebuilt(home: DataHome) -> tuple[str, dict]:
    with Reader(home) as reader:
        record = reader.publish_record()
    return record["run_id"], json.loads(record["rebuild_json"])


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> DataHome:
    root = tmp_path_factory.mktemp("pipeline_incremental")
    generated = root / "generated"
    run_fanzha(root, "generate", "--start", "2023-10", "--end", "2023-12", "--out", str(generated))
    manifest = json.loads((generated / "manifest.json").read_text(encoding="utf-8"))
    home = DataHome(root / "home")
    first, december = root / "first", root / "december"
    for folder in (first, december):
        folder.mkdir()
    for f in manifest["files"]:
        shutil.copy2(generated / f["file"], (december if f["month"] == "2023-12" else first) / f["file"])
    run_fanzha(home.root, "run", "--inbox", str(first))
    home.root.joinpath("first_run").write_text(rebuilt(home)[0])
    run_fanzha(home.root, "run", "--inbox", str(december))
    return home


def test_the_first_run_builds_everything(home: DataHome) -> None:
    first = home.root.joinpath("first_run").read_text()
    record = json.loads((home.logs / f"{first}.publish.json").read_text(encoding="utf-8"))["rebuild"]
    assert (record["mode"], record["why"]) == ("full", "no earlier build to continue")
    # every month of the data then (a few records of the scenario fall in late September)
    assert [m["month"] for m in record["months"]] == [m for m in data_months(home) if m < "2023-12"]
    assert all("every_month:first_build" in m["reasons"] for m in record["months"])


def test_the_next_month_continues_the_last_build_and_says_what_it_rebuilt(home: DataHome) -> None:
    run_id, record = rebuilt(home)
    assert record["mode"] == "incremental"
    assert record["why"].startswith("run ") and record["why"].endswith(", same code")
    assert set(record["new_files"]) == {"alerts", "contacts", "interceptions", "cases", "activities"}
    months = {m["month"]: set(m["reasons"]) for m in record["months"]}
    assert {"alerts", "contacts", "cases", "activities", "month_range_end"} <= months["2023-12"]
    # late records of earlier months (a case reported in December, a contact of a November lead) rebuild theirs;
    # not every month is rebuilt
    assert not any(r.startswith("every_month") for reasons in months.values() for r in reasons)
    assert set(months) < set(data_months(home))
    # dbt reused the first run's parse: same profile (the work path), same project
    (parse,) = events(home, run_id, "dbt_parse")
    assert parse["reused"] is True, parse


def test_the_published_marts_equal_a_build_from_scratch(home: DataHome, tmp_path: Path) -> None:
    scratch = tmp_path / "scratch.duckdb"
    run_fanzha(home.root, "build", "--quiet", "--out", str(scratch))
    published = tmp_path / "published.duckdb"
    shutil.copyfile(home.warehouse, published)
    differing = {t: d for t, d in tables_differing(published, scratch).items() if t.startswith("marts.")}
    assert differing == {"marts.fanzha_publish": (-1, -1)}  # run metadata, only in the published file


def test_full_refresh_rebuilds_every_month_even_with_nothing_new(home: DataHome, tmp_path: Path) -> None:
    copy = DataHome(tmp_path / "home")
    shutil.copytree(home.root, copy.root)
    result = run_fanzha(copy.root, "run", "--full-refresh")
    assert "published" in result.stdout
    _, record = rebuilt(copy)
    assert (record["mode"], record["why"]) == ("full", "--full-refresh")
    assert [m["month"] for m in record["months"]] == data_months(copy)
    assert data_months(copy)[-3:] == ["2023-10", "2023-11", "2023-12"]
