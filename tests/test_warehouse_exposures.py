"""The dbt exposures (warehouse/models/marts/_exposures.yml) name every consumer of the published marts and
exactly the marts each one reads, so `fanzha docs` shows who depends on a mart before an analyst changes it.

What a page reads is found in its source: `data.table('<mart>')`, plus the marts its helpers read (kpi.py:
the two kpi marts; filters.py: dim_units and kpi_district_monthly), and the notice's SQL in
fanzha/notice/data.py. No dbt run: the YAML and the sources are read as text.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from fanzha.core.paths import REPO_ROOT

EXPOSURES = REPO_ROOT / "warehouse" / "models" / "marts" / "_exposures.yml"
MARTS = REPO_ROOT / "warehouse" / "models" / "marts"
HELPERS = {  # dashboards module -> the marts it reads for the page that imports it
    "kpi": {"kpi_unit_monthly", "kpi_district_monthly"},
    "filters": {"dim_units", "kpi_district_monthly"},
}
NOT_DBT = {"fanzha_publish"}  # written by the pipeline at publish time


def exposures() -> dict[str, dict]:
    return {e["name"]: e for e in yaml.safe_load(EXPOSURES.read_text(encoding="utf-8"))["exposures"]}


def refs(exposure: dict) -> set[str]:
    return {re.fullmatch(r"ref\('(\w+)'\)", d).group(1) for d in exposure["depends_on"]}


def mart_names() -> set[str]:
    return {p.stem for p in MARTS.rglob("*") if p.suffix in {".sql", ".py"}}


def page_reads(page: Path) -> set[str]:
    text = page.read_text(encoding="utf-8")
    read = set(re.findall(r"data\.table\(['\"](\w+)['\"]\)", text))
    imported = re.search(r"^from dashboards import (.+)$", text, re.M)
    for module in (imported.group(1).split(", ") if imported else []):
        read |= HELPERS.get(module.strip(), set())
    return read - NOT_DBT


def test_the_six_pages_and_the_notice_are_exposures_with_owner_and_maturity() -> None:
    found = exposures()
    assert {e["label"] for e in found.values()} >= {"总览", "排名通报", "单位详情", "预警处置", "案件分析", "数据质量"}
    assert len(found) == 7
    for name, e in found.items():
        assert e["owner"]["name"] and e["maturity"] in {"high", "medium", "low"} and e["description"], name
        assert refs(e) <= mart_names(), f"{name} depends on something that is not a mart"


def test_each_page_exposure_lists_exactly_what_the_page_reads() -> None:
    pages = {e["meta"]["page"]: refs(e) for e in exposures().values() if "page" in e["meta"]}
    views = sorted((REPO_ROOT / "dashboards" / "views").glob("*.py"))
    assert {f"dashboards/views/{p.name}" for p in views} - set(pages) == {"dashboards/views/empty.py"}
    for page, listed in pages.items():
        reads = page_reads(REPO_ROOT / page)
        if page.endswith("ranking.py"):  # the page previews the notice
            reads |= refs(exposures()["monthly_ranked_notice"])
        assert listed == reads, f"{page}: exposure lists {sorted(listed)}, the page reads {sorted(reads)}"


def test_the_notice_exposure_lists_the_marts_its_sql_reads() -> None:
    text = (REPO_ROOT / "fanzha" / "notice" / "data.py").read_text(encoding="utf-8")
    read = set(re.findall(r"\b(?:from|join)\s+(\w+)", text)) & mart_names()
    assert refs(exposures()["monthly_ranked_notice"]) == read
