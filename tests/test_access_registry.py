"""Every read of the dashboard goes through a registered dataset: a scan of dashboards/ finds every dataset
name the pages read (a new unregistered read fails here), no page writes SQL, and each page's roles agree
with the policies of what it reads."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from dashboards.pages_registry import PAGES, specs_for
from fanzha.access import notices as access_notices
from fanzha.access.datasets import DATASETS
from fanzha.access.grants import ROLES, Grant
from fanzha.access.scope import dataset, statement_text

DASHBOARDS = Path(__file__).resolve().parent.parent / "dashboards"
READ_CALLS = {"read", "may_read"}  # data.read(name, ...), data.may_read(name)
# What a module reads besides its own data.read calls: the notice goes through fanzha.access.notices.
INDIRECT = {"notices": {*access_notices.STATEMENTS, "notable_interceptions"}}


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def read_names(path: Path) -> set[str]:
    """Dataset names `path` reads with data.read / data.may_read; fails on a name that is not a literal."""
    names: set[str] = set()
    for node in ast.walk(_tree(path)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name)):
            continue
        func = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
        owner = node.func.value.id if isinstance(node.func, ast.Attribute) and isinstance(node.func.value,
                                                                                            ast.Name) else ""
        if func in READ_CALLS and owner in ("data", ""):
            first = node.args[0] if node.args else None
            assert isinstance(first, ast.Constant) and isinstance(first.value, str), \
                f"{path.name}:{node.lineno}: the dataset of {func}() must be a literal name, so it can be checked"
            names.add(first.value)
    return names


def imported_dashboard_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.ImportFrom) and node.module == "dashboards":
            found.update(alias.name for alias in node.names)
    return found


def module_reads(name: str, seen: set[str] | None = None) -> set[str]:
    """Datasets read by dashboards/<name>.py and the dashboard modules it imports."""
    seen = seen if seen is not None else set()
    if name in seen:
        return set()
    seen.add(name)
    path = DASHBOARDS / f"{name}.py"
    names = read_names(path) | INDIRECT.get(name, set())
    for module in imported_dashboard_modules(path):
        names |= module_reads(module, seen)
    return names


def page_reads(spec_file: str) -> set[str]:
    """What a page reads: its own reads, its modules', and the sidebar's (app.py draws it before every page)."""
    return module_reads(spec_file.removesuffix(".py")) | module_reads("filters") | module_reads("data")


def test_every_dataset_the_dashboard_reads_is_registered() -> None:
    read = set()
    for path in sorted(DASHBOARDS.rglob("*.py")):
        read |= read_names(path)
    assert len(read) >= 15  # the scan found the pages' reads
    assert read - set(DATASETS) == set(), "read but not registered (give it a policy in fanzha/access/datasets.py)"
    unused = set(DATASETS) - read - INDIRECT["notices"]
    assert unused == set(), "registered but read by nobody"


def test_no_dashboard_module_writes_sql_or_queries_the_reader_itself() -> None:
    for path in sorted(DASHBOARDS.rglob("*.py")):
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = " ".join(node.value.lower().split())
                assert not ("select " in text and " from " in text), f"{path.name}:{node.lineno} writes SQL"
            if isinstance(node, ast.Attribute) and node.attr in ("query", "table", "statement"):
                assert path.name == "data.py" and node.attr == "query", \
                    f"{path.name}:{node.lineno} reads around the layer (.{node.attr})"


def test_the_notice_statements_are_the_notice_modules_own() -> None:
    from fanzha.notice import data as notice_data

    texts = {statement_text(dataset(name)) for name in access_notices.STATEMENTS}
    assert texts == {notice_data.RANKING_SQL, notice_data.INDICATORS_SQL, notice_data.SUMMARY_SQL,
                     notice_data.DISTRICT_SQL}
    assert notice_data.INTERCEPTIONS_SQL not in texts  # the detailed list is answered by a scoped dataset


@pytest.mark.parametrize("spec", PAGES, ids=[s.url_path for s in PAGES])
def test_a_pages_roles_are_exactly_those_that_may_read_all_it_reads(spec: object) -> None:
    reads = page_reads(spec.file)  # type: ignore[attr-defined]
    assert reads, spec
    for role in ROLES:
        readable = all(role in DATASETS[name].readers() for name in reads)
        assert (role in spec.roles) == readable, (spec.url_path, role, sorted(reads))  # type: ignore[attr-defined]


def test_navigation_per_role() -> None:
    titles = {role: [s.title for s in specs_for(Grant("u", role, ("x",)))] for role in ROLES}
    assert titles == {
        "committee": ["总览", "排名通报", "单位详情", "预警处置", "待办与超时", "案件分析", "数据质量", "审计日志"],
        "analyst": ["总览", "排名通报", "单位详情", "预警处置", "待办与超时", "案件分析", "数据质量"],
        "unit": ["总览", "排名通报", "单位详情", "预警处置", "待办与超时", "案件分析"],
        "station": ["总览", "排名通报", "预警处置", "待办与超时", "案件分析"],
    }
    assert specs_for(Grant("u", "guest")) == []
    assert specs_for(None) == []  # type: ignore[arg-type]


def test_the_built_in_table_export_is_off_and_every_download_button_is_audited() -> None:
    import tomllib

    config = tomllib.loads((DASHBOARDS / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True
    buttons = 0
    for path in sorted(DASHBOARDS.rglob("*.py")):
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr == "download_button":
                buttons += 1
                on_click = {k.arg: ast.unparse(k.value) for k in node.keywords}.get("on_click", "")
                assert on_click.split(".")[-1] == "audit", f"{path.name}:{node.lineno} downloads without audit"
    assert buttons == 3  # tables (downloads.py), the draft notice and the issued revisions (ranking page)
