"""`fanzha generate` writes the exports as the spec describes them: readable with the spec's encodings,
each feed's header found, deterministic per seed, distinct districts at scale, one-line errors for bad
arguments, and a manifest whose entries point at rows that really carry the injected defect."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest

from tests.fixtures.cli import run_fanzha
from tools.generate import plain_reader as pr

CONTRACT_REASONS = {"missing_required", "bad_datetime", "future_datetime", "negative_amount", "bad_amount",
                    "unknown_township", "bad_enum", "bad_integer"}
SPEC_KINDS = {"id_bad_checksum", "phone_bad_length", "amount_wan", "amount_currency", "fullwidth_digits",
              "datetime_format", "whitespace", "yesno_variant", "overlapping_export", "corrected_reexport",
              "contact_before_lead", "contact_before_issued", "negative_amount", "bad_datetime", "future_datetime",
              "unknown_township", "missing_required", "bad_enum", "bad_integer", "bad_amount", "no_contact_key",
              "unknown_village", "unmapped_occupation", "unmapped_fraud_type"}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The full Nanhe scenario with a raised defect rate, so every kind appears several times."""
    home = tmp_path_factory.mktemp("gen_files")
    run_fanzha(home, "generate", "--out", str(home / "out"), "--defect-rate", "0.03")
    return home / "out"


@pytest.fixture(scope="module")
def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def tables(out: Path, manifest: dict) -> dict[str, pr.FileTable]:
    return {f["file"]: pr.read_file(out / f["file"]) for f in manifest["files"]}


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_files_use_every_spec_encoding_and_declare_them_truthfully(out: Path, manifest: dict) -> None:
    seen = set()
    for f in manifest["files"]:
        raw = (out / f["file"]).read_bytes()
        seen.add((f["format"], f["encoding"]))
        if f["format"] == "xlsx":
            assert raw[:2] == b"PK", f["file"]
            continue
        if f["format"] == "xls":  # Excel 97-2003: an OLE2 compound file
            assert raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" and f["file"].endswith(".xls"), f["file"]
            continue
        if f["format"] == "html":  # a web system's "导出Excel": an HTML table, named .xls or .htm
            assert raw.startswith(b"<html") and f["file"].endswith((".xls", ".htm")), f["file"]
            assert f"charset={f['encoding']}".encode() in raw[:300], f["file"]
        assert raw.startswith(b"\xef\xbb\xbf") == (f["encoding"] == "utf-8-sig"), f["file"]
        if f["encoding"] == "gbk":
            raw.decode("gbk")
            with pytest.raises(UnicodeDecodeError):
                raw.decode("utf-8")
        else:
            raw.decode(f["encoding"])
    assert seen == {("csv", "utf-8"), ("csv", "utf-8-sig"), ("csv", "gbk"), ("xlsx", None), ("xls", None),
                    ("html", "utf-8"), ("html", "gbk")}


def test_every_file_has_its_feed_header_and_declared_row_count(out: Path, manifest: dict, tables: dict) -> None:
    months = {f["month"] for f in manifest["files"]}
    assert len(months) == 28
    per_feed_month = defaultdict(int)
    for f in manifest["files"]:
        table = tables[f["file"]]
        assert table.feed == f["feed"], f["file"]
        assert len(table.frame) == f["rows"], f["file"]
        if not f["revision"]:
            per_feed_month[f["feed"]] += 1
        if f["format"] == "xlsx":
            assert table.header_row == f["title_rows"], f["file"]
    assert dict(per_feed_month) == dict.fromkeys(("alerts", "contacts", "interceptions", "cases", "activities"), 28)


def test_headers_are_mostly_chinese_some_english_and_some_messy(out: Path, manifest: dict) -> None:
    langs = [f["header_language"] for f in manifest["files"]]
    assert 0.5 < langs.count("zh") / len(langs) < 0.95
    messy = 0
    for f in manifest["files"]:
        if f["format"] == "csv":
            first = (out / f["file"]).read_bytes().decode(f["encoding"]).split("\n", 1)[0]
            messy += bool(re.search(r"（| [^,]|\"[^\"]*\n", first))
    assert messy > 0


def test_xlsx_files_have_title_rows_typed_dates_and_numbers_as_text(out: Path, manifest: dict) -> None:
    xlsx = [f for f in manifest["files"] if f["format"] == "xlsx"]
    assert {f["title_rows"] for f in xlsx} >= {0, 1, 2}
    assert any(f["trailing_empty_rows"] for f in xlsx)
    assert {"datetime", "serial", "text"} <= {f["date_cells"] for f in xlsx}
    assert any(f["numbers_as_text"] for f in xlsx)
    f = next(f for f in xlsx if f["date_cells"] == "serial" and f["rows"] > 0)
    ws = openpyxl.load_workbook(out / f["file"], read_only=True).worksheets[0]
    row = next(ws.iter_rows(min_row=f["title_rows"] + 2, max_row=f["title_rows"] + 2, values_only=True))
    assert any(isinstance(v, float) and 44600 < v < 45500 for v in row)  # an Excel serial in 2022-2024


