"""The notice as a Word document (python-docx): title and headings in the built-in heading styles,
body in 宋体, landscape A4, ranking tables in the 'Table Grid' style with a repeated header row."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from fanzha.notice import text
from fanzha.notice.model import NoticeData, RankingSection
from fanzha.notice.table import INTERCEPTION_HEADERS, columns_for

if TYPE_CHECKING:
    from fanzha.notice.footer import Footer

BODY_FONT, HEADING_FONT = "宋体", "黑体"
SHADES = {"commended": "EAF5EA", "criticised": "FBEAEA", "unassessed": "F2F2F2"}


def _set_font(style: Any, name: str, size: float | None = None) -> None:
    style.font.name = name
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size is not None:
        style.font.size = Pt(size)


def _shade(cell: Any, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_header(row: Any) -> None:
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _table(doc: Any, headers: tuple[str, ...], rows: list[tuple[list[str], str]], size: float) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _repeat_header(table.rows[0])
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
        _shade(cell, "E8E8E8")
        run = cell.paragraphs[0].runs[0]
        run.bold = True
        run.font.size = Pt(size)
    for values, shade in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
            cell.paragraphs[0].runs[0].font.size = Pt(size)
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            if shade:
                _shade(cell, SHADES[shade])


def _ranking_rows(section: RankingSection) -> list[tuple[list[str], str]]:
    columns = columns_for(section.kind)
    return [([c.display(r) for c in columns], text.row_class(r)) for r in section.rows]


def _paragraph(doc: Any, content: str) -> None:
    p = doc.add_paragraph(content)
    p.paragraph_format.first_line_indent = Pt(24)
    p.paragraph_format.line_spacing = 1.5


def render_docx(data: NoticeData, footer: Footer) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Mm(15))
    _set_font(doc.styles["Normal"], BODY_FONT, 12)
    for name, size in (("Title", 20), ("Heading 1", 15)):
        _set_font(doc.styles[name], HEADING_FONT, size)
        doc.styles[name].font.color.rgb = RGBColor(0, 0, 0)

    title = doc.add_heading(text.title(data), level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_heading("一、总体情况", level=1)
    _paragraph(doc, text.summary_paragraph(data))
    _paragraph(doc, text.method_paragraph(data))
    for n, part in enumerate(data.sections):
        doc.add_heading(f"{'二三四五'[n]}、{part.label}考核排名", level=1)
        _table(doc, tuple(c.header for c in columns_for(part.kind)), _ranking_rows(part), 7)
        for sentence in text.section_sentences(part, data.evidence_threshold):
            _paragraph(doc, sentence)
    doc.add_heading(f"{'二三四五六'[len(data.sections)]}、本月典型劝阻止付案例", level=1)
    _paragraph(doc, text.interceptions_paragraph(data))
    if data.interceptions:
        _table(doc, INTERCEPTION_HEADERS, [
            ([text.date_label(i.stopped_on), i.township_name or "", i.village_name or "", i.name_masked or "",
              i.method or "", text.wan(i.amount)], "") for i in data.interceptions], 10)
    closing = doc.add_paragraph(footer.line(data))
    closing.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
