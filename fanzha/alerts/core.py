"""Which alerts the published marts imply, and the messages that carry them. Pure: rows in, values out.

Rows come from `source` (SQL does the selection); this module only words them (Chinese, masked names,
never an ID number, phone, account or lead number) and groups them into messages per route:
one message per post-warning victim, one digest per unit of overdue leads, one digest of units below
target. docs/watch.md §3.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from fanzha.alerts.model import COMMITTEE, KINDS, Alert, Message, Route, Settings

Row = Mapping[str, Any]


def _full_when(moment: datetime | None) -> str:
    return "—" if moment is None else f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"


def _money(yuan: Any) -> str:
    if yuan is None or yuan != yuan:  # None or NaN
        return "金额不详"
    return f"{float(yuan) / 10000:,.2f}万元"


def duration_text(minutes: float) -> str:
    """Minutes -> '2天3小时', '5小时10分钟', '1分钟' (rounded down to the minute)."""
    total = int(minutes)
    days, rest = divmod(total, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}天{hours}小时" if hours else f"{days}天"
    if hours:
        return f"{hours}小时{mins}分钟" if mins else f"{hours}小时"
    return f"{max(mins, 1)}分钟"


def _place(township: Any, village: Any) -> str:
    return "".join(str(p) for p in (township, village) if p) or "住址不详"


def _addressees(*codes: Any) -> tuple[str, ...]:
    return tuple(str(c) for c in codes if c)


def overdue_alerts(rows: Iterable[Row]) -> list[Alert]:
    """One alert per open lead whose next step is overdue (key: lead × step), to its township and member unit."""
    alerts = []
    for r in rows:
        line = (
            f"{r['name_masked'] or '姓名不详'}（{r['village_name'] or '村庄不详'}），"
            f"{r['alert_type']} {_money(r['amount_at_risk'])}，{_full_when(r['issued_at'])} 下发："
            f"{r['next_step_label']} 已超时{duration_text(r['minutes_overdue'])}（应于 {_full_when(r['next_step_deadline'])} 前完成）"
        )
        if r["overdue_step_labels"] and r["overdue_step_labels"] != r["next_step_label"]:
            line += f"；超时环节：{r['overdue_step_labels']}"
        names = {str(r["township_code"]): r["township_name"] or str(r["township_code"])}
        if r["member_unit_code"]:
            names[str(r["member_unit_code"])] = r["member_unit_name"] or str(r["member_unit_code"])
        alerts.append(Alert(
            key=f"overdue_lead:{r['alert_id']}:{r['next_step']}", kind="overdue_lead",
            addressees=_addressees(r["township_code"], r["member_unit_code"]), unit_names=names, line=line))
    return alerts


def victim_alerts(rows: Iterable[Row]) -> list[Alert]:
    """One alert per new post-warning victim, to the committee and the person's township and member unit."""
    alerts = []
    for r in rows:
        place = _place(r["township_name"], r["village_name"])
        who = r["name_masked"] or "姓名不详"
        gap = f"，相隔{int(r['days_since_prior_alert'])}天" if r["days_since_prior_alert"] is not None else ""
        fraud = f"（{r['fraud_type']}）" if r["fraud_type"] else ""
        line = f"{place} {who}：{_full_when(r['reported_at'])} 报案，损失{_money(r['loss_amount'])}{fraud}"
        detail = (
            f"{place} {who} 于 {_full_when(r['occurred_at'])} 被骗{fraud}，损失{_money(r['loss_amount'])}，"
            f"{_full_when(r['reported_at'])} 报案。此人曾于 {_full_when(r['prior_alert_issued_at'])} 被预警{gap}。"
            "请立即核查处置：全力止付，并复盘该线索的劝阻过程。"
        )
        names = {COMMITTEE: "区委政法委", str(r["township_code"]): r["township_name"] or str(r["township_code"])}
        if r["member_unit_code"]:
            names[str(r["member_unit_code"])] = r["member_unit_name"] or str(r["member_unit_code"])
        alerts.append(Alert(
            key=f"post_warning_victim:{r['case_id']}", kind="post_warning_victim",
            addressees=_addressees(COMMITTEE, r["township_code"], r["member_unit_code"]),
            unit_names=names, line=line, detail=detail))
    return alerts


