"""The dbt exposures (warehouse/models/marts/_exposures.yml) name every consumer of the published marts and
exactly the marts each one reads, so `fanzha docs` shows who depends on a mart before an analyst changes it.

What a page reads is found in its source: the registered datasets it and the dashboard modules it imports
read (`data.read('<dataset>')`, found by tests/test_access_registry.py's scan), each resolved to the marts
its registered source or statement names (fanzha/access/datasets.py), and the notice's SQL in
fanzha/notice/data.py. A page that reads no mart (审计日志 reads the audit trail) is no exposure. No dbt run:
the YAML and the sources are read as text.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from dashboards.pages_registry import ALL_PAGES
from fanzha.access.scope import dataset, statement_text
from fanzha.core.paths import REPO_ROOT
from tests.test_access_registry import module_reads

EXPOSURES = REPO_ROOT / "warehouse" / "models" / "marts" / "_exposures.yml"
MARTS = REPO_ROOT / "warehouse" / "models" / "marts"
NOT_DBT = {"fanzha_publish"}  # written by the pipeline at publish time


def exposures() -> dict[str, dict]:
    return {e["name"]: e for e in yaml.safe_load(EXPOSURES.read_text(encoding="utf-8"))["exposures"]}


def refs(exposure: dict) -> set[str]:
    return {re.fullmatch(r"ref\('(\w+)'\)", d).group(1) for d in exposure["depends_on"]}


def mart_names() -> set[str]:
    return {p.stem for p in MARTS.rglob("*") if p.suffix in {".sql", ".py"}}


def dataset_marts(name: str) -> set[str]:
    """The marts a registered dataset reads: its source table, or the tables its SELECT / statement names."""
    ds = dataset(name)
    text = statement_text(ds) if ds.statement else ds.source
    return ({text} if re.fullmatch(r"\w+", text) else set(re.findall(r"\b(?:from|join)\s+(\w+)", text))) & mart_names()


def page_reads(page: Path) -> set[str]:
    return {mart for name in module_reads(f"views/{page.stem}") for mart in dataset_marts(name)} - NOT_DBT


def test_the_six_pages_and_the_notice_are_exposures_with_owner_and_maturity() -> None:
    found = exposures()
    assert {e["label"] for e in found.values()} >= {"总览", "排名通报", "单位详情", "预警处置", "待办与超时", "案件分析",
                                                    "数据质量"}
    assert len(found) == 9  # the seven pages, the notice and the watch alerts
    for name, e in found.items():
        assert e["owner"]["name"] and e["maturity"] in {"high", "medium", "low"} and e["description"], name
        assert refs(e) <= mart_names(), f"{name} depends on something that is not a mart"


def test_each_page_exposure_lists_exactly_what_the_page_reads() -> None:
    pages = {e["meta"]["page"]: refs(e) for e in exposures().values() if "page" in e["meta"]}
    views = {f"dashboards/{s.file}": page_reads(REPO_ROOT / "dashboards" / s.file) for s in ALL_PAGES}
    assert {page for page, reads in views.items() if reads} == set(pages)
    assert views["dashboards/views/audit.py"] == set()  # the audit trail is no mart
    assert views["dashboards/views/ranking.py"] >= refs(exposures()["monthly_ranked_notice"])  # the preview
    for page, listed in pages.items():
        assert listed == views[page], f"{page}: exposure lists {sorted(listed)}, the page reads {sorted(views[page])}"


def test_the_notice_exposure_lists_the_marts_its_sql_reads() -> None:
    text = (REPO_ROOT / "fanzha" / "notice" / "data.py").read_text(encoding="utf-8")
    read = set(re.findall(r"\b(?:from|join)\s+(\w+)", text)) & mart_names()
    assert refs(exposures()["monthly_ranked_notice"]) == read


def test_the_alerts_exposure_lists_the_marts_their_sql_reads() -> None:
    text = (REPO_ROOT / "fanzha" / "alerts" / "source.py").read_text(encoding="utf-8")
    read = set(re.findall(r"\b(?:from|join)\s+(\w+)", text)) & mart_names()
    assert refs(exposures()["watch_alerts"]) == read
