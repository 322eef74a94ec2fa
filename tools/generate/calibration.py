"""The ten figures of calibration.md, computed from merged export tables (pure functions) and the report."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from tools.calibration_targets import TARGETS, Target, within

Y0 = (pd.Timestamp("2022-03-01"), pd.Timestamp("2023-03-01"))
Y1 = (pd.Timestamp("2023-03-01"), pd.Timestamp("2024-03-01"))
_W = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
_CHECK = "10X98765432"
JINGZHUANG = {"井庄村", "130506101201"}


def in_period(ts: pd.Series, period: tuple[pd.Timestamp, pd.Timestamp]) -> pd.Series:
    return (ts >= period[0]) & (ts < period[1])


def valid_id(id_number: pd.Series) -> pd.Series:
    """The ID upper-cased when it has 18 characters and a correct GB 11643 check digit, else ''."""
    ids = id_number.fillna("").astype(str).str.upper()
    shaped = ids.str.fullmatch(r"\d{17}[\dX]")
    out = pd.Series("", index=ids.index, dtype=object)
    if shaped.any():
        digits = np.array([list(s[:17]) for s in ids[shaped]], dtype=int)
        check = np.array(list(_CHECK))[(digits @ _W) % 11]
        good = check == ids[shaped].str[17].to_numpy()
        out.loc[ids[shaped].index[good]] = ids[shaped][good]
    return out


def valid_phone(phone: pd.Series) -> pd.Series:
    p = phone.fillna("").astype(str)
    return p.where(p.str.fullmatch(r"1\d{10}"), "")


def fund_leads_change(alerts: pd.DataFrame) -> float:
    fund = alerts[alerts["alert_type"].eq("资金预警")]
    y0, y1 = in_period(fund["issued_at"], Y0).sum(), in_period(fund["issued_at"], Y1).sum()
    return (y1 / y0 - 1) * 100


def loss_change(cases: pd.DataFrame) -> float:
    y0 = cases.loc[in_period(cases["occurred_at"], Y0), "loss_amount"].sum()
    y1 = cases.loc[in_period(cases["occurred_at"], Y1), "loss_amount"].sum()
    return (y1 / y0 - 1) * 100


def calibrated_cases(cases: pd.DataFrame) -> pd.DataFrame:
    return cases[(cases["occurred_at"] >= Y0[0]) & (cases["occurred_at"] < Y1[1])]


def loss_bands(cases: pd.DataFrame) -> tuple[list[float], list[float]]:
    """(share of cases in %, loss in 万元) for <1万, 1万–5万, ≥5万 over Y0+Y1."""
    c = calibrated_cases(cases)
    band = pd.cut(c["loss_amount"], [0, 10_000, 50_000, np.inf], right=False, labels=False)
    counts = band.value_counts().reindex(range(3), fill_value=0)
    losses = c.groupby(band)["loss_amount"].sum().reindex(range(3), fill_value=0)
    return list(counts / counts.sum() * 100), list(losses / 10_000)


def victims_20_50(cases: pd.DataFrame) -> float:
    """Share (%) of Y0+Y1 cases whose victim was 20-50 at occurrence (age from a valid ID, else 年龄)."""
    c = calibrated_cases(cases)
    ids = valid_id(c["id_number"])
    has = ids != ""
    birth = pd.to_datetime(ids[has].str[6:14], format="%Y%m%d", errors="coerce")
    occ = c.loc[has, "occurred_at"]
    before = (occ.dt.month * 100 + occ.dt.day) < (birth.dt.month * 100 + birth.dt.day)
    age = pd.to_numeric(c["age"], errors="coerce").astype(float)
    age.loc[has] = (occ.dt.year - birth.dt.year - before.astype(int)).astype(float)
    return float(age.between(20, 50).mean() * 100)


def face_to_face_y1(alerts: pd.DataFrame, contacts: pd.DataFrame) -> float:
    fund = alerts[alerts["alert_type"].eq("资金预警") & in_period(alerts["issued_at"], Y1)]
    face = contacts["method"].isin(["上门见面", "警示室"]) | contacts["face_to_face"].eq(True)
    met = set(contacts.loc[face, "alert_id"])
    return float(fund["alert_id"].isin(met).mean() * 100) if len(fund) else 0.0


def intercepted_y1(alerts: pd.DataFrame, interceptions: pd.DataFrame) -> float:
    """万元 stopped in Y1 on leads issued in Y1."""
    y1_leads = set(alerts.loc[in_period(alerts["issued_at"], Y1), "alert_id"])
    sel = in_period(interceptions["stopped_at"], Y1) & interceptions["alert_id"].isin(y1_leads)
    return float(interceptions.loc[sel, "amount"].sum() / 10_000)


def _same_person_pairs(left: pd.DataFrame, right: pd.DataFrame) -> pd.DataFrame:
    """Rows of left × right that are the same person: the same valid ID, or the same valid phone."""
    pairs = []
    for key in ("_id", "_phone"):
        lhs, rhs = left[left[key] != ""], right[right[key] != ""]
        pairs.append(lhs.merge(rhs, on=key, suffixes=("", "_r")))
    return pd.concat(pairs, ignore_index=True)


def _people(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(_id=valid_id(frame["id_number"]), _phone=valid_phone(frame["phone"]))


def post_warning_cases(alerts: pd.DataFrame, cases: pd.DataFrame) -> pd.DataFrame:
    """Cases whose victim was the target of any lead issued in the 365 days before the case occurred."""
    c = _people(cases)[["case_id", "occurred_at", "_id", "_phone"]]
    a = _people(alerts)[["alert_id", "issued_at", "_id", "_phone"]]
    p = _same_person_pairs(c, a)
    hit = (p["issued_at"] < p["occurred_at"]) & (p["issued_at"] >= p["occurred_at"] - pd.Timedelta(days=365))
    return cases[cases["case_id"].isin(set(p.loc[hit, "case_id"]))]


def repeat_victim_cases(cases: pd.DataFrame) -> pd.DataFrame:
    c = _people(cases)[["case_id", "occurred_at", "_id", "_phone"]]
    p = _same_person_pairs(c, c)
    hit = (p["case_id"] != p["case_id_r"]) & (p["occurred_at_r"] < p["occurred_at"])
    return cases[cases["case_id"].isin(set(p.loc[hit, "case_id"]))]


def jingzhuang_example(alerts: pd.DataFrame, contacts: pd.DataFrame, interceptions: pd.DataFrame) -> float:
    """Amount of the 2023-11 interception on a 井庄村 (贾宋镇) fund lead for 赵…, contacted by all four parties."""
    nov = interceptions[(interceptions["stopped_at"] >= "2023-11-01") & (interceptions["stopped_at"] < "2023-12-01")
                        & interceptions["method"].eq("劝阻拦截")]
    leads = alerts[alerts["alert_type"].eq("资金预警") & alerts["village"].isin(JINGZHUANG)
                   & alerts["township"].isin({"贾宋镇", "130506101"}) & alerts["name"].str.startswith("赵")]
    parties = ["police_present", "leader_present", "grid_worker_present", "relative_present"]
    four = contacts.assign(**{p: contacts[p].eq(True) for p in parties}).groupby("alert_id")[parties].any().all(axis=1)
    ok = nov["alert_id"].isin(set(leads["alert_id"])) & nov["alert_id"].map(four).fillna(False).astype(bool)
    return float(nov.loc[ok, "amount"].max()) if ok.any() else 0.0


def compute(frames: dict[str, pd.DataFrame]) -> list[tuple[Target, float]]:
    alerts, contacts, cases = frames["alerts"], frames["contacts"], frames["cases"]
    interceptions = frames["interceptions"]
    shares, losses = loss_bands(cases)
    post = post_warning_cases(alerts, cases)
    y1_months = pd.period_range("2023-03", "2024-02", freq="M")
    post_y1 = post[in_period(post["occurred_at"], Y1)]
    worst_y1_month = post_y1["occurred_at"].dt.to_period("M").value_counts().reindex(y1_months, fill_value=0).max()
    repeat = repeat_victim_cases(cases)
    values = [
        fund_leads_change(alerts), loss_change(cases), *shares, *losses, victims_20_50(cases),
        face_to_face_y1(alerts, contacts), intercepted_y1(alerts, interceptions), float(worst_y1_month),
        float(in_period(post["occurred_at"], Y0).sum()), float(in_period(repeat["occurred_at"], Y0).sum()),
        jingzhuang_example(alerts, contacts, interceptions),
    ]
    return list(zip(TARGETS, values, strict=True))


def report_for_folder(folder: Path, district_prefix: str | None = None) -> list[tuple[Target, float]]:
    from tools.generate.plain_reader import read_folder

    return compute(read_folder(folder, district_prefix).frames)


def format_report(results: list[tuple[Target, float]]) -> tuple[list[str], bool]:
    lines = ["南和区 calibration report (calibration.md), computed from the written files", ""]
    ok_all = True
    for target, value in results:
        ok = within(target, value)
        ok_all &= ok
        goal = f"{target.target:g}" if target.target is not None else "—"
        lines.append(f"{'✓' if ok else '✗'} {target.number:>2}. {target.name:<48} {value:>12.2f}   target {goal:>8}  ({target.rule})")
    lines += ["", "all ten figures within tolerance" if ok_all else "SOME FIGURES OUT OF TOLERANCE"]
    return lines, ok_all
