"""The notice in all three formats, from a hand-made warehouse: opens with openpyxl and python-docx,
rows in rank order, 万元 with two decimals, rates in %, the interception with masked name and village."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import openpyxl
import pytest
from docx import Document

from fanzha.core.read_api import Reader
from fanzha.notice.data import NoDataForMonth, load_notice_data
from fanzha.notice.render import render
from tests.fixtures.notice import build_notice_warehouse

TOWNSHIPS_IN_RANK_ORDER = ["和阳镇", "贾宋镇", "郝桥镇", "三思镇", "东三召乡"]
TITLE = "南和区防范电信网络诈骗工作月度考核排名通报（2023年11月）"


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory):
    path = build_notice_warehouse(tmp_path_factory.mktemp("notice") / "warehouse.duckdb")
    with Reader(path=path) as r:
        yield r


@pytest.fixture(scope="module")
def data(reader):
    return load_notice_data(reader, date(2023, 11, 1), "all")


def test_loaded_data_is_in_rank_order_with_ties(data) -> None:
    townships = data.sections[0]
    assert [r.unit_name for r in townships.rows] == TOWNSHIPS_IN_RANK_ORDER
    assert [r.rank for r in townships.rows] == [1, 2, 2, 4, 5]
    assert [r.unit_name for r in townships.commended] == ["和阳镇", "贾宋镇", "郝桥镇"]
    assert [r.unit_name for r in townships.criticised] == ["东三召乡"]
    assert data.district_name == "南和区" and data.scheme_version == "2023.1"
    assert [(i.village_name, i.name_masked, i.amount) for i in data.interceptions] == [
        ("和阳社区", "李某", 150000.0), ("井庄村", "赵某", 132000.0)]  # October's is not November's


def test_xlsx_opens_with_frozen_header_and_number_formats(data) -> None:
    book = openpyxl.load_workbook(io.BytesIO(render(data, "xlsx")))
    assert book.sheetnames == ["通报", "乡镇排名", "成员单位排名", "止付案例"]
    assert book["通报"]["A1"].value == TITLE
    sheet = book["乡镇排名"]
    assert sheet.freeze_panes == "C4"
    headers = [c.value for c in sheet[3]]
    assert headers[:3] == ["名次", "单位", "总分"]
    assert [sheet.cell(row=r, column=2).value for r in range(4, 9)] == TOWNSHIPS_IN_RANK_ORDER
    loss_col = headers.index("损失(万元)") + 1
    cell = sheet.cell(row=8, column=loss_col)  # 东三召乡: 240,000 元
    assert cell.value == pytest.approx(24.0) and cell.number_format == "#,##0.00"
    rate = sheet.cell(row=4, column=headers.index("见面劝阻率") + 1)
    assert rate.value == pytest.approx(1.0) and rate.number_format == "0.0%"
    assert sheet.page_setup.orientation == "landscape"
    cases = book["止付案例"]
    assert [c.value for c in cases[3]][1:5] == ["贾宋镇", "井庄村", "赵某", "紧急止付"]
    assert cases.cell(row=3, column=6).value == pytest.approx(13.2)


def test_docx_has_heading_styles_and_table_in_rank_order(data) -> None:
    doc = Document(io.BytesIO(render(data, "docx", issued_on=date(2023, 12, 5), revision=1)))
    assert doc.paragraphs[0].text == TITLE and doc.paragraphs[0].style.name == "Title"
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["一、总体情况", "二、乡镇考核排名", "三、成员单位考核排名", "四、本月典型劝阻止付案例"]
    township_table = doc.tables[0]
    assert township_table.style.name == "Table Grid"
    assert [row.cells[1].text for row in township_table.rows[1:]] == TOWNSHIPS_IN_RANK_ORDER
    interception_rows = [[c.text for c in row.cells] for row in doc.tables[2].rows[1:]]
    assert ["2023年11月14日", "贾宋镇", "井庄村", "赵某", "紧急止付", "13.20"] in interception_rows
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "2023年12月5日" in body and "首次发布" in body


def test_html_is_self_contained_and_says_it_in_chinese(data) -> None:
    page = render(data, "html").decode("utf-8")
    assert f"<h1>{TITLE}</h1>" in page
    assert "<script" not in page and "http" not in page and "<link" not in page
    assert "资金预警线索41条（同比下降86.9%）" in page
    assert "造成损失32.30万元（同比下降77.8%）" in page
    assert "见面劝阻率100.0%" in page
    positions = [page.index(f'<td class="unit">{name}</td>') for name in TOWNSHIPS_IN_RANK_ORDER]
    assert positions == sorted(positions)
    assert ("本月全区止付拦截资金28.20万元，金额较大的有：2023年11月3日成功劝阻和阳镇和阳社区李某，止付资金15.00万元；"
            "2023年11月14日成功劝阻贾宋镇井庄村赵某，止付资金13.20万元。") in page
    assert "<td>贾宋镇</td><td>井庄村</td><td>赵某</td><td>紧急止付</td><td>13.20</td>" in page
    assert "对排名靠后的乡镇东三召乡（第5名，35.40分）予以通报批评" in page
    assert "草稿（未发布）" in page and "评分方案版本 2023.1" in page


def test_commended_unit_with_overlapping_interval_is_qualified(data) -> None:
    page = render(data, "html").decode("utf-8")
    assert "郝桥镇（2–4）的排名区间延伸至前三名以外" in page


def test_single_kind_notice_has_one_table(reader) -> None:
    data = load_notice_data(reader, date(2023, 11, 1), "member_unit")
    assert [s.kind for s in data.sections] == ["member_unit"]
    assert [r.unit_name for r in data.sections[0].rows] == ["区教育局", "区卫健局"]


def test_month_without_data_says_so(reader) -> None:
    with pytest.raises(NoDataForMonth, match="2024-09: no assessment data"):
        load_notice_data(reader, date(2024, 9, 1), "all")


def test_unknown_format_is_refused(data) -> None:
    with pytest.raises(ValueError, match="unknown notice format"):
        render(data, "pdf")



def test_month_without_interceptions_says_so_in_every_format(data) -> None:
    quiet = replace(data, interceptions=())
    assert "本月无止付拦截记录。" in render(quiet, "html").decode("utf-8")
    doc = Document(io.BytesIO(render(quiet, "docx")))
    assert "本月无止付拦截记录。" in [p.text for p in doc.paragraphs]
    assert len(doc.tables) == 2  # the two ranking tables, no empty interception table
