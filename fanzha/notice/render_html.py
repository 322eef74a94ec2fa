"""The notice as one self-contained, printable HTML page (inline CSS, no scripts, no external files)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from fanzha.notice import text
from fanzha.notice.model import NoticeData, RankingSection
from fanzha.notice.table import INTERCEPTION_HEADERS, columns_for

if TYPE_CHECKING:
    from fanzha.notice.footer import Footer

CSS = """
@page { size: A4 landscape; margin: 15mm; }
body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", serif; color: #111; margin: 2em auto; max-width: 1200px; }
h1 { font-family: "SimHei", "Noto Sans CJK SC", sans-serif; text-align: center; font-size: 22pt; }
h2 { font-family: "SimHei", "Noto Sans CJK SC", sans-serif; font-size: 15pt; margin-top: 1.4em; }
p { text-indent: 2em; line-height: 1.8; font-size: 12pt; }
table { border-collapse: collapse; width: 100%; font-size: 10pt; page-break-inside: auto; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
th, td { border: 1px solid #444; padding: 3px 5px; text-align: center; }
th { background: #e8e8e8; }
td.unit, td.long { text-align: left; }
td.long { font-size: 9pt; }
tr.commended td { background: #eaf5ea; }
tr.criticised td { background: #fbeaea; }
tr.unassessed td { background: #f2f2f2; color: #555; }
p.footer { text-align: right; text-indent: 0; margin-top: 2em; }
@media print { body { margin: 0; max-width: none; } }
"""


def _cell_class(header: str, fmt: str) -> str:
    if header == "单位":
        return ' class="unit"'
    return ' class="long"' if fmt == "longtext" else ""


def _ranking_table(section: RankingSection) -> str:
    columns = columns_for(section.kind)
    head = "".join(f"<th>{escape(c.header)}</th>" for c in columns)
    body = []
    for row in section.rows:
        css = text.row_class(row)
        cells = "".join(f"<td{_cell_class(c.header, c.fmt)}>{escape(c.display(row))}</td>" for c in columns)
        body.append(f'<tr class="{css}">{cells}</tr>' if css else f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _interception_table(data: NoticeData) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in INTERCEPTION_HEADERS)
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(v)}</td>" for v in (
            text.date_label(i.stopped_on), i.township_name or "", i.village_name or "", i.name_masked or "",
            i.method or "", text.wan(i.amount))) + "</tr>"
        for i in data.interceptions
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def render_html(data: NoticeData, footer: Footer) -> str:
    parts = [
        "<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{escape(text.title(data))}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(text.title(data))}</h1>",
        "<h2>一、总体情况</h2>",
        f"<p>{escape(text.summary_paragraph(data))}</p>",
        f"<p>{escape(text.method_paragraph(data))}</p>",
    ]
    for n, section in enumerate(data.sections, start=2):
        parts.append(f"<h2>{'二三四五'[n - 2]}、{escape(section.label)}考核排名</h2>")
        parts.append(_ranking_table(section))
        for sentence in text.section_sentences(section, data.evidence_threshold):
            if sentence:
                parts.append(f"<p>{escape(sentence)}</p>")
    parts.append(f"<h2>{'二三四五六'[len(data.sections)]}、本月典型劝阻止付案例</h2>")
    parts.append(f"<p>{escape(text.interceptions_paragraph(data))}</p>")
    if data.interceptions:
        parts.append(_interception_table(data))
    parts.append(f'<p class="footer">{escape(footer.line(data))}</p>')
    parts.append("</body></html>")
    return "\n".join(parts)
