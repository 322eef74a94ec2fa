"""The registry: every dataset the dashboard and the notice preview read, with its policy (see scope.py).

A page names one of these and its filters; it never writes SQL. Sources are fixed text: a published table
or a parenthesised SELECT over published tables (docs/contracts.md §4). Scoped sources keep the columns that
carry the unit codes (`township_code`, `member_unit_code`, `unit_code`) so the scope predicate can use them,
and select no personal key: no person_key, id or phone column leaves the warehouse through this registry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fanzha.access.grants import ROLES

PUBLIC, UNIT, STATION, ROLE = "public", "unit", "station", "role"
POLICIES = (PUBLIC, UNIT, STATION, ROLE)
ALL_SEEING = ("committee", "analyst")
# Which roles may read a dataset of each policy (ROLE datasets name theirs; all-seeing roles read everything).
READERS: dict[str, tuple[str, ...]] = {
    PUBLIC: ROLES, UNIT: (*ALL_SEEING, "unit"), STATION: (*ALL_SEEING, "unit", "station"), ROLE: ALL_SEEING,
}
TOWNSHIP, MEMBER_UNIT = "township", "member_unit"  # the kinds of unit a scope holds
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class Dataset:
    """One thing the app reads, with its policy.

    `source` is a table name or a parenthesised SELECT written in the registry (never user input);
    `scope` pairs a unit kind (township, member_unit) with the column that carries its code; a row is in
    scope when any pair matches. `statement` ("module:CONSTANT") is a fixed public statement of another part
    (the notice), run as written: a fixed statement cannot carry a scope, so only public ones are allowed.
    """

    name: str
    policy: str
    label: str
    source: str = ""
    scope: tuple[tuple[str, str], ...] = ()
    roles: tuple[str, ...] = ()
    statement: str = ""

    def __post_init__(self) -> None:
        if self.policy not in POLICIES:
            raise ValueError(f"dataset {self.name}: unknown policy {self.policy!r}")
        if bool(self.source) == bool(self.statement):
            raise ValueError(f"dataset {self.name}: give a source or a statement, not both")
        if self.statement and self.policy != PUBLIC:
            raise ValueError(f"dataset {self.name}: a fixed statement cannot carry a scope, so it must be public")
        if (self.policy in (UNIT, STATION)) != bool(self.scope):
            raise ValueError(f"dataset {self.name}: scoped policies need scope columns, others none")
        if (self.policy == ROLE) != bool(self.roles):
            raise ValueError(f"dataset {self.name}: a role policy names its roles, others none")
        for kind, column in self.scope:
            if kind not in (TOWNSHIP, MEMBER_UNIT) or not _IDENTIFIER.match(column):
                raise ValueError(f"dataset {self.name}: bad scope pair ({kind}, {column})")

    def readers(self) -> tuple[str, ...]:
        """The roles that may read this dataset (rows limited by their scope for unit and station)."""
        if self.policy == ROLE:
            return tuple(dict.fromkeys((*ALL_SEEING, *self.roles)))
        return READERS[self.policy]


FACT_SCOPE = ((TOWNSHIP, "township_code"), (MEMBER_UNIT, "member_unit_code"))
UNIT_SCOPE = ((TOWNSHIP, "unit_code"), (MEMBER_UNIT, "unit_code"))

LEADS = """(
    select a.alert_id, a.issued_at, a.month, a.alert_type, a.is_fund_warning, a.district_code, a.township_code,
           a.village_code, a.member_unit_code, a.amount_at_risk, a.contacted, a.minutes_to_first_contact,
           a.is_overdue_first_contact, a.first_contact_bucket_label, a.first_contact_bucket_order, a.face_to_face, a.four_party, a.three_clear, a.dissuaded, a.intercepted_amount,
           t.unit_name as township_name, v.unit_name as village_name
    from fct_alerts as a
    left join dim_units as t on t.unit_code = a.township_code
    left join dim_units as v on v.unit_code = a.village_code
)"""

NOTABLE_VICTIMS = """(
    select c.case_id, c.occurred_at, c.month, c.district_code, c.township_code, c.village_code, c.member_unit_code,
           c.name_masked, c.fraud_type, c.loss_amount, c.is_post_warning, c.is_repeat_victim,
           m.model_year, m.year, t.unit_name as township_name, v.unit_name as village_name
    from fct_cases as c
    join dim_months as m on m.month = c.month
    left join dim_units as t on t.unit_code = c.township_code
    left join dim_units as v on v.unit_code = c.village_code
    where c.is_post_warning or c.is_repeat_victim
)"""

# The notice's "notable interceptions" (fanzha.notice.data.INTERCEPTIONS_SQL's columns), with the scope columns.
NOTABLE_INTERCEPTIONS = """(
    select i.interception_id, i.stopped_at, cast(i.stopped_at as date) as stopped_on, i.month, i.district_code,
           i.township_code, i.village_code, i.member_unit_code, t.unit_name as township_name,
           v.unit_name as village_name, i.name_masked, i.interception_method as method, i.amount
    from fct_interceptions as i
    left join dim_units as t on t.unit_code = i.township_code
    left join dim_units as v on v.unit_code = i.village_code
)"""

_ALL: tuple[Dataset, ...] = (
    # -- public: every signed-in user --------------------------------------------------------------------
    Dataset("catalog", PUBLIC, "已发布的表清单",
            "(select table_name from information_schema.tables "
            "where table_catalog = 'warehouse' and table_schema = 'marts')"),
    Dataset("districts", PUBLIC, "区县",
            "(select unit_code, unit_name from dim_units where unit_kind = 'district')"),
    Dataset("months", PUBLIC, "月份", "dim_months"),
    Dataset("district_kpis", PUBLIC, "全区指标", "kpi_district_monthly"),
    Dataset("ranking", PUBLIC, "排名", "ranking_unit_monthly"),
    Dataset("scores", PUBLIC, "各指标得分", "score_unit_monthly"),
    Dataset("assessment_units", PUBLIC, "考核依据（各单位）", "assessment_unit_monthly"),
    Dataset("indicator_scores", PUBLIC, "逐项得分及较上月增减", "score_unit_indicator_monthly"),
    Dataset("loss_bands", PUBLIC, "被骗金额区间", "case_loss_bands"),
    Dataset("victim_profile", PUBLIC, "受害人画像（全区汇总）", "victim_profile"),
    Dataset("notice_ranking", PUBLIC, "通报排名表", statement="fanzha.notice.data:RANKING_SQL"),
    Dataset("notice_indicators", PUBLIC, "通报各单位逐项得分", statement="fanzha.notice.data:INDICATORS_SQL"),
    Dataset("notice_summary", PUBLIC, "通报全区概况", statement="fanzha.notice.data:SUMMARY_SQL"),
    Dataset("notice_district", PUBLIC, "通报区县名称", statement="fanzha.notice.data:DISTRICT_SQL"),
    # The first-contact buckets (seed first_contact_buckets.csv as fct_alerts carries them), for the 预警处置
    # histogram's axis: labels and order only, no lead.
    Dataset("first_contact_buckets", PUBLIC, "首次劝阻用时区间",
            "(select distinct first_contact_bucket_label, first_contact_bucket_order from fct_alerts "
            "where first_contact_bucket_label is not null)"),
    Dataset("watch_cut_off", PUBLIC, "待办数据截止时间", "watch_cut_off"),
    Dataset("watch_district_daily", PUBLIC, "全区每日未完结与超时线索数",
            "(select * from watch_unit_daily where unit_kind = 'district')"),
    # -- station: own units; a station the townships it covers (lead handling and cases) ---------------
    Dataset("own_townships", STATION, "本账号范围内的乡镇",
            "(select unit_code, unit_name, district_code from dim_units where unit_kind = 'township')",
            scope=((TOWNSHIP, "unit_code"),)),
    Dataset("unit_kpis", STATION, "乡镇和成员单位指标",
            "(select * from kpi_unit_monthly where unit_kind in ('township', 'member_unit'))", scope=UNIT_SCOPE),
    Dataset("leads", STATION, "预警线索明细", LEADS, scope=FACT_SCOPE),
    Dataset("notable_victims", STATION, "预后被骗与重复被骗案件", NOTABLE_VICTIMS, scope=FACT_SCOPE),
    Dataset("notable_interceptions", STATION, "典型止付案例", NOTABLE_INTERCEPTIONS, scope=FACT_SCOPE),
    Dataset("watch_open_leads", STATION, "未完结线索（待办与超时）", "watch_open_leads", scope=FACT_SCOPE),
    Dataset("watch_unit_daily", STATION, "各单位每日未完结与超时线索数",
            "(select * from watch_unit_daily where unit_kind in ('township', 'member_unit'))", scope=UNIT_SCOPE),
    # -- unit: own townships / member units only -------------------------------------------------------
    Dataset("own_units", UNIT, "本账号范围内的乡镇和成员单位",
            "(select unit_code, unit_name, unit_kind, district_code from dim_units "
            "where unit_kind in ('township', 'member_unit'))", scope=UNIT_SCOPE),
    Dataset("village_kpis", UNIT, "村（社区）指标",
            "(select * from kpi_unit_monthly where unit_kind = 'village')", scope=((TOWNSHIP, "township_code"),)),
    # -- role: data quality for analysts and the committee -----------------------------------------------
    Dataset("publish_record", ROLE, "发布记录", "fanzha_publish", roles=ALL_SEEING),
    Dataset("feed_freshness", ROLE, "数据源时效", "dq_feed_freshness", roles=ALL_SEEING),
    Dataset("quarantine_summary", ROLE, "隔离数据汇总", "dq_quarantine_summary", roles=ALL_SEEING),
)

DATASETS: dict[str, Dataset] = {d.name: d for d in _ALL}
assert len(DATASETS) == len(_ALL), "a dataset name is registered twice"
