"""Files of one ingest call land in batches (ingestion/batch.py): the results are those of landing the files one by
one in export order, whatever the batch size; a DuckDB failure on a batch falls back to the one-file path.

Every expected value below is worked out by hand from the rows written in the test.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from ingestion import batch
from ingestion.report import IngestReport
from tests.fixtures.ingest.files import (
    ACTIVITY_HEADER_ZH,
    ALERT_HEADER_ZH,
    alert_row,
    land,
    landing_rows,
    write_csv,
)


def outcomes(report: IngestReport) -> list[tuple[int, str, str, int, int, int, int]]:
    return [(f.file_id, f.file_name, f.status, f.rows_read, f.rows_landed, f.rows_quarantined, f.rows_duplicate)
            for f in report.files]


def overlapping_alert_files(folder: Path) -> list[Path]:
    nov = write_csv(folder / "alerts_2023-11.csv", ALERT_HEADER_ZH,
                    [alert_row(alert_id="A-1"), alert_row(alert_id="A-2", amount_at_risk="5000"),
                     alert_row(alert_id="A-9", amount_at_risk="-1")])
    fix = write_csv(folder / "alerts_2023-11_更正.csv", ALERT_HEADER_ZH,
                    [alert_row(alert_id="A-1"), alert_row(alert_id="A-2", amount_at_risk="5500"),
                     alert_row(alert_id="A-2", amount_at_risk="5500")])
    again = folder / "alerts_2023-12.csv"  # the same bytes as November under a later name
    shutil.copyfile(nov, again)
    return [again, fix, nov]


EXPECTED_OVERLAP = [
    (1, "alerts_2023-11.csv", "landed", 3, 2, 1, 0),  # negative amount
    (2, "alerts_2023-11_更正.csv", "landed", 3, 1, 0, 2),  # A-1 as in file 1; A-2 at 5500 twice
    (3, "alerts_2023-12.csv", "skipped_duplicate_file", 0, 0, 0, 0),
]
EXPECTED_HISTORY = [
    ("A-1", 132000.0, 1, 1),
    ("A-2", 5000.0, 1, 2),
    ("A-2", 5500.0, 2, 2),  # the correction is a new version; its repeat on row 3 is a duplicate
]


@pytest.mark.parametrize("max_files", [1, 2, 200])
def test_any_batch_size_lands_like_files_one_by_one_in_export_order(
    ingest_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, max_files: int
) -> None:
    monkeypatch.setattr(batch, "MAX_FILES", max_files)
    report = land(ingest_home, *overlapping_alert_files(tmp_path))
    assert outcomes(report) == EXPECTED_OVERLAP
    assert "file #1 (alerts_2023-11.csv)" in report.files[2].message
    assert landing_rows(ingest_home, "SELECT alert_id, amount_at_risk, _file_id, _row_number FROM alerts "
                              "ORDER BY alert_id, _file_id") == EXPECTED_HISTORY
    assert landing_rows(ingest_home, "SELECT _file_id, _row_number, reason_code FROM quarantine") == [
        (1, 3, "negative_amount"),
    ]
    assert landing_rows(ingest_home, "SELECT _file_id, status, rows_read, rows_landed, rows_quarantined, rows_duplicate "
                              "FROM ingest_log ORDER BY 1") == [o[:1] + o[2:] for o in EXPECTED_OVERLAP]


def test_a_duckdb_failure_on_a_batch_retries_its_files_as_batches_of_one(
    ingest_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DuckDB fails on any batch holding the poisoned file: the batch of four rolls back, its files are landed
    again one per batch; only the poisoned one is rejected, and the others land as they would have."""
    land_feed = batch._land_feed

    def failing(conn, feed, ctx, staged, parsed):  # noqa: ANN001, ANN202
        if any(o.file_name == "alerts_2023-10.csv" for o in staged):
            raise duckdb.ConversionException("Conversion Error: cannot cast '13812341234'")
        return land_feed(conn, feed, ctx, staged, parsed)

    monkeypatch.setattr(batch, "_land_feed", failing)
    files = overlapping_alert_files(tmp_path)
    poisoned = write_csv(tmp_path / "alerts_2023-10.csv", ALERT_HEADER_ZH, [alert_row(alert_id="P-1")])
    report = land(ingest_home, poisoned, *files)
    assert [o[2] for o in outcomes(report)] == ["rejected", "landed", "landed", "skipped_duplicate_file"]
    assert report.files[0].message == ("alerts_2023-10.csv: DuckDB could not land the file (ConversionException); "
                                       "nothing of it was written")
    assert outcomes(report)[1:] == [(o[0] + 1, *o[1:]) for o in EXPECTED_OVERLAP]
    assert landing_rows(ingest_home, "SELECT alert_id, amount_at_risk, _file_id, _row_number FROM alerts "
                              "ORDER BY alert_id, _file_id") == [(a, m, f + 1, r) for a, m, f, r in EXPECTED_HISTORY]
    assert landing_rows(ingest_home, "SELECT count(*) FROM quarantine") == [(1,)]
    assert landing_rows(ingest_home, "SELECT _file_id, status, rows_read FROM ingest_log ORDER BY 1") == [
        (1, "rejected", 0), (2, "landed", 3), (3, "landed", 3), (4, "skipped_duplicate_file", 0),
    ]


def test_unit_names_resolve_in_each_files_own_district_within_one_batch(ingest_home: Path, tmp_path: Path) -> None:
    rows = [["HD-1", "2023-11-02", "贾宋镇", "反诈宣传", "12"],
            ["HD-2", "2023-11-03", "区教育局", "反诈培训", "45"]]
    nanhe = write_csv(tmp_path / "工作台账_2023-11.csv", ACTIVITY_HEADER_ZH, rows)
    clone = write_csv(tmp_path / "990001_工作台账_2023-11.csv", ACTIVITY_HEADER_ZH,
                      [[f"C{r[0]}", *r[1:]] for r in rows])
    report = land(ingest_home, nanhe, clone)
    assert [(f.file_name, f.rows_landed) for f in report.files] == [
        ("990001_工作台账_2023-11.csv", 2), ("工作台账_2023-11.csv", 2),
    ]
    assert landing_rows(ingest_home, "SELECT activity_id, activity_date, unit_code FROM activities ORDER BY 1") == [
        ("CHD-1", date(2023, 11, 2), "990001101"),
        ("CHD-2", date(2023, 11, 3), "990001M02"),
        ("HD-1", date(2023, 11, 2), "130506101"),
        ("HD-2", date(2023, 11, 3), "130506M02"),
    ]
