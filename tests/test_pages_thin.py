"""Pages select, filter and format: no page computes a KPI a mart could carry (issue #17, contracts §4).

The dashboard's page code (dashboards/views/*.py and the modules that draw their figures) is scanned (ast) for
what computing a KPI looks like: binning (`pd.cut`), change arithmetic (`relative_change`, `pct_change`,
`diff`, `shift`, `rank`, rolling windows), a threshold of its own (`OVERDUE_MINUTES = 60`, `x > 60` on a
column), a ratio of two figures (`a / b`), a difference of two columns, aggregations (`groupby`, `.sum()`,
`.mean()`). The few aggregations that stay are listed below with why a mart does not carry them.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

from dashboards.cards import HEADLINE_CARDS, columns
from fanzha.core.paths import REPO_ROOT

DASHBOARDS = REPO_ROOT / "dashboards"
SCANNED = sorted([*(DASHBOARDS / "views").glob("*.py"),
                  *(DASHBOARDS / f"{m}.py" for m in ("cards", "kpi", "charts", "evidence"))])

CALLS = {  # method or function -> what the page should read instead
    "cut": "a bucket column of the mart (fct_alerts.first_contact_bucket_label)",
    "qcut": "a bucket column of the mart",
    "relative_change": "the mart's <m>_mom / <m>_yoy",
    "point_change": "the mart's <m>_mom_change / <m>_yoy_change",
    "pct_change": "the mart's <m>_mom / <m>_yoy",
    "diff": "the mart's change columns",
    "shift": "the mart's <m>_prev_month / <m>_prev_year",
    "rank": "ranking_unit_monthly.rank",
    "rolling": "the mart's <m>_12m",
    "expanding": "a mart column",
    "cumsum": "a mart column",
    "groupby": "a mart at that grain",
    "sum": "a mart column (a total, a count)",
    "mean": "a mart column",
    "median": "the mart's median_…",
}
# The aggregations that stay, each (file, the call's source text) with why no mart carries it.
ALLOWED = {
    ("leads.py", 'contacted["first_contact_bucket_label"].value_counts()'):
        "the leads listed on the page counted per bucket of the mart (the bucket itself is fct_alerts'); "
        "the list is the scoped detail a station or unit may see",
    ("quality.py", 'checks["success"].astype(bool).sum()'):
        "checks passed, counted over the rows of the table shown below: they come from the publish record's "
        "expectations_json (written by the pipeline after the build), not from a mart",
    ("watch.py", 'mine["is_overdue"].astype(bool).sum()'):
        "the overdue leads among the rows listed right below (the mart's flag), for the unit chosen on the page",
}
_ALLOWED = {(file, ast.unparse(ast.parse(text))) for file, text in ALLOWED}  # as ast.unparse writes it
THRESHOLD_NAME = re.compile(r"(OVERDUE|DEADLINE|THRESHOLD|_MINUTES$|^BINS$|^BIN_)")


def _is_column(node: ast.AST) -> bool:
    """frame["column"] (a Subscript with a string key) anywhere inside `node`."""
    return any(isinstance(n, ast.Subscript) and isinstance(n.slice, ast.Constant) and isinstance(n.slice.value, str)
               for n in ast.walk(node))


def computations(source: str, file: str = "page.py") -> list[str]:
    """What in `source` looks like a page computing a KPI (file:line and what), less the ALLOWED cases."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        where = f"{file}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else (func.id if isinstance(func, ast.Name) else "")
            if name in CALLS and (file, ast.unparse(node)) not in _ALLOWED:
                found.append(f"{where}: {ast.unparse(node)} — use {CALLS[name]}")
            elif name == "value_counts" and (file, ast.unparse(node)) not in _ALLOWED:
                found.append(f"{where}: {ast.unparse(node)} — counts per category belong in a mart")
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and THRESHOLD_NAME.search(target.id):
                    found.append(f"{where}: {target.id} — a rule's threshold belongs in the warehouse (var/seed)")
        elif isinstance(node, ast.Compare):
            ordering = any(isinstance(op, ast.Lt | ast.Gt | ast.LtE | ast.GtE) for op in node.ops)
            if ordering and _is_column(node):
                found.append(f"{where}: {ast.unparse(node)} — a threshold on a column: read the mart's flag")
        elif isinstance(node, ast.BinOp):
            constant = isinstance(node.left, ast.Constant) or isinstance(node.right, ast.Constant)  # x / 100, path / "a"
            if isinstance(node.op, ast.Div) and not constant:
                found.append(f"{where}: {ast.unparse(node)} — a ratio of two figures: read the mart's rate or share")
            elif isinstance(node.op, ast.Sub) and (_is_column(node.left) or _is_column(node.right)):
                found.append(f"{where}: {ast.unparse(node)} — a difference of figures: read the mart's column")
    return found


@pytest.mark.parametrize("path", SCANNED, ids=lambda p: p.name)
def test_the_page_computes_no_kpi(path: Path) -> None:
    assert computations(path.read_text(encoding="utf-8"), path.name) == []


@pytest.mark.parametrize("source", [
    # what the pages did before the marts carried it (issue #17)
    'binned = pd.cut(minutes, bins=BINS, labels=BIN_LABELS).value_counts()',
    'OVERDUE_MINUTES = 60',
    'late = leads[leads["minutes_to_first_contact"].astype(float) > 60]',
    'mom = fmt.relative_change(value, prev)',
    'yoy = fmt.point_change(value, last_year)',
    'lost = scores["weight_applied"] - scores["points"]',
    'share = people / n',
    'step = int(row["rank_prev_month"]) - int(row["rank"])',
    'by_reason = quarantine.groupby("reason_code")["rows"].sum()',
    'total = quarantine["rows"].sum()',
    'frame["yoy"] = frame["leads"].pct_change(12)',
])
def test_the_scan_finds_a_page_computing(source: str) -> None:
    assert computations(source) != []


@pytest.mark.parametrize("source", [
    'value = fmt.wan(row["loss_amount"])',
    'out["数值"] = out["数值"].astype("float64") * scale',
    'scale = 1 / 10000',
    'late = leads[leads["is_overdue_first_contact"].astype(bool)]',
    'share = 1.0 if rate_column is None else cur.get(rate_column)',
])
def test_the_scan_lets_selection_and_formatting_pass(source: str) -> None:
    assert computations(source) == []


def test_every_allowed_aggregation_is_still_there() -> None:
    """An allowance whose code went away is removed from ALLOWED (the list says what remains, with why)."""
    for file, text in _ALLOWED:
        path = DASHBOARDS / "views" / file
        calls = {ast.unparse(n) for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(n, ast.Call)}
        assert text in calls, f"{file}: {text} is allowed but no longer there"


def _mart_columns(model: str) -> set[str]:
    spec = yaml.safe_load((REPO_ROOT / "warehouse/models/marts/kpi/_kpi__models.yml").read_text(encoding="utf-8"))
    return {c["name"] for m in spec["models"] if m["name"] == model for c in m["columns"]}


@pytest.mark.parametrize("model", ["kpi_district_monthly", "kpi_unit_monthly"])
def test_every_headline_card_names_columns_its_mart_documents(model: str) -> None:
    """The cards read value, 同比 and 环比 from the month's row: each column is one the mart declares."""
    named = columns(HEADLINE_CARDS)
    assert len(named) == 3 * len(HEADLINE_CARDS)
    assert {"leads_mom", "face_to_face_rate_yoy_change", "post_warning_victims_mom_change"} <= set(named)
    assert set(named) - _mart_columns(model) == set()
