"""The monthly notice through the scoped read layer (the dashboard's preview, downloads and issued revisions).

The notice's ranking table, the district summary and the district's name are public: the ranked notice is
published to every unit. Its list of notable interceptions (village, masked name, amount) is lead detail:
a township or member unit sees its own, a station those of the townships it covers. `NoticeSource` answers
`fanzha.notice.data.load_notice_data`'s queries: the public ones as the registered statements they are, the
interceptions from the scoped dataset `notable_interceptions`, anything else is refused (default deny).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TYPE_CHECKING, Any

from fanzha.access.scope import AccessDenied, Scope, ScopedReader, UnitDirectory, dataset, statement_text
from fanzha.notice import data as notice_data
from fanzha.notice.archive import notice_from_record
from fanzha.notice.model import NoticeData

if TYPE_CHECKING:
    import pandas as pd

STATEMENTS = ("notice_ranking", "notice_indicators", "notice_summary", "notice_district")
INTERCEPTION_COLUMNS = ("stopped_on", "township_name", "village_name", "name_masked", "method", "amount")


class NoticeSource:
    """What `load_notice_data` reads from, limited to one grant's scope."""

    def __init__(self, scoped: ScopedReader) -> None:
        self.scoped = scoped

    def query(self, sql: str, params: Any = None) -> pd.DataFrame:
        values = list(params or [])
        for name in STATEMENTS:
            if sql == statement_text(dataset(name)):
                return self.scoped.statement(name, values)
        if sql == notice_data.INTERCEPTIONS_SQL:
            district, month, limit = values
            return self.scoped.read(
                "notable_interceptions", columns=INTERCEPTION_COLUMNS,
                where={"district_code": district, "month": month},
                order_by=("amount desc", "stopped_at", "interception_id"), limit=int(limit))
        raise AccessDenied("通报模块的这项查询未登记访问策略，已拒绝")


def load_scoped_notice(scoped: ScopedReader, month: date, kind: str, district: str) -> NoticeData:
    """The notice of `month` as `scoped.grant` may see it (raises NoDataForMonth like load_notice_data)."""
    return notice_data.load_notice_data(NoticeSource(scoped), month, kind, district)


def _township_names(scope: Scope, directory: UnitDirectory, district: str) -> frozenset[str]:
    return frozenset(directory.townships[c] for c in scope.townships
                     if c.startswith(district) and c in directory.townships)


def scoped_issued(record: dict[str, Any], scope: Scope, directory: UnitDirectory) -> NoticeData | None:
    """An issued revision (its record, fanzha.notice.archive) as notice data, its interceptions limited to `scope`.

    The record names each interception's township, not its code: a scoped reader keeps those of its own
    townships (in the record's district); a member unit's scope keeps none, as an interception cannot be
    attributed to it from the record. None when the record lacks what a notice needs (an older format).
    """
    data = notice_from_record(record)
    if data is None or scope.everything:
        return data
    own = _township_names(scope, directory, data.district_code)
    return dataclasses.replace(data, interceptions=tuple(i for i in data.interceptions if i.township_name in own))