def _value(value: Any, value_format: str) -> str:
    if value is None:
        return "—"
    if value_format == "rate":
        return f"{float(value) * 100:.1f}%"
    return f"{float(value):.0f}" if value_format == "count" else f"{float(value):.2f}"


def process_alerts(rows: Iterable[Row]) -> list[Alert]:
    """One alert per unit × month × indicator below its month-to-date target, to the committee."""
    alerts = []
    for r in rows:
        month: date = r["month"]
        side = "低于" if r["direction"] == "higher_better" else "高于"
        to_date = "" if r["value_format"] == "rate" else "（按本月已过天数折算）"
        line = (f"{r['unit_name']}：{r['indicator_label']} {_value(r['value'], r['value_format'])}，"
                f"{side}目标 {_value(r['target_to_date'], 'number' if to_date else 'rate')}{to_date}")
        alerts.append(Alert(
            key=f"process_below_target:{month:%Y-%m}:{r['unit_code']}:{r['indicator']}",
            kind="process_below_target", addressees=(COMMITTEE,), unit_names={COMMITTEE: "区委政法委"}, line=line))
    return alerts


def plan(
    alerts: Sequence[Alert],
    routes: Sequence[Route],
    sent: set[tuple[str, str, str]],
    *,
    cut_off: datetime | None,
    settings: Settings,
    target_of: Any,
    label_of: Any,
) -> list[Message]:
    """The messages to send: per route and URL, the alerts addressed to it not yet sent there.

    `sent` holds (alert key, route name, URL target) already delivered; `target_of(url)` and `label_of(url)`
    give a URL's ledger key and masked label.
    """
    messages: list[Message] = []
    as_of = f"（数据截至 {_full_when(cut_off)}）"
    for route in routes:
        for url in route.urls or ("",):
            target = target_of(url) if url else "-"
            label = label_of(url) if url else "（未配置）"
            due: dict[tuple[str, str], list[Alert]] = {}
            for alert in alerts:
                addressee = route.addressee_for(alert)
                if addressee is None or (alert.key, route.name, target) in sent:
                    continue
                due.setdefault((alert.kind, addressee), []).append(alert)
            for (kind, addressee), items in due.items():
                unit_name = items[0].unit_names.get(addressee, addressee)
                for title, body, keys in _word(kind, unit_name, items, as_of, settings.digest_lines):
                    messages.append(Message(route=route.name, target=target, target_label=label, url=url,
                                            kind=kind, title=title, body=body, keys=keys, unit=addressee))
    return messages


def _word(kind: str, unit_name: str, items: list[Alert], as_of: str, limit: int) -> list[tuple[str, str, tuple[str, ...]]]:
    if kind == "post_warning_victim":
        return [(f"【{KINDS[kind]}】{a.line.split('：')[0]}", f"{a.detail}\n{as_of}", (a.key,)) for a in items]
    shown = items[:limit]
    lines = [f"{i}. {a.line}" for i, a in enumerate(shown, start=1)]
    more = len(items) - len(shown)
    if more:
        lines.append(f"另有 {more} 条，请在 fanzha 看板“待办与超时”页面查看。")
    if kind == "overdue_lead":
        title = f"【{KINDS[kind]}】{unit_name}：{len(items)} 条预警线索超时未处置"
        head = f"{unit_name}有 {len(items)} 条预警线索的处置环节已超时{as_of}："
    else:
        title = f"【{KINDS[kind]}】{len(items)} 项本月过程指标低于考核目标"
        head = f"以下单位本月截至目前的过程指标低于《月考核办法》目标{as_of}："
    return [(title, "\n".join([head, *lines]), tuple(a.key for a in items))]
