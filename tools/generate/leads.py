"""Warning leads (预警线索) and their interceptions (止付记录), with exact per-month quotas."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tools.generate import quotas, timeline

SOURCES_FUND = ("国家反诈大数据平台", "国家反诈大数据平台", "省反诈中心", "市反诈中心", "银行")
SOURCES_OTHER = ("国家反诈大数据平台", "省反诈中心", "市反诈中心", "运营商", "运营商", "群众举报")
BANKS = ("中国工商银行", "中国农业银行", "中国建设银行", "中国银行", "中国邮政储蓄银行", "南和农商银行", "交通银行", "招商银行")


def _choice(options: tuple[str, ...], n: int, rng: np.random.Generator) -> np.ndarray:
    return np.array(options, dtype=object)[rng.integers(0, len(options), n)]


def accounts(n: int, rng: np.random.Generator) -> np.ndarray:
    """19-digit bank card numbers (62… UnionPay style)."""
    head = rng.integers(620_000_000, 629_999_999, n).astype(str)
    tail = rng.integers(0, 10_000_000_000, n)
    return np.char.add(head, np.char.zfill(tail.astype(str), 10)).astype(object)


def fraud_types(ref_types: pd.DataFrame, n: int, rng: np.random.Generator) -> np.ndarray:
    p = ref_types["national_share_pct"].to_numpy(float)
    return ref_types["fraud_type_name"].to_numpy(object)[rng.choice(len(p), n, p=p / p.sum())]


def skeleton(ref_types: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Leads per type and month (exact totals), with issue time, level, source, type and amount at risk."""
    parts = []
    for alert_type, (y0, y1, post) in quotas.LEADS.items():
        trend = -0.16 if alert_type == "资金预警" else -0.08
        counts = np.concatenate([
            timeline.allocate(y0, timeline.noisy(12, rng)),
            timeline.allocate(y1, timeline.noisy(12, rng, trend)),
            # after the model year: the same monthly level, but months differ as real months do
            timeline.allocate(post * len(timeline.POST_MONTHS), timeline.noisy(len(timeline.POST_MONTHS), rng)),
        ])
        parts.append(pd.DataFrame({"alert_type": alert_type, "month": np.repeat(timeline.MONTHS, counts)}))
    alerts = pd.concat(parts, ignore_index=True)
    alerts = alerts.sort_values("month", kind="stable").reset_index(drop=True)
    n = len(alerts)
    months = pd.PeriodIndex(alerts["month"], freq="M")
    alerts["period"] = timeline.period_of(months)
    alerts["month_index"] = (months - timeline.SCENARIO_START).map(lambda d: d.n).to_numpy()
    alerts["issued_at"] = timeline.instants(months, rng, (6, 23))
    fund = (alerts["alert_type"] == "资金预警").to_numpy()
    alerts["risk_level"] = np.where(fund, np.where(rng.random(n) < 0.65, "高", "中"),
                                    _choice(("中", "中", "低", "高"), n, rng))
    alerts["source"] = np.where(fund, _choice(SOURCES_FUND, n, rng), _choice(SOURCES_OTHER, n, rng))
    alerts["fraud_type"] = fraud_types(ref_types, n, rng)
    amount = np.round(rng.lognormal(10.2, 0.9, n) / 100) * 100 + 500
    alerts["amount_at_risk"] = np.where(fund | (rng.random(n) < 0.3), amount, np.nan)
    alerts["counterparty_account"] = np.where(fund, accounts(n, rng), "")
    alerts["age"] = np.clip(np.round(rng.normal(40, 13, n)), 17, 80).astype(int)
    return alerts


def _amounts_with_total(n: int, total: int, rng: np.random.Generator) -> np.ndarray:
    """n amounts (multiples of 100, ≥ 1,000) summing exactly to total."""
    x = rng.lognormal(0.0, 0.9, n)
    v = np.maximum(np.round(x / x.sum() * total / 100) * 100, 1000).astype(np.int64)
    v[np.argmax(v)] += total - v.sum()
    return v


