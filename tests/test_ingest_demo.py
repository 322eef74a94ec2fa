"""Ingestion of the generated demo scenario: the generator's manifest, the accounting, and the privacy scan.

`demo_home` (tests/conftest.py) has generated the Nanhe scenario into its inbox and run the pipeline, which
ingested it (files then move to archive/YYYY-MM-DD/). The expected treatment of every injected defect comes from
the generator's manifest.json (docs/contracts.md §2); the raw personal values come from the input files, read
with plain readers (csv, openpyxl, and the generator's plain reader for .xls and HTML), independent of ingestion's
readers.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.e2e

# landing column that holds the normalised value of a manifest field
LANDED_AS = {
    "phone": "phone_key", "id_number": "id_key", "name": "name_masked", "township": "township_code",
    "village": "village_code", "counterparty_account": "counterparty_account_key", "account": "account_key",
    "unit": "unit_code",
}
PERSONAL_HEADERS = {
    "name": {"姓名", "受害人姓名", "name"},
    "id": {"身份证号", "id_number"},
    "phone": {"手机号", "phone"},
    "account": {"对方账户", "账户", "counterparty_account", "account"},
}


@pytest.fixture(scope="module")
def manifest(demo_home: Path) -> dict:
    return json.loads((demo_home / "inbox" / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def landing(demo_home: Path):
    with duckdb.connect(str(demo_home / "landing.duckdb"), read_only=True) as conn:
        yield conn


def input_file(home: Path, name: str) -> Path:
    """An input file, still in the inbox or moved to archive/<date>/ by the run."""
    found = [p for p in [home / "inbox" / name, *sorted((home / "archive").glob(f"*/{name}"))] if p.exists()]
    assert found, f"{name} is neither in the inbox nor in the archive"
    return found[0]


def test_every_file_lands_and_its_accounting_reconciles(manifest: dict, landing) -> None:
    log = {r[0]: r[1:] for r in landing.execute(
        "SELECT file_name, status, feed, rows_read, rows_landed, rows_quarantined, rows_duplicate FROM ingest_log "
        "WHERE status <> 'skipped_duplicate_file'").fetchall()}
    assert set(log) == {f["file"] for f in manifest["files"]}
    for f in manifest["files"]:
        status, feed, read, landed, quarantined, duplicate = log[f["file"]]
        assert (status, feed) == ("landed", f["feed"]), f["file"]
        assert read == f["rows"], f["file"]
        assert read == landed + quarantined + duplicate, f["file"]
        # the ingest log agrees with what the tables hold
        assert landing.execute(f"SELECT count(*) FROM {feed} WHERE _file_name = ?", [f["file"]]).fetchone()[0] == landed
        assert landing.execute("SELECT count(*) FROM quarantine WHERE _file_name = ?", [f["file"]]).fetchone()[0] \
            == quarantined


def _rows_of(landing, table: str, file_name: str) -> set[int]:
    return {r[0] for r in landing.execute(f"SELECT _row_number FROM {table} WHERE _file_name = ?", [file_name]).fetchall()}


def test_quarantine_and_duplicates_are_exactly_the_injected_ones(manifest: dict, landing) -> None:
    by_file: dict[str, list[dict]] = defaultdict(list)
    for d in manifest["defects"]:
        by_file[d["file"]].append(d)
    for f in manifest["files"]:
        name, feed = f["file"], f["feed"]
        expected_q = {(d["row"], d["reason_code"], d["field"]) for d in by_file[name] if d["expected"] == "quarantine"}
        got_q = set(landing.execute("SELECT _row_number, reason_code, field FROM quarantine WHERE _file_name = ?",
                                    [name]).fetchall())
        assert got_q == expected_q, name  # no clean row quarantined, no injected one missed
        landed, quarantined = _rows_of(landing, feed, name), {r for r, _, _ in got_q}
        skipped = set(range(1, f["rows"] + 1)) - landed - quarantined
        assert skipped == {d["row"] for d in by_file[name] if d["expected"] == "duplicate"}, name


# per flag: a condition on the landed row that shows no value was derived from the flawed field
FLAG_CHECKS = {
    "id_bad_checksum": "id_key IS NULL AND id_area_code IS NULL",
    "phone_bad_length": "phone_key IS NULL AND phone_masked IS NULL",
    "no_contact_key": "person_key IS NULL AND id_key IS NULL AND phone_key IS NULL",
    "unknown_village": "village_code IS NULL AND village_raw IS NOT NULL",
    "unmapped_occupation": "occupation = '其他' AND occupation_raw IS NOT NULL",
    "unmapped_fraud_type": "fraud_type = '其他' AND fraud_type_raw IS NOT NULL",
}


def test_flagged_rows_land_flagged_without_values_from_the_flawed_field(manifest: dict, landing) -> None:
    feeds = {f["file"]: f["feed"] for f in manifest["files"]}
    flags = [d for d in manifest["defects"] if d["expected"] == "flag"]
    assert flags, "the manifest injects no flag-bound defect"
    for d in flags:
        flag = d.get("flag", d["kind"])
        row = landing.execute(
            f"SELECT _flags, {FLAG_CHECKS[flag]} FROM {feeds[d['file']]} WHERE _file_name = ? AND _row_number = ?",
            [d["file"], d["row"]]).fetchone()
        assert row is not None, d
        assert flag in row[0] and row[1], (d, row)
    for flag in {d.get("flag", d["kind"]) for d in flags}:  # and no clean row carries the flag
        expected = {(d["file"], d["row"]) for d in flags if d.get("flag", d["kind"]) == flag}
        got = set()
        for feed in ("alerts", "cases"):
            got |= set(landing.execute(
                f"SELECT _file_name, _row_number FROM {feed} WHERE list_contains(_flags, ?)", [flag]).fetchall())
        assert got == expected, flag


def test_normalised_defects_land_with_a_value(manifest: dict, landing) -> None:
    feeds = {f["file"]: f["feed"] for f in manifest["files"]}
    normalised = [d for d in manifest["defects"] if d["expected"] == "normalise"]
    assert normalised
    for d in normalised:
        column = LANDED_AS.get(d["field"], d["field"])
        row = landing.execute(f"SELECT {column} FROM {feeds[d['file']]} WHERE _file_name = ? AND _row_number = ?",
                              [d["file"], d["row"]]).fetchone()
        if row is None:  # the same record already landed from an earlier file: a duplicate, not a loss
            assert landing.execute("SELECT count(*) FROM quarantine WHERE _file_name = ? AND _row_number = ?",
                                   [d["file"], d["row"]]).fetchone()[0] == 0, d
            continue
        value = row[0]
        assert value is not None, d
        if isinstance(value, str):
            assert value == value.strip() and "\u3000" not in value, d


def test_corrected_reexports_supersede_and_keep_history(manifest: dict, landing) -> None:
    feeds = {f["file"]: f["feed"] for f in manifest["files"]}
    keys = {"alerts": "alert_id", "contacts": "action_id", "interceptions": "interception_id", "cases": "case_id",
            "activities": "activity_id"}
    superseded = [d for d in manifest["defects"] if d["expected"] == "supersede"]
    assert superseded
    for d in superseded:
        feed = feeds[d["file"]]
        key, field = keys[feed], LANDED_AS.get(d["field"], d["field"])
        old = landing.execute(f"SELECT {key}, _file_id, {field} FROM {feed} WHERE _file_name = ? AND _row_number = ?",
                              [d["file"], d["row"]]).fetchone()
        assert old is not None, d  # the earlier version is kept as history
        current = landing.execute(
            f"SELECT _file_id, {field} FROM {feed} WHERE {key} = ? ORDER BY _file_id DESC, _row_number DESC LIMIT 1",
            [old[0]]).fetchone()
        assert current[0] > old[1] and current[1] != old[2], d


# --- privacy -------------------------------------------------------------------------------------------------------

def _plain_rows(path: Path) -> list[list[str]]:
    if path.suffix.lower() in (".xls", ".htm", ".html"):  # legacy BIFF or an HTML table, by content
        from tools.generate.plain_reader import decode_rows

        return [["" if v is None else str(v) for v in row] for row in decode_rows(path)]
    if path.suffix.lower() == ".xlsx":
        import openpyxl

        sheet = openpyxl.load_workbook(path, read_only=True, data_only=True).worksheets[0]
        return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")
    return list(csv.reader(io.StringIO(text)))


def _halfwidth(text: str) -> str:
    return "".join(chr(ord(c) - 0xFEE0) if "！" <= c <= "～" else c for c in text).replace("\u3000", " ")


def _personal_columns(row: list[str]) -> dict[str, list[int]]:
    headers = [re.sub(r"\s+", "", _halfwidth(c)).lower() for c in row]
    return {kind: [j for j, h in enumerate(headers) if h in names] for kind, names in PERSONAL_HEADERS.items()}


def raw_personal_values(home: Path, manifest: dict) -> dict[str, set[str]]:
    """Every name, resident ID, phone and account written in the input files (as written and normalised)."""
    values: dict[str, set[str]] = {kind: set() for kind in PERSONAL_HEADERS}
    for f in manifest["files"]:
        rows = _plain_rows(input_file(home, f["file"]))
        found = [(i, cols) for i, cols in enumerate(map(_personal_columns, rows[:30])) if any(cols.values())]
        if not found:  # a feed without personal columns (contacts, activities)
            continue
        at, columns = found[0]
        for row in rows[at + 1:]:
            for kind, positions in columns.items():
                for j in positions:
                    if j < len(row) and row[j].strip():
                        cell = _halfwidth(row[j]).strip()
                        values[kind].add(re.sub(r"[\s\-]", "", cell).upper() if kind != "name" else cell)
    return values


def landing_text(landing) -> list[str]:
    """Every distinct text value of every text-like column of every table in the landing database."""
    texts: list[str] = []
    columns = landing.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main' "
        "AND (data_type LIKE 'VARCHAR%' OR data_type = 'JSON')").fetchall()
    assert len(columns) > 50
    for table, column in columns:
        texts += [r[0] for r in landing.execute(
            f'SELECT DISTINCT CAST("{column}" AS VARCHAR) FROM "{table}" WHERE "{column}" IS NOT NULL').fetchall()]
    return texts


def find_leaks(texts: list[str], values: dict[str, set[str]]) -> list[tuple[str, str]]:
    leaks = []
    digit_values = values["id"] | values["phone"] | {a for a in values["account"] if len(a) >= 8}
    lengths = {len(v) for v in digit_values}
    names = {n for n in values["name"] if len(n) >= 2}
    name_lengths = {len(n) for n in names}
    for text in texts:
        for run in re.findall(r"[0-9X]{8,}", text.upper()):
            for n in lengths:
                leaks += [(w, text) for w in (run[k:k + n] for k in range(len(run) - n + 1)) if w in digit_values]
        for n in name_lengths:
            leaks += [(w, text) for w in (text[k:k + n] for k in range(len(text) - n + 1)) if w in names]
    return leaks


def test_no_raw_name_id_phone_or_account_anywhere_in_landing(demo_home: Path, manifest: dict, landing) -> None:
    values = raw_personal_values(demo_home, manifest)
    assert len(values["name"]) > 1000 and len(values["id"]) > 1000 and len(values["phone"]) > 1000
    texts = landing_text(landing)
    # the scan finds a planted value: it can fail
    assert find_leaks(["备注: " + next(iter(values["phone"]))], values)
    leaks = find_leaks(texts, values)
    assert leaks == [], leaks[:5]


def test_person_keys_link_the_same_person_across_feeds(landing) -> None:
    """Pseudonymised, yet recognisable: some victims of cases were targets of earlier leads (预后被骗 /
    repeat victims exist in the scenario), found only through the keyed hash."""
    linked = landing.execute(
        "SELECT count(DISTINCT c.person_key) FROM cases c JOIN alerts a USING (person_key) "
        "WHERE c.person_key IS NOT NULL").fetchone()[0]
    assert linked > 0


def test_ingesting_the_demo_again_changes_nothing(demo_home: Path, manifest: dict, tmp_path: Path) -> None:
    import shutil

    from tests.fixtures.cli import run_fanzha

    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(demo_home / "landing.duckdb", home / "landing.duckdb")
    snapshot = ("SELECT (SELECT count(*) FROM alerts), (SELECT count(*) FROM contacts), "
                "(SELECT count(*) FROM interceptions), (SELECT count(*) FROM cases), "
                "(SELECT count(*) FROM activities), (SELECT count(*) FROM quarantine), "
                "(SELECT string_agg(_record_hash, ',' ORDER BY _record_hash) FROM alerts)")

    def state() -> tuple:
        with duckdb.connect(str(home / "landing.duckdb"), read_only=True) as conn:
            return conn.execute(snapshot).fetchone()

    before = state()
    with duckdb.connect(str(home / "landing.duckdb"), read_only=True) as conn:
        last_id = conn.execute("SELECT max(_file_id) FROM ingest_log").fetchone()[0]
    files = [str(input_file(demo_home, f["file"])) for f in manifest["files"]]
    result = run_fanzha(home, "ingest", "--quiet", *files)
    assert result.returncode == 0
    assert state() == before
    with duckdb.connect(str(home / "landing.duckdb"), read_only=True) as conn:
        statuses = conn.execute("SELECT status, count(*) FROM ingest_log WHERE _file_id > ? GROUP BY status",
                                [last_id]).fetchall()
    assert statuses == [("skipped_duplicate_file", len(manifest["files"]))]
