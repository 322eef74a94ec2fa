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

TOWNSHIPS_IN_RANK_ORDER = ["和阳镇", "贾宋镇", "郝桥镇", "三思镇", "东三召乡", "河郭镇"]  # 河郭镇: not ranked
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
    assert [r.rank for r in townships.rows] == [1, 2, 2, 4, 5, None]
    assert [r.is_tied for r in townships.rows] == [False, True, True, False, False, False]
    assert [r.unit_name for r in townships.commended] == ["和阳镇", "贾宋镇", "郝桥镇"]
    assert [r.unit_name for r in townships.criticised] == ["三思镇", "东三召乡"]
    assert [r.unit_name for r in townships.unassessed] == ["河郭镇"] and townships.honour_places == 2
    assert data.evidence_threshold == 0.5
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
    assert [sheet.cell(row=r, column=2).value for r in range(4, 10)] == TOWNSHIPS_IN_RANK_ORDER
    assert [sheet.cell(row=r, column=1).value for r in range(4, 10)] == ["1", "2（并列）", "2（并列）", "4", "5", "—"]
    assert sheet.cell(row=9, column=headers.index("通报") + 1).value == "本月无可考核事项"
    assert sheet.cell(row=9, column=headers.index("总分") + 1).value == "—"  # a partial score ranks nobody
    share = sheet.cell(row=9, column=headers.index("本单位数据占比") + 1)
    assert share.value == pytest.approx(0.4) and share.number_format == "0.0%"
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
    assert "对排名靠后的乡镇三思镇（第4名，61.25分）、东三召乡（第5名，35.40分）予以通报批评" in page
    assert "草稿（未发布）" in page and "评分方案版本 2023.1" in page


def test_commended_unit_with_overlapping_interval_is_qualified(data) -> None:
    page = render(data, "html").decode("utf-8")
    assert "贾宋镇（2–3）、郝桥镇（2–4）的排名区间延伸至前2名以外" in page


def test_tie_at_the_boundary_is_reported_not_split(data) -> None:
    page = render(data, "html").decode("utf-8")
    assert ("因贾宋镇、郝桥镇得分相同、并列第2名，正处于表扬名次（2个）的边界，并列单位不以排列先后区分，"
            "本次表扬3个单位。") in page
    assert "<td>2（并列）</td><td class=\"unit\">贾宋镇</td>" in page


def test_units_without_enough_evidence_are_listed_neither_commended_nor_criticised(data) -> None:
    page = render(data, "html").decode("utf-8")
    assert ("河郭镇（40%）本月由本单位数据支撑的考核权重不足50%，列为“本月无可考核事项”，不参与排名，"
            "不予表扬或批评。") in page
    assert "农业银行南和支行（12%）本月由本单位数据支撑的考核权重不足50%" in page
    assert '<tr class="unassessed"><td>—</td><td class="unit">河郭镇</td>' in page


def test_member_unit_rows_show_their_own_duties(data) -> None:
    members = data.sections[1]
    education = members.rows[0]
    assert [i.label for i in education.assessed] == [
        "每万名职工学生被骗人数", "每万名职工学生反诈宣传覆盖人次", "反诈培训和警示教育次数"]
    book = openpyxl.load_workbook(io.BytesIO(render(data, "xlsx")))
    sheet = book["成员单位排名"]
    headers = [c.value for c in sheet[3]]
    assert headers[:3] == ["名次", "单位", "系统"] and "见面劝阻率" not in headers
    row = {h: sheet.cell(row=4, column=n + 1).value for n, h in enumerate(headers)}
    assert row["单位"] == "区教育局" and row["系统"] == "教育" and row["通报"] == "表扬"
    assert row["以本单位数据考核的指标（数值，折算得分）"] == (
        "每万名职工学生被骗人数 0.00（48.28分）；每万名职工学生反诈宣传覆盖人次 150.00（15.52分）；"
        "反诈培训和警示教育次数 2（13.20分）")
    assert row["无本单位数据、不计分的指标"] == "本单位职工预警四方参与率"
    bank = {h: sheet.cell(row=6, column=n + 1).value for n, h in enumerate(headers)}
    assert (bank["单位"], bank["名次"], bank["总分"], bank["通报"]) == ("农业银行南和支行", "—", "—", "本月无可考核事项")
    assert bank["以本单位数据考核的指标（数值，折算得分）"] == "反诈培训和警示教育次数 2"  # no points: not ranked
    township = book["乡镇排名"]
    theaders = [c.value for c in township[3]]
    hege = {h: township.cell(row=9, column=n + 1).value for n, h in enumerate(theaders)}
    assert (hege["以本单位数据考核的指标"], hege["无本单位数据、不计分的指标"]) == ("每万人发案数", "见面劝阻率")
    heyang = {h: township.cell(row=4, column=n + 1).value for n, h in enumerate(theaders)}
    assert (heyang["以本单位数据考核的指标"], heyang["无本单位数据、不计分的指标"]) == ("全部1项", "无")


def test_single_kind_notice_has_one_table(reader) -> None:
    data = load_notice_data(reader, date(2023, 11, 1), "member_unit")
    assert [s.kind for s in data.sections] == ["member_unit"]
    assert [r.unit_name for r in data.sections[0].rows] == ["区教育局", "区卫健局", "农业银行南和支行"]


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
