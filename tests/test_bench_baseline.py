"""The bare-DuckDB baseline (benchmarks/baseline_kpi.sql) on a hand-made set of exports with known KPIs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from tools.bench.baseline import district_of, export_order_key, prepare, run_sql

EXPORTS = {
    "预警线索_2023-01.csv": (
        "线索编号,下发时间,预警类型,乡镇,预警金额\n"
        "A1,2023-01-05 10:00:00,资金预警,河郭乡,10000\n"
        "A2,2023/1/20 9:30,电话预警,河郭乡,\n"
        "A3,2023年2月1日 08时00分,资金预警,河郭乡,1.5万\n"
    ),
    # corrected re-export: A2 becomes a fund warning of 2,000 (a later export wins)
    "预警线索_2023-01_更正.csv": "线索编号,下发时间,预警类型,乡镇,预警金额\nA2,2023-01-20 09:30:00,资金预警,河郭乡,\"2,000\"\n",
    "990001_alerts_2023-01.csv": "alert_id,issued_at,alert_type,township,amount_at_risk\nB1,2023-01-10 08:00,资金预警,990001101,500\n",
    "劝阻记录_2023-01.csv": (
        "记录编号,线索编号,劝阻时间,劝阻类别,劝阻方式,是否见面,劝阻结果\n"
        "C1,A1,2023-01-05 10:30:00,首次劝阻,上门见面,是,劝阻成功\n"
        "C2,A2,2023-01-20 12:00:00,首次劝阻,电话,否,拒不配合\n"
    ),
    "案件_2023-01.csv": (
        "案件编号,报案时间,发案时间,乡镇,损失金额\n"
        "K1,2023-01-07 10:00,2023-01-06 10:00,河郭乡,3000\n"
        "K2,2023-02-02,2023-02-01,河郭乡,\"12,000\"\n"
    ),
}


@pytest.fixture(scope="module")
def kpis(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, date], dict]:
    exports = tmp_path_factory.mktemp("exports")
    for name, text in EXPORTS.items():
        (exports / name).write_text(text, encoding="utf-8")
    root = tmp_path_factory.mktemp("baseline")
    assert prepare(exports, root) == 9  # data rows written (7 alerts/contacts + 2 cases)
    database = root / "kpi.duckdb"
    _, rows = run_sql(root, str(database))
    with duckdb.connect(str(database), read_only=True) as conn:
        frame = conn.execute("select * from kpi_district_monthly_baseline").df()
    assert rows == len(frame) == 3
    return {(r["district_code"], r["month"].date()): r for r in frame.to_dict("records")}


def test_export_order_puts_revisions_after_their_month_and_months_in_order() -> None:
    names = ["预警线索_2023-02.csv", "预警线索_2023-01_更正.csv", "预警线索_2023-01.csv"]
    assert sorted(names, key=export_order_key) == ["预警线索_2023-01.csv", "预警线索_2023-01_更正.csv",
                                                   "预警线索_2023-02.csv"]


def test_district_from_the_file_name() -> None:
    assert district_of("990001_alerts_2023-01.csv") == "990001"
    assert district_of("预警线索_2023-01.csv") == "130506"


def test_january_leads_use_the_corrected_export(kpis) -> None:
    jan = kpis[("130506", date(2023, 1, 1))]
    assert (jan["leads"], jan["fund_leads"]) == (2, 2)  # A2 re-exported as a fund warning
    assert jan["amount_at_risk"] == 12000.0  # 10,000 + 2,000
    assert jan["leads_contacted"] == 2
    assert jan["median_minutes_to_first_contact"] == 90.0  # median(30, 150)
    assert jan["first_contact_within_60min_rate"] == 0.5
    assert jan["face_to_face_rate"] == 0.5
    assert jan["dissuaded_rate"] == 0.5
    assert (jan["cases"], jan["loss_amount"]) == (1, 3000.0)


def test_february_parses_chinese_dates_and_wan(kpis) -> None:
    feb = kpis[("130506", date(2023, 2, 1))]
    assert (feb["leads"], feb["fund_leads"], feb["amount_at_risk"]) == (1, 1, 15000.0)
    assert feb["leads_contacted"] == 0
    assert feb["face_to_face_rate"] is None or feb["face_to_face_rate"] != feb["face_to_face_rate"]  # null
    assert (feb["cases"], feb["loss_amount"]) == (1, 12000.0)


def test_a_clone_district_is_kept_apart(kpis) -> None:
    clone = kpis[("990001", date(2023, 1, 1))]
    assert (clone["leads"], clone["fund_leads"], clone["amount_at_risk"], clone["cases"]) == (1, 1, 500.0, 0)


def test_run_sql_reads_only_the_prepared_root(tmp_path: Path) -> None:
    with pytest.raises(duckdb.Error):
        run_sql(tmp_path)  # no prepared feeds: read_csv finds no files


def test_agreement_counts_equal_district_months_per_column(tmp_path: Path) -> None:
    from tools.bench.baseline import AGREEMENT_COLUMNS, agreement

    def table(path: Path, name: str, leads: list[int]) -> None:
        with duckdb.connect(str(path)) as conn:
            if name == "kpi_district_monthly":  # the published warehouse keeps its marts in schema marts
                conn.execute("create schema marts; use marts")
            measures = ", ".join(f"0.0 as {c}" for c in AGREEMENT_COLUMNS if c != "leads")
            conn.execute(f"create table {name} as select '130506' as district_code, "
                         f"date '2023-01-01' + to_months(cast(i as integer)) as month, leads[i + 1] as leads, {measures} "
                         f"from range(3) t(i), (select {leads} as leads)")

    table(tmp_path / "wh.duckdb", "kpi_district_monthly", [5, 7, 9])
    table(tmp_path / "bl.duckdb", "kpi_district_monthly_baseline", [5, 8, 9])
    result = agreement(tmp_path / "wh.duckdb", tmp_path / "bl.duckdb")
    assert result["leads"] == {"district_months": 3, "equal": 2, "fanzha_total": 21, "baseline_total": 22}
    assert result["cases"]["equal"] == 3
