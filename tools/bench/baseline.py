"""The bare-DuckDB baseline: prepare the raw exports (untimed), then run benchmarks/baseline_kpi.sql (timed).

`prepare(exports, root)` does what is *not* the engine's work and is kept out of the timed section:
XLSX to CSV, GB18030 to UTF-8, title rows dropped, header cells renamed to the feed's column keys
(recognised with ingestion's own header matcher), files named `<export order>_<district>.csv` per feed.
`run_sql(root)` is the timed part; `python -m tools.bench.baseline ROOT` runs it in a fresh process.
"""

from __future__ import annotations

import csv
import re
import sys
import time
from pathlib import Path

from fanzha.core.paths import REPO_ROOT
from fanzha.core.sql import literal

SQL_FILE = REPO_ROOT / "benchmarks" / "baseline_kpi.sql"
NANHE = "130506"
_MONTH = re.compile(r"(\d{4}-\d{2})")
_REVISION = re.compile(r"_(更正|rev\d+)", re.IGNORECASE)
_CLONE = re.compile(r"^(99\d{4})_")
EXPORT_SUFFIXES = (".csv", ".xlsx", ".xls", ".htm", ".html")


def export_order_key(name: str) -> tuple[str, int, str]:
    """Export order of docs/contracts.md §3: month in the file name, then revisions after originals, then name."""
    month = _MONTH.search(name)
    return (month.group(1) if month else "", 1 if _REVISION.search(name) else 0, name)


def district_of(name: str) -> str:
    """A clone's file names start with its district code; Nanhe's carry none."""
    match = _CLONE.match(name)
    return match.group(1) if match else NANHE


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    return str(value)


def _rows(path: Path) -> list[list[str]]:
    from ingestion.encoding import sniff

    sniffed = sniff(path)  # the format is in the bytes: web exports are HTML tables named .xls
    if sniffed.format in ("xlsx", "xls"):
        import python_calamine

        with path.open("rb") as fh:
            sheet = python_calamine.CalamineWorkbook.from_filelike(fh).get_sheet_by_index(0)
        return [[_cell_text(c) for c in row] for row in sheet.to_python()]
    encoding = sniffed.encoding or "utf-8"
    if sniffed.format == "html":
        from ingestion.workbooks import html_export_rows

        return html_export_rows(path, encoding)
    with open(path, encoding="utf-8-sig" if encoding.startswith("utf-8") else encoding, newline="") as fh:
        return [row for row in csv.reader(fh) if row]


def prepare(exports: Path, root: Path) -> int:
    """Convert every export under `exports` into `root/<feed>/<order>_<district>.csv`; returns data rows written."""
    from ingestion.feeds import FEEDS
    from ingestion.headers import MAX_HEADER_SEARCH_ROWS, find_header

    files = sorted((p for p in exports.iterdir() if p.suffix.lower() in EXPORT_SUFFIXES),
                   key=lambda p: export_order_key(p.name))
    written = 0
    for order, path in enumerate(files, start=1):
        rows = _rows(path)
        header = find_header(rows[:MAX_HEADER_SEARCH_ROWS])
        if header is None:
            continue  # not an export of a known feed; fanzha rejects it too
        position = {key: i for i, key in enumerate(header.column_keys) if key}
        keys = [c.key for c in header.feed.columns]  # every column of the feed, empty when the file lacks it
        out = root / header.feed.name / f"{order:06d}_{district_of(path.name)}.csv"
        out.parent.mkdir(parents=True, exist_ok=True)
        with open(out, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(keys)
            for row in rows[header.row_index + 1:]:
                cells = [row[position[k]] if k in position and position[k] < len(row) else "" for k in keys]
                if any(c.strip() for c in cells):
                    writer.writerow(cells)
                    written += 1
    for feed in FEEDS:  # a feed without files still needs one (header-only) file for the script's read_csv
        if not (root / feed.name).is_dir():
            (root / feed.name).mkdir(parents=True)
            (root / feed.name / "000000_000000.csv").write_text(
                ",".join(c.key for c in feed.columns) + "\n", encoding="utf-8")
    return written


def baseline_sql(root: Path) -> str:
    # the script quotes '{root}/…' itself: substitute the path's SQL-escaped text (literal() minus its quotes)
    return SQL_FILE.read_text(encoding="utf-8").replace("{root}", literal(root)[1:-1])


def run_sql(root: Path, database: str = ":memory:") -> tuple[float, int]:
    """Run the baseline script over `root`; returns (seconds inside DuckDB, district-month rows)."""
    import duckdb

    conn = duckdb.connect(database)
    started = time.perf_counter()
    conn.execute(baseline_sql(root))
    rows = conn.execute("select count(*) from kpi_district_monthly_baseline").fetchone()[0]
    seconds = time.perf_counter() - started
    conn.close()
    return seconds, int(rows)


AGREEMENT_COLUMNS = ("leads", "fund_leads", "leads_contacted", "amount_at_risk", "intercepted_amount", "cases",
                     "loss_amount", "recovered_amount", "activities_total", "first_contact_within_60min_rate")


def agreement(warehouse: Path, baseline_db: Path) -> dict:
    """How closely the baseline reproduces fanzha's kpi_district_monthly: per column, the district-months
    where both agree (relative 1e-6) out of those both have, and the two totals."""
    import duckdb

    conn = duckdb.connect()
    try:
        conn.execute(f"attach '{warehouse}' as wh (read_only)")
        conn.execute(f"attach '{baseline_db}' as bl (read_only)")
        out: dict = {}
        for col in AGREEMENT_COLUMNS:
            months, equal, fanzha, base = conn.execute(f"""
                select count(*),
                       count(*) filter (where abs(coalesce(w.{col}, 0) - coalesce(b.{col}, 0))
                                        <= 1e-6 * greatest(1, abs(coalesce(w.{col}, 0)))),
                       sum(w.{col}), sum(b.{col})
                from wh.marts.kpi_district_monthly w
                join bl.main.kpi_district_monthly_baseline b using (district_code, month)""").fetchone()
            out[col] = {"district_months": months, "equal": equal, "fanzha_total": fanzha, "baseline_total": base}
        return out
    finally:
        conn.close()


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2):
        print("usage: python -m tools.bench.baseline ROOT [DATABASE]", file=sys.stderr)
        return 2
    seconds, rows = run_sql(Path(argv[0]), argv[1] if len(argv) == 2 else ":memory:")
    print(f"baseline: {rows} district-months in {seconds:.2f} s (inside DuckDB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
