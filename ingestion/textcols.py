"""Text that lands as typed: scanned for personal data, whitespace inside cells normalised.

Every column whose text lands (kinds TEXT, VILLAGE, UNIT, OCCUPATION, FRAUD_TYPE; personal columns land only as
keyed hashes or masks) is scanned for resident IDs, phone and bank card numbers (sensitive.py). A match is
masked in the landed text (`井庄村[身份证号已脱敏]`) and the row is flagged `pii_in_text:<landing column>:<kind>`
(kind id / phone / card), e.g. `pii_in_text:village_raw:id`.

Whitespace inside cells: references are matched on `fz_token` (all whitespace removed: `贾宋\n镇`, `井庄　村`
resolve); free-text columns (police station, handling unit, employer, bank) land with line breaks, tabs and
full-width spaces collapsed (`fz_squash`: `三召\n派出所` -> `三召派出所`); the `*_raw` columns keep the cell as
typed (trimmed), so the raw spelling stays in history beside the resolved code.
"""

from __future__ import annotations

from ingestion import feeds as k
from ingestion.feeds import Feed

_RAW = {k.VILLAGE: "village_raw", k.UNIT: "unit_raw"}


def landing_column(col: k.Column) -> str:
    """The landing column that holds a text column's value."""
    if col.kind in (k.OCCUPATION, k.FRAUD_TYPE):
        return f"{col.key}_raw"
    return _RAW.get(col.kind, col.key)


def text_columns(feed: Feed) -> list[k.Column]:
    return [c for c in feed.columns if c.kind in (k.TEXT, k.VILLAGE, k.UNIT, k.OCCUPATION, k.FRAUD_TYPE)]


def landed_text(col: k.Column) -> str:
    """The expression a text column lands as (valid in `scan_sql`'s output): its masked text."""
    return f"{col.key}__t"


def scan_sql(feed: Feed, source: str) -> str:
    """`source` (a query or CTE name) plus, per text column `c`, `c__pii` (kinds found, [] when none) and
    `c__t` (the text that lands). A row is scanned only when its text columns pass the scanner's prefilter."""
    columns = text_columns(feed)
    if not columns:
        return f"SELECT * FROM {source}"

    squashed = [c for c in columns if c.kind == k.TEXT]

    def text(col: k.Column) -> str:
        return f"{col.key}__x" if col.kind == k.TEXT else col.key

    squash = "".join(f", fz_squash({c.key}) AS {c.key}__x" for c in squashed)
    any_digits = f"fz_pii_candidate(concat_ws(' ', {', '.join(text(c) for c in columns)}))"
    scans = ", ".join(f"CASE WHEN _digits THEN fz_pii_scan({text(c)}) END AS {c.key}__scan" for c in columns)
    outs = ", ".join(f"coalesce({c.key}__scan.masked, {text(c)}) AS {c.key}__t, "
                     f"coalesce({c.key}__scan.kinds, CAST([] AS VARCHAR[])) AS {c.key}__pii" for c in columns)
    return f"""SELECT *, {outs}
        FROM (SELECT *, {scans}
              FROM (SELECT *, {any_digits} AS _digits FROM (SELECT * {squash} FROM {source})))"""


def pii_flags(feed: Feed) -> list[str]:
    """List expressions of `pii_in_text:<landing column>:<kind>` flags, one per text column."""
    return [f"list_transform({c.key}__pii, x -> 'pii_in_text:{landing_column(c)}:' || x)" for c in text_columns(feed)]

