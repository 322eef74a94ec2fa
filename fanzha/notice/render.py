"""One renderer for the notice, used by `fanzha notice` and the dashboard:

    render(data, "xlsx" | "docx" | "html", issued_on=…, revision=…) -> bytes

Every format prints the same content in the same order: title, summary paragraph, method note,
the ranking table per unit kind, commendations and criticisms, the month's notable
interceptions, the scheme version and the issue line.
"""

from __future__ import annotations

from datetime import date

from fanzha.notice.footer import Footer
from fanzha.notice.model import NoticeData

FORMATS = ("xlsx", "docx", "html")
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
}


def render(data: NoticeData, fmt: str, *, issued_on: date | None = None, revision: int | None = None) -> bytes:
    """The notice as the bytes of an XLSX, DOCX or HTML file."""
    footer = Footer(issued_on=issued_on, revision=revision)
    if fmt == "html":
        from fanzha.notice.render_html import render_html

        return render_html(data, footer).encode("utf-8")
    if fmt == "xlsx":
        from fanzha.notice.render_xlsx import render_xlsx

        return render_xlsx(data, footer)
    if fmt == "docx":
        from fanzha.notice.render_docx import render_docx

        return render_docx(data, footer)
    raise ValueError(f"unknown notice format {fmt!r} (choose from {', '.join(FORMATS)})")
