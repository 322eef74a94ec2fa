"""The issue line printed under every format of the notice (issuer, date, scheme version, revision)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fanzha.notice import text
from fanzha.notice.model import NoticeData


@dataclass(frozen=True)
class Footer:
    """The issue line under the notice."""

    issued_on: date | None = None
    revision: int | None = None

    def line(self, data: NoticeData) -> str:
        parts = [text.ISSUER]
        if self.issued_on is not None:
            parts.append(text.date_label(self.issued_on))
        parts.append(f"评分方案版本 {data.scheme_version}")
        if self.revision is not None:
            parts.append(f"第{self.revision}版" if self.revision > 1 else "首次发布")
        else:
            parts.append("草稿（未发布）")
        return "　".join(parts)
