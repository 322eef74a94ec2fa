"""Recognise a feed by its header row. Pure functions over lists of cell texts.

Header cells are normalised before matching: full-width characters to half-width, every kind of whitespace
(spaces, full-width spaces, line breaks) removed, ASCII lower-cased, and for English keys `_`/`-` ignored,
so `线索\\n编号`, `线索编号 `, `Alert ID` and `alert_id` all match.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingestion.feeds import FEEDS, Feed

# How many rows above the header row are searched for it (title rows, blank rows).
MAX_HEADER_SEARCH_ROWS = 30

_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20  # ideographic space
_FULLWIDTH[0x00A0] = 0x20  # no-break space


def to_halfwidth(text: str) -> str:
    """Full-width ASCII forms (Ａ, １, （, ：, full-width space) to their half-width forms."""
    return text.translate(_FULLWIDTH)


def normalise_header(cell: object) -> str:
    text = to_halfwidth("" if cell is None else str(cell))
    text = re.sub(r"\s+", "", text).lower()
    if text.isascii():
        text = text.replace("_", "").replace("-", "")
    return text


def _aliases(feed: Feed) -> dict[str, str]:
    """normalised header -> column key, for every spelling a column of the feed may carry."""
    out: dict[str, str] = {}
    for col in feed.columns:
        for spelling in (col.zh, col.key, *col.other_headers):
            out[normalise_header(spelling)] = col.key
    return out


_ALIASES: dict[str, dict[str, str]] = {feed.name: _aliases(feed) for feed in FEEDS}
_ALL_KNOWN: frozenset[str] = frozenset(h for aliases in _ALIASES.values() for h in aliases)


@dataclass(frozen=True)
class HeaderMatch:
    feed: Feed
    row_index: int  # 0-based index of the header row among the rows searched
    column_keys: tuple[str | None, ...]  # per position: the column key, None for an ignored column
    header_language: str  # zh / en / mixed
    ignored_headers: tuple[str, ...]


def match_row(cells: Sequence[object]) -> tuple[Feed, tuple[str | None, ...], str, tuple[str, ...]] | None:
    """The feed whose required columns all appear in this row and that explains most of its cells.

    None when no feed fits, or when two feeds fit equally well (ambiguous).
    """
    normalised = [normalise_header(c) for c in cells]
    candidates = []
    for feed in FEEDS:
        aliases = _ALIASES[feed.name]
        keys = [aliases.get(h) for h in normalised]
        present = {k for k in keys if k}
        if any(col.required and col.key not in present for col in feed.columns):
            continue
        if len(present) != sum(1 for k in keys if k):  # a column given twice: cannot tell which to use
            continue
        candidates.append((len(present), feed, keys))
    if not candidates:
        return None
    candidates.sort(key=lambda c: -c[0])
    if len(candidates) > 1 and candidates[0][0] == candidates[1][0]:
        return None
    _, feed, keys = candidates[0]
    used = [str(c) for c, k in zip(cells, keys, strict=True) if k]
    ascii_cells = sum(1 for c in used if normalise_header(c).isascii())
    language = "en" if ascii_cells == len(used) else "zh" if ascii_cells == 0 else "mixed"
    ignored = tuple(str(c).strip() for c, k, n in zip(cells, keys, normalised, strict=True) if not k and n)
    return feed, tuple(keys), language, ignored


def find_header(rows: Sequence[Sequence[object]]) -> HeaderMatch | None:
    """Search the first rows for the header row (title rows and blank rows above it are skipped)."""
    for index, row in enumerate(rows[:MAX_HEADER_SEARCH_ROWS]):
        found = match_row(row)
        if found:
            feed, keys, language, ignored = found
            return HeaderMatch(feed, index, keys, language, ignored)
    return None


def _mask_cell(text: str, headerlike: bool) -> str:
    """A cell as it may appear in a message: digit runs hidden; in a row that looks like data rather than
    headers, short Chinese strings (possibly a name) cut to their first character + 某."""
    text = re.sub(r"\d{4,}", lambda m: "*" * len(m.group()), text)
    if not headerlike and re.fullmatch(r"[\u4e00-\u9fff]{2,4}", text):
        text = text[0] + "某"
    return text


def describe_headers(rows: Sequence[Sequence[object]]) -> list[str]:
    """The headers found in a file no feed matched, for the rejection message, without personal data.

    Picks the first row with at least two non-empty cells among the rows searched (else the first non-empty).
    A row with a known header or without any digit is taken for a header row and shown as is (digit runs
    hidden); otherwise it is data (a file without header row) and possible names are masked too.
    """
    candidates = [r for r in rows[:MAX_HEADER_SEARCH_ROWS] if any(str(c).strip() for c in r if c is not None)]
    if not candidates:
        return []
    row = next((r for r in candidates if sum(1 for c in r if c is not None and str(c).strip()) >= 2), candidates[0])
    cells = [re.sub(r"\s+", " ", str(c)).strip() for c in row if c is not None and str(c).strip()]
    headerlike = any(normalise_header(c) in _ALL_KNOWN for c in cells) or not any(re.search(r"\d", c) for c in cells)
    return [_mask_cell(c, headerlike) for c in cells]
