"""The notice as a print-ready workbook (xlsxwriter): a 通报 sheet with the text, one ranking sheet
per unit kind (frozen header, 万元 and % number formats, column widths, landscape A4, fit to one
page wide, header row repeated on every printed page) and a sheet of the month's interceptions."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

import xlsxwriter

from fanzha.notice import text
from fanzha.notice.model import NoticeData
from fanzha.notice.table import INTERCEPTION_HEADERS, columns_for

if TYPE_CHECKING:
    from fanzha.notice.footer import Footer

FONT = "宋体"
NUMBER_FORMATS = {"int": "0", "score": "0.00", "pct": "0.0%", "wan": "#,##0.00", "text": "@", "longtext": "@"}
SHADES = {"": "", "commended": "#EAF5EA", "criticised": "#FBEAEA", "unassessed": "#F2F2F2"}


def _page_setup(sheet: Any, header_row: int | None = None) -> None:
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    if header_row is not None:
        sheet.repeat_rows(header_row)
    sheet.set_footer("&C第 &P 页，共 &N 页")


def render_xlsx(data: NoticeData, footer: Footer) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    base = {"font_name": FONT, "font_size": 11}
    fmt_title = book.add_format({**base, "bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
    fmt_heading = book.add_format({**base, "bold": True, "font_size": 12})
    fmt_para = book.add_format({**base, "text_wrap": True, "valign": "top"})
    fmt_header = book.add_format({**base, "bold": True, "bg_color": "#E8E8E8", "border": 1, "align": "center",
                                  "valign": "vcenter", "text_wrap": True})
    cell_formats = {
        (kind, flag): book.add_format({**base, "border": 1, "num_format": NUMBER_FORMATS[kind],
                                       "align": "left" if kind in ("text", "longtext") else "center",
                                       **({"text_wrap": True, "valign": "top"} if kind == "longtext" else {}),
                                       **({"bg_color": flag} if flag else {})})
        for kind in NUMBER_FORMATS for flag in SHADES.values()
    }

    cover = book.add_worksheet("通报")
    _page_setup(cover)
    cover.set_column(0, 0, 110)
    lines: list[tuple[str, object, float]] = [(text.title(data), fmt_title, 30),
                                              ("一、总体情况", fmt_heading, 20),
                                              (text.summary_paragraph(data), fmt_para, 60),
                                              (text.method_paragraph(data), fmt_para, 75)]
    for n, section in enumerate(data.sections):
        lines.append((f"{'二三四五'[n]}、{section.label}考核排名（见“{section.label}排名”工作表）", fmt_heading, 20))
        for sentence in text.section_sentences(section, data.evidence_threshold):
            lines.append((sentence, fmt_para, 48))
    if data.interceptions:
        lines.append(("本月典型劝阻止付案例（见“止付案例”工作表）", fmt_heading, 20))
        lines.append((text.interceptions_paragraph(data), fmt_para, 48))
    lines.append((footer.line(data), book.add_format({**base, "align": "right"}), 20))
    for row, (content, fmt, height) in enumerate(lines):
        cover.set_row(row, height)
        cover.write_string(row, 0, content, fmt)

    for section in data.sections:
        columns = columns_for(section.kind)
        last_col = len(columns) - 1
        sheet = book.add_worksheet(f"{section.label}排名")
        _page_setup(sheet, header_row=2)
        sheet.merge_range(0, 0, 0, last_col, f"{text.title(data)}——{section.label}", fmt_title)
        sheet.set_row(0, 28)
        sheet.merge_range(1, 0, 1, last_col, "金额单位：万元；比率为资金预警线索口径；排名区间为模拟第5–95百分位名次",
                          book.add_format({**base, "font_size": 9, "align": "right"}))
        for col, column in enumerate(columns):
            sheet.set_column(col, col, column.width)
            sheet.write_string(2, col, column.header, fmt_header)
        sheet.set_row(2, 32)
        sheet.freeze_panes(3, 2)
        for r, row in enumerate(section.rows, start=3):
            flag = SHADES[text.row_class(row)]
            for col, column in enumerate(columns):
                value = column.value(row)
                fmt = cell_formats[(column.fmt, flag)]
                if column.fmt in ("text", "longtext") or value is None:
                    sheet.write_string(r, col, column.display(row) if value is not None else "—",
                                       cell_formats[("text", flag)] if value is None else fmt)
                elif column.fmt == "wan":
                    sheet.write_number(r, col, float(value) / 10000, fmt)  # type: ignore[arg-type]
                else:
                    sheet.write_number(r, col, float(value), fmt)  # type: ignore[arg-type]
        sheet.autofilter(2, 0, 2 + len(section.rows), last_col)

    sheet = book.add_worksheet("止付案例")
    _page_setup(sheet, header_row=0)
    for col, (header, width) in enumerate(zip(INTERCEPTION_HEADERS, (16, 12, 14, 10, 12, 14), strict=True)):
        sheet.set_column(col, col, width)
        sheet.write_string(0, col, header, fmt_header)
    sheet.freeze_panes(1, 0)
    for r, item in enumerate(data.interceptions, start=1):
        for col, value in enumerate((text.date_label(item.stopped_on), item.township_name or "",
                                     item.village_name or "", item.name_masked or "", item.method or "")):
            sheet.write_string(r, col, value, cell_formats[("text", "")])
        sheet.write_number(r, 5, item.amount / 10000, cell_formats[("wan", "")])
    book.close()
    return buffer.getvalue()