def test_every_defect_kind_is_injected_and_quarantine_rows_name_a_contract_reason(manifest: dict) -> None:
    kinds = {d["kind"] for d in manifest["defects"]}
    assert kinds == SPEC_KINDS
    for d in manifest["defects"]:
        assert d["expected"] in {"quarantine", "flag", "normalise", "duplicate", "supersede"}
        if d["expected"] == "quarantine":
            assert d["reason_code"] in CONTRACT_REASONS


def test_the_plain_reader_drops_exactly_the_quarantine_rows(out: Path, manifest: dict) -> None:
    expected = sum(d["expected"] == "quarantine" for d in manifest["defects"])
    assert sum(pr.read_folder(out).dropped.values()) == expected


def _cell(tables: dict, d: dict) -> str:
    value = tables[d["file"]].frame.iloc[d["row"] - 1][d["field"]]
    return "" if value is None else str(value)


def _gb11643_ok(id_number: str) -> bool:
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    return "10X98765432"[sum(int(c) * w for c, w in zip(id_number[:17], weights, strict=True)) % 11] == id_number[17]


CELL_CHECKS = {
    "id_bad_checksum": lambda c: len(c) == 18 and not _gb11643_ok(c),
    "phone_bad_length": lambda c: re.fullmatch(r"\d{10}", c) is not None,
    "amount_wan": lambda c: c.endswith(("万", "万元")),
    "amount_currency": lambda c: c[:1] in ("¥", "￥"),
    "fullwidth_digits": lambda c: re.search("[０-９]", c) is not None,
    "datetime_format": lambda c: re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", c) is None and pr.parse_datetime(c) is not None,
    "whitespace": lambda c: c != c.strip(),
    "yesno_variant": lambda c: c in ("是", "Y", "1", "√", "y", "否", "N", "0", "n"),
    "negative_amount": lambda c: c.startswith("-"),
    "bad_amount": lambda c: pr.parse_money(c) is None,
    "bad_datetime": lambda c: pr.parse_datetime(c) is None,
    "future_datetime": lambda c: c.startswith("2035-"),
    "unknown_township": lambda c: c not in pr._townships(),
    "missing_required": lambda c: c.strip() == "",
    "bad_integer": lambda c: not c.isdigit(),
    "no_contact_key": lambda c: c.strip() == "",
    "unknown_village": lambda c: c not in set(_seed_names("villages", "village").values()),
    "unmapped_occupation": lambda c: c not in set(pr.pd.read_csv(pr.SEEDS_DIR / "map_occupation.csv")["raw_value"]),
    "unmapped_fraud_type": lambda c: c not in set(pr.pd.read_csv(pr.SEEDS_DIR / "map_fraud_type.csv")["raw_value"]),
}


def test_manifest_rows_really_carry_their_cell_defect(tables: dict, manifest: dict) -> None:
    by_kind = defaultdict(list)
    for d in manifest["defects"]:
        by_kind[d["kind"]].append(d)
    for kind, check in CELL_CHECKS.items():
        for d in by_kind[kind][:6]:
            assert check(_cell(tables, d)), (kind, d, _cell(tables, d))
    for d in by_kind["no_contact_key"][:6]:
        assert str(tables[d["file"]].frame.iloc[d["row"] - 1]["phone"] or "").strip() == ""
    for d in by_kind["bad_enum"][:6]:
        feed = tables[d["file"]].feed
        assert _cell(tables, d) not in pr.ENUMS[(feed, d["field"])], d


def _seed_names(seed: str, kind: str) -> dict[str, str]:
    frame = pr.pd.read_csv(pr.SEEDS_DIR / f"{seed}.csv", dtype=str)
    return dict(zip(frame[f"{kind}_code"], frame[f"{kind}_name"], strict=True))


def _key_of(tables: dict, d: dict) -> str:
    table = tables[d["file"]]
    return str(table.frame.iloc[d["row"] - 1][pr.KEYS[table.feed]])


def test_overlaps_repeat_an_earlier_row_and_corrections_come_later(out: Path, tables: dict, manifest: dict) -> None:
    order = sorted(tables, key=lambda n: pr.export_order(Path(n)))
    rows_by_key = defaultdict(list)  # key -> [(file position, normalised row)]
    for pos, name in enumerate(order):
        t = tables[name]
        typed, _ = pr.normalise(t.feed, t.frame, pr._townships(), pr.pd.Timestamp.now())
        for _, row in typed.iterrows():
            rows_by_key[(t.feed, row[pr.KEYS[t.feed]])].append((pos, name, row))
    names = {**_seed_names("townships", "township"), **_seed_names("villages", "village")}

    def business(row: pr.pd.Series) -> list:  # codes resolved to names; age compared as a number
        return [names.get(v, v) if k in ("township", "village") else float(v) if k == "age" else v for k, v in row.items()]

    for d in [d for d in manifest["defects"] if d["kind"] == "overlapping_export"][:8]:
        versions = rows_by_key[(tables[d["file"]].feed, _key_of(tables, d))]
        assert len(versions) == 2 and versions[1][1] == d["file"]
        assert pr.pd.Series(business(versions[0][2])).equals(pr.pd.Series(business(versions[1][2])))
    for d in [d for d in manifest["defects"] if d["kind"] == "corrected_reexport"]:
        versions = rows_by_key[(tables[d["file"]].feed, _key_of(tables, d))]
        assert versions[0][1] == d["file"] and re.search(r"_(更正|rev2)\.", versions[-1][1]), versions
        assert versions[0][2][d["field"]] != versions[-1][2][d["field"]]