def interceptions(alerts: pd.DataFrame, first_contact: pd.Series, forced: dict[int, int], rng: np.random.Generator) -> pd.DataFrame:
    """Stop-payments on leads. Y1 fund leads: INTERCEPTED_Y1_LEADS of them, summing to INTERCEPTED_Y1,
    stopped in the lead's own month; `forced` fixes the amount of given alert rows (the 井庄村 example)."""
    fund = alerts["alert_type"].eq("资金预警")
    rows, amounts = [], []
    y1 = np.flatnonzero(fund & alerts["period"].eq("Y1"))
    fixed = np.array(list(forced), dtype=int)
    pool = np.setdiff1d(y1, fixed)
    n_free = quotas.INTERCEPTED_Y1_LEADS - len(fixed)
    picked = rng.choice(pool, n_free, replace=False)
    rows += [fixed, picked]
    amounts += [np.array(list(forced.values()), dtype=np.int64),
                _amounts_with_total(n_free, quotas.INTERCEPTED_Y1 - sum(forced.values()), rng)]
    y0 = np.flatnonzero(fund & alerts["period"].eq("Y0"))
    post = np.flatnonzero(fund & alerts["period"].eq("post"))
    other = np.concatenate([
        rng.choice(y0, quotas.INTERCEPTED_Y0_LEADS, replace=False),
        rng.choice(post, min(len(post), quotas.INTERCEPTED_POST_PER_MONTH * len(timeline.POST_MONTHS)), replace=False),
    ])
    rows.append(other)
    amounts.append((np.round(rng.lognormal(9.9, 0.8, len(other)) / 100) * 100 + 1000).astype(np.int64))
    idx = np.concatenate(rows)
    amount = np.concatenate(amounts)
    lead = alerts.iloc[idx]
    n = len(idx)
    is_y1 = lead["period"].eq("Y1").to_numpy()
    method = np.where(is_y1 | lead["period"].eq("post").to_numpy(),
                      np.array(["劝阻拦截", "劝阻拦截", "劝阻拦截", "紧急止付", "冻结"], dtype=object)[rng.integers(0, 5, n)],
                      np.array(["紧急止付", "紧急止付", "冻结"], dtype=object)[rng.integers(0, 3, n)])
    base = first_contact.iloc[idx].fillna(lead["issued_at"]).to_numpy()
    start = np.maximum(base, lead["issued_at"].to_numpy())
    stopped = pd.DatetimeIndex(start) + pd.to_timedelta(rng.integers(4 * 60, 95 * 60, n), unit="s")
    stopped = stopped.where(~is_y1 | (stopped < timeline.month_end(pd.DatetimeIndex(lead["issued_at"]))),
                            pd.DatetimeIndex(lead["issued_at"]) + pd.Timedelta(seconds=40))
    return pd.DataFrame({
        "alert_row": idx,
        "alert_id": lead["alert_id"].to_numpy(),
        "case_id": "",
        "stopped_at": stopped,
        "method": method,
        "amount": amount.astype(float),
        "bank": _choice(BANKS, n, rng),
        "account": lead["counterparty_account"].to_numpy(),
        "police_station": lead["police_station"].to_numpy(),
    })


def case_interceptions(cases: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Stop-payments and returns following reported cases (case_id set, no lead)."""
    sel = np.flatnonzero(rng.random(len(cases)) < 0.09)
    c = cases.iloc[sel]
    n = len(sel)
    stopped = c["reported_at"] + pd.to_timedelta(rng.integers(1800, 6 * 3600, n), unit="s")
    stopped = stopped.where(stopped < pd.Timestamp("2024-06-30 23:59:00"), c["reported_at"])
    return pd.DataFrame({
        "alert_row": -1,
        "alert_id": "",
        "case_id": c["case_id"].to_numpy(),
        "stopped_at": stopped.to_numpy(),
        "method": _choice(("紧急止付", "冻结", "资金返还"), n, rng),
        "amount": np.maximum(np.round(c["loss_amount"].to_numpy() * rng.uniform(0.1, 0.7, n) / 10) * 10, 100.0),
        "bank": _choice(BANKS, n, rng),
        "account": accounts(n, rng),
        "police_station": c["police_station"].to_numpy(),
    })
