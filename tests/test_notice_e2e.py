"""On the Nanhe demo: `fanzha notice --month 2023-11` writes all three formats; the article's
interception (贾宋镇 井庄村 赵某, 13.20 万元) is in them; the top and bottom townships differ visibly."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from tests.fixtures.cli import run_fanzha

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def issued(demo_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Issue November 2023 from the demo's published warehouse into a home of our own
    (demo_home is shared and read-only for tests)."""
    home = tmp_path_factory.mktemp("notice_e2e")
    result = run_fanzha(home, "notice", "--month", "2023-11", "--warehouse", str(demo_home / "warehouse.duckdb"))
    assert "issued revision 1" in result.stdout
    return home / "notices" / "2023-11" / "rev-1"


def test_all_three_formats_and_the_issued_record(issued: Path) -> None:
    assert sorted(p.name for p in issued.iterdir()) == ["issued.json", "notice.docx", "notice.html", "notice.xlsx"]
    record = json.loads((issued / "issued.json").read_text("utf-8"))
    assert record["scheme_version"] == "2024.1" and record["kinds"] == ["township", "member_unit"]
    townships = [e for e in record["ranking"] if e["kind"] == "township"]
    ranked = [e["rank"] for e in townships if e["is_assessed"]]
    assert len(townships) == 8 and ranked == sorted(ranked) and len(ranked) >= 5
    assert all(e["rank"] is None and e["evidence_share"] < 0.5 for e in townships if not e["is_assessed"])
    members = [e for e in record["ranking"] if e["kind"] == "member_unit"]
    assert len(members) == 13 and all(e["indicators"] for e in members)
    honoured = [e for e in record["ranking"] if e["is_commended"] or e["is_criticised"]]
    assert honoured and all(e["is_assessed"] and e["evidence_share"] >= 0.5 for e in honoured)


def test_the_article_interception_is_in_every_format(issued: Path) -> None:
    page = (issued / "notice.html").read_text("utf-8")
    assert "南和区防范电信网络诈骗工作月度考核排名通报（2023年11月）" in page
    assert "<td>贾宋镇</td><td>井庄村</td><td>赵某</td>" in page
    assert re.search(r"<td>井庄村</td><td>赵某</td><td>[^<]+</td><td>13.20</td>", page)
    doc = Document(issued / "notice.docx")
    rows = [[c.text for c in row.cells] for table in doc.tables for row in table.rows]
    assert any(r[1:4] == ["贾宋镇", "井庄村", "赵某"] and r[5] == "13.20" for r in rows)
    sheet = openpyxl.load_workbook(issued / "notice.xlsx")["止付案例"]
    found = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[2] == "井庄村"]
    assert found and found[0][3] == "赵某" and found[0][5] == pytest.approx(13.2)


def test_top_and_bottom_townships_differ_visibly(issued: Path) -> None:
    sheet = openpyxl.load_workbook(issued / "notice.xlsx")["乡镇排名"]
    header = [c.value for c in sheet[3]]
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=4, values_only=True)
            if r[0] and r[0] != "—"]  # the ranked townships
    top, bottom = rows[0], rows[-1]
    ranks = [int(r["名次"].split("（")[0]) for r in rows]
    assert ranks[0] == 1 and ranks == sorted(ranks)
    assert top["总分"] - bottom["总分"] >= 15
    assert top["通报"] == "表扬" and bottom["通报"] == "批评"
    process = ["见面劝阻率", "四方参与率", "60分钟内首次劝阻率", "三清完成率"]
    assert sum(top[k] != bottom[k] for k in process) >= 2


def test_reissuing_the_same_data_is_recognised(issued: Path, demo_home: Path) -> None:
    home = issued.parent.parent.parent
    again = run_fanzha(home, "notice", "--month", "2023-11", "--warehouse", str(demo_home / "warehouse.duckdb"))
    assert "no new revision issued" in again.stdout
    assert sorted(p.name for p in issued.parent.iterdir()) == ["rev-1"]