def test_contacts_before_their_lead_point_at_a_later_lead(tables: dict, manifest: dict) -> None:
    issued = {}
    first_file = {}
    for name in sorted(tables, key=lambda n: pr.export_order(Path(n))):
        t = tables[name]
        if t.feed == "alerts":
            for alert_id, when in zip(t.frame["alert_id"], t.frame["issued_at"], strict=True):
                issued.setdefault(str(alert_id), pr.parse_datetime(when))
                first_file.setdefault(str(alert_id), pr.export_order(Path(name))[0])
    for d in (d for d in manifest["defects"] if d["kind"] in ("contact_before_lead", "contact_before_issued")):
        row = tables[d["file"]].frame.iloc[d["row"] - 1]
        alert_id = str(row["alert_id"])
        if d["kind"] == "contact_before_lead":
            assert first_file[alert_id] > pr.export_order(Path(d["file"]))[0], d
        else:
            assert pr.parse_datetime(row["action_at"]) < issued[alert_id], d


def test_people_have_valid_ids_real_looking_names_and_phones(tables: dict) -> None:
    alerts = [t.frame for t in tables.values() if t.feed == "alerts"]
    ids = [unicodedata.normalize("NFKC", str(v)).strip() for f in alerts for v in f["id_number"] if v]
    good = [i for i in ids if len(i) == 18 and _gb11643_ok(i)]
    assert len(good) / len(ids) > 0.98
    assert {i[:6] for i in good} >= {"130506"}
    names = {str(v).strip() for f in alerts for v in f["name"] if v}
    assert any(n.startswith(("欧阳", "司马", "上官", "诸葛", "司徒", "东方")) for n in names)
    assert all(2 <= len(n) <= 4 for n in names)


def test_same_seed_gives_identical_files_and_another_seed_differs(tmp_path: Path) -> None:
    args = ("--start", "2023-11", "--end", "2023-12", "--defect-rate", "0.05")
    for name, seed in (("a", "7"), ("b", "7"), ("c", "8")):
        run_fanzha(tmp_path, "generate", "--out", str(tmp_path / name), "--seed", seed, *args)
    a, b, c = (_hashes(tmp_path / n) for n in "abc")
    assert any(n.endswith(".xlsx") for n in a)
    assert a == b
    assert a != c


def test_scale_two_writes_a_clone_with_its_own_area_and_township_codes(tmp_path: Path) -> None:
    run_fanzha(tmp_path, "generate", "--out", str(tmp_path / "o"), "--scale", "2", "--start", "2023-11", "--end", "2023-11")
    clone = [pr.read_file(p) for p in (tmp_path / "o").iterdir() if p.name.startswith("990001_")]
    nanhe = [pr.read_file(p) for p in (tmp_path / "o").iterdir() if re.match(r"[^\d]", p.name) and p.suffix != ".json"]
    assert len(clone) == len(nanhe) >= 5
    clone_alerts = next(t.frame for t in clone if t.feed == "alerts")
    ids = {str(v).strip()[:6] for v in clone_alerts["id_number"] if v}
    assert ids == {"990001"}
    assert {str(v).strip()[:6] for v in clone_alerts["township"]} == {"990001"}
    assert all(re.fullmatch(r"990001\d{6}", str(v).strip()) for v in clone_alerts["village"] if v)
    nanhe_alerts = next(t.frame for t in nanhe if t.feed == "alerts")
    assert not ({str(v)[:6] for v in nanhe_alerts["id_number"] if v} & {"990001"})


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--scale", "0"), "--scale"),
        (("--start", "2023-05", "--end", "2023-04"), "before --start"),
        (("--start", "2021-12"), "outside the scenario"),
        (("--end", "2024-13"), "YYYY-MM"),
        (("--defect-rate", "-1"), "--defect-rate"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    result = run_fanzha(tmp_path, "generate", "--out", str(tmp_path / "o"), *args, check=False)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and lines[0].startswith("fanzha generate: error:")
    assert not (tmp_path / "o" / "manifest.json").exists()


def test_an_output_path_that_is_a_file_or_under_a_file_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    for out in (blocker, blocker / "sub"):
        result = run_fanzha(tmp_path, "generate", "--out", str(out), check=False)
        assert result.returncode == 2
        assert len(result.stderr.strip().splitlines()) == 1 and str(out) in result.stderr
        assert "Traceback" not in result.stderr
