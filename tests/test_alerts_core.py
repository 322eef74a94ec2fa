"""The pure side of the alerts: wording (masked names, Chinese, durations), routing, once-only planning and
the alerts.toml checks. Hand-made rows, answers computed by hand."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from fanzha.alerts import config, core
from fanzha.alerts.ledger import Ledger
from fanzha.alerts.model import COMMITTEE, KINDS, Route, Settings
from fanzha.core.errors import UserError

CUT = datetime(2023, 11, 5, 12, 0)


def overdue(alert_id: str, township: str, *, member: str | None = None, minutes: float = 61.0) -> dict:
    return {
        "alert_id": alert_id, "name_masked": "赵某", "village_name": "井庄村", "alert_type": "资金预警",
        "amount_at_risk": 132000.0, "issued_at": datetime(2023, 11, 5, 9, 0), "next_step": "first_contact",
        "next_step_label": "首次劝阻", "next_step_deadline": datetime(2023, 11, 5, 10, 0), "minutes_overdue": minutes,
        "overdue_step_labels": "首次劝阻", "township_code": township, "township_name": "贾宋镇",
        "member_unit_code": member, "member_unit_name": "区教育局" if member else None,
    }


VICTIM = {
    "case_id": "K1", "name_masked": "孙某", "reported_at": datetime(2023, 11, 5, 10, 0),
    "occurred_at": datetime(2023, 11, 4, 20, 0), "loss_amount": 36000.0, "fraud_type": "刷单返利",
    "prior_alert_issued_at": datetime(2023, 11, 1, 7, 0), "days_since_prior_alert": 3,
    "township_code": "T1", "township_name": "贾宋镇", "village_name": "井庄村", "member_unit_code": None,
    "member_unit_name": None,
}

BELOW = {
    "unit_code": "T1", "unit_name": "贾宋镇", "unit_kind": "township", "month": date(2023, 11, 1),
    "indicator": "four_party_rate", "indicator_label": "四方参与率", "value_format": "rate",
    "direction": "higher_better", "value": 0.5, "target_to_date": 0.9,
}
COUNT_BELOW = {**BELOW, "unit_code": "M1", "unit_name": "区人社局", "indicator": "activities_publicity",
               "indicator_label": "反诈宣传次数", "value_format": "count", "value": 0.0, "target_to_date": 1.0}


def plan(alerts, routes, sent=frozenset(), limit=20):
    return core.plan(alerts, routes, set(sent), cut_off=CUT, settings=Settings(digest_lines=limit),
                     target_of=config.url_target, label_of=config.mask_url)


@pytest.mark.parametrize(("minutes", "text"), [
    (1.0, "1分钟"), (59.9, "59分钟"), (61.0, "1小时1分钟"), (120.0, "2小时"), (1440.0, "1天"),
    (1440 + 14 * 60 + 30, "1天14小时"),
])
def test_durations_are_rounded_down_to_the_minute(minutes: float, text: str) -> None:
    assert core.duration_text(minutes) == text


def test_overdue_lead_line_and_addressees() -> None:
    [alert] = core.overdue_alerts([overdue("L1", "T1", member="M1")])
    assert alert.key == "overdue_lead:L1:first_contact"
    assert alert.addressees == ("T1", "M1")
    assert alert.line == ("赵某（井庄村），资金预警 13.20万元，2023年11月5日 09:00 下发："
                          "首次劝阻 已超时1小时1分钟（应于 2023年11月5日 10:00 前完成）")


def test_victim_and_process_alerts_are_worded_in_chinese() -> None:
    [victim] = core.victim_alerts([VICTIM])
    assert victim.addressees == (COMMITTEE, "T1")
    assert victim.detail.startswith("贾宋镇井庄村 孙某 于 2023年11月4日 20:00 被骗（刷单返利），损失3.60万元，")
    assert "此人曾于 2023年11月1日 07:00 被预警，相隔3天。" in victim.detail
    below, count = core.process_alerts([BELOW, COUNT_BELOW])
    assert below.key == "process_below_target:2023-11:T1:four_party_rate"
    assert below.line == "贾宋镇：四方参与率 50.0%，低于目标 90.0%"
    assert count.line == "区人社局：反诈宣传次数 0，低于目标 1.00（按本月已过天数折算）"


def test_routes_get_their_units_and_kinds_once() -> None:
    alerts = [*core.victim_alerts([VICTIM]), *core.overdue_alerts([overdue("L1", "T1", member="M1"),
                                                                   overdue("L2", "T2")]),
              *core.process_alerts([BELOW])]
    committee = Route("委", ("json://127.0.0.1:1/c",), frozenset({"post_warning_victim", "process_below_target"}),
                      committee=True)
    t1 = Route("T1", ("json://127.0.0.1:1/t1",), frozenset(KINDS), unit="T1")
    m1 = Route("M1", ("json://127.0.0.1:1/m1",), frozenset({"overdue_lead"}), unit="M1")
    everything = Route("all", ("json://127.0.0.1:1/all",), frozenset(KINDS), everything=True)
    messages = plan(alerts, [committee, t1, m1, everything])
    got = sorted((m.route, m.kind, m.unit, m.keys) for m in messages)
    assert got == [
        ("M1", "overdue_lead", "M1", ("overdue_lead:L1:first_contact",)),
        ("T1", "overdue_lead", "T1", ("overdue_lead:L1:first_contact",)),
        ("T1", "post_warning_victim", "T1", ("post_warning_victim:K1",)),
        ("all", "overdue_lead", "T1", ("overdue_lead:L1:first_contact",)),  # L1 once, under its township
        ("all", "overdue_lead", "T2", ("overdue_lead:L2:first_contact",)),
        ("all", "post_warning_victim", COMMITTEE, ("post_warning_victim:K1",)),
        ("all", "process_below_target", COMMITTEE, ("process_below_target:2023-11:T1:four_party_rate",)),
        ("委", "post_warning_victim", COMMITTEE, ("post_warning_victim:K1",)),
        ("委", "process_below_target", COMMITTEE, ("process_below_target:2023-11:T1:four_party_rate",)),
    ]
    sent = {(k, m.route, m.target) for m in messages for k in m.keys}
    assert plan(alerts, [committee, t1, m1, everything], sent) == []


def test_a_digest_lists_at_most_n_and_counts_the_rest() -> None:
    alerts = core.overdue_alerts([overdue(f"L{i}", "T1") for i in range(5)])
    route = Route("T1", ("json://127.0.0.1:1/t1",), frozenset(KINDS), unit="T1")
    [message] = plan(alerts, [route], limit=2)
    assert message.title == "【超时线索】贾宋镇：5 条预警线索超时未处置"
    assert message.body.splitlines()[0] == "贾宋镇有 5 条预警线索的处置环节已超时（数据截至 2023年11月5日 12:00）："
    assert message.body.splitlines()[3] == "另有 3 条，请在 fanzha 看板“待办与超时”页面查看。"
    assert len(message.keys) == 5


def test_ledger_records_failures_and_retries(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path)
    args = {"route": "T1", "target": "abc", "target_label": "json://127.0.0.1:1/…", "kind": "overdue_lead",
            "unit": "T1", "title": "t"}
    ledger.record(keys=("k1", "k2"), ok=False, error="500", **args)
    assert ledger.sent() == set()
    ledger.record(keys=("k1",), ok=True, error=None, **args)
    assert ledger.sent() == {("k1", "T1", "abc")}
    rows = {r.alert_key: r for r in ledger.history(10)}
    assert (rows["k1"].status, rows["k1"].attempts, rows["k1"].last_error) == ("sent", 2, None)
    assert (rows["k2"].status, rows["k2"].attempts, rows["k2"].last_error) == ("failed", 1, "500")


def test_mask_url_hides_tokens() -> None:
    assert config.mask_url("wecombot://BOTKEY123") == "wecombot://…"
    assert config.mask_url("dingtalk://TOKEN/SECRET") == "dingtalk://…"
    assert config.mask_url("json://127.0.0.1:8080/hook") == "json://127.0.0.1:8080/…"
    assert config.mask_url("mailto://user:pass@mail.example.com") == "mailto://mail.example.com/…"


def test_routes_from_toml_env_or_none(tmp_path: Path) -> None:
    assert config.load(tmp_path, {})[0] == []
    [route], _, where = config.load(tmp_path, {"FANZHA_ALERT_URLS": "json://127.0.0.1:1/a, json://127.0.0.1:1/b"})
    assert (route.urls, route.everything, where) == (("json://127.0.0.1:1/a", "json://127.0.0.1:1/b"), True,
                                                     "FANZHA_ALERT_URLS")
    (tmp_path / "alerts.toml").write_text(
        '[settings]\npost_warning_lookback_days = 3\n[[route]]\nname = "委"\ncommittee = true\n'
        'urls = ["wecombot://K"]\n', encoding="utf-8")
    [route], settings, _ = config.load(tmp_path, {"FANZHA_ALERT_URLS": "json://ignored"})
    assert (route.name, route.committee, route.kinds, settings.post_warning_lookback_days) == (
        "委", True, frozenset(KINDS), 3)


def test_a_bad_alerts_toml_names_every_problem() -> None:
    text = """
[settings]
lookback = 3
[[route]]
name = "A"
unit = "130506101"
committee = true
kinds = ["overdue", "overdue_lead"]
urls = []
[[route]]
name = "A"
committee = true
urls = ["wecombot://K"]
colour = "red"
"""
    with pytest.raises(UserError) as err:
        config.parse(text, "alerts.toml")
    message = err.value.message
    assert err.value.exit_code == 2
    assert message.startswith("alerts.toml: ")
    for part in ("[settings]: unknown key 'lookback'",
                 "route 1 (A): give either unit = '<unit code>' or committee = true",
                 "route 1 (A): unknown kind 'overdue'",
                 "route 1 (A): urls must list at least one Apprise URL",
                 "route 2 (A): unknown key 'colour'",
                 "route 2 (A): name used twice"):
        assert part in message
