"""Dissuasion contacts (劝阻记录). Y0: mostly a phone call by the police alone. From Y1 every fund lead is
met face to face; 4+1 participation, 三清, checklist and speed rise as the mechanism beds in and with
each township's quality factor."""

from __future__ import annotations

import numpy as np
import pandas as pd

FLAGS = ("police_present", "leader_present", "grid_worker_present", "relative_present", "checklist_done",
         "facts_clear", "situation_clear", "policy_explained", "cut_off")


def maturity(month_index: np.ndarray) -> np.ndarray:
    """0 before the model; rising from 0.35 to 0.95 through Y1; 0.95 afterwards."""
    m = 0.35 + 0.6 * (month_index - 12) / 11
    return np.where(month_index < 12, 0.0, np.clip(m, 0.35, 0.95))


def _pick(options: tuple[str, ...], p: tuple[float, ...], n: int, rng: np.random.Generator) -> np.ndarray:
    return np.array(options, dtype=object)[rng.choice(len(options), n, p=np.array(p) / sum(p))]


def build(alerts: pd.DataFrame, quality: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """Contacts for the leads; `quality` is each lead's township quality factor (0.5–1)."""
    n = len(alerts)
    fund = alerts["alert_type"].eq("资金预警").to_numpy()
    model = alerts["month_index"].to_numpy() >= 12
    m = maturity(alerts["month_index"].to_numpy())
    good = np.where(model, np.clip(0.3 + 0.7 * m * quality, 0, 0.99), 0.2)  # chance a practice is followed
    issued = pd.DatetimeIndex(alerts["issued_at"])

    contacted = np.where(model, rng.random(n) < (np.where(fund, 1.0, 0.97)), rng.random(n) < 0.92)
    # first contact
    fast = rng.random(n) < np.where(model & fund, 0.45 + 0.5 * m * quality, np.where(model, 0.5, 0.15))
    delay = np.where(fast, rng.integers(3 * 60, 59 * 60, n), rng.integers(61 * 60, 16 * 3600, n))
    c1_method = np.where(
        model & fund, _pick(("电话", "上门见面"), (0.7, 0.3), n, rng),
        np.where(model, _pick(("电话", "短信", "上门见面"), (0.85, 0.1, 0.05), n, rng),
                 _pick(("电话", "短信", "上门见面"), (0.9, 0.05, 0.05), n, rng)))
    y0_outcome = _pick(("劝阻成功", "无法联系", "拒不配合", "误报", "已被骗"), (0.7, 0.12, 0.08, 0.06, 0.04), n, rng)
    y1_outcome = _pick(("劝阻成功", "误报", "拒不配合", "无法联系"), (0.9, 0.05, 0.04, 0.01), n, rng)
    c1 = pd.DataFrame({
        "alert_row": np.arange(n),
        "action_at": issued + pd.to_timedelta(delay, unit="s"),
        "action_kind": "首次劝阻",
        "method": c1_method,
        "outcome": np.where(model, y1_outcome, y0_outcome),
        "good": good,
        "four": np.where(model & fund, good, 0.05),
    })[contacted]
    # face-to-face visit: every model-year fund lead not met at the first contact; some Y0 fund leads
    c1_face = np.isin(c1_method, ("上门见面", "警示室"))
    visit = contacted & ((model & fund & ~c1_face) | (~model & fund & (rng.random(n) < 0.1)))
    c2 = pd.DataFrame({
        "alert_row": np.arange(n),
        "action_at": issued + pd.to_timedelta(delay + rng.integers(20 * 60, 5 * 3600, n), unit="s"),
        "action_kind": np.where(rng.random(n) < 0.3, "提级劝阻", "回访"),
        "method": _pick(("上门见面", "警示室"), (0.8, 0.2), n, rng),
        "outcome": "劝阻成功",
        "good": good,
        "four": np.where(model, good, 0.1),
    })[visit]
    c2.loc[c2["method"].eq("警示室"), "action_kind"] = "提级劝阻"
    # follow-up visit days later
    follow = contacted & fund & (rng.random(n) < np.where(model, 0.3 + 0.65 * m * quality, 0.1))
    c3 = pd.DataFrame({
        "alert_row": np.arange(n),
        "action_at": issued + pd.to_timedelta(delay + rng.integers(86400, 10 * 86400, n), unit="s"),
        "action_kind": "回访",
        "method": _pick(("电话", "上门见面", "视频"), (0.5, 0.4, 0.1), n, rng),
        "outcome": "劝阻成功",
        "good": good,
        "four": np.where(model, good * 0.6, 0.05),
    })[follow]
    contacts = pd.concat([c1, c2, c3], ignore_index=True)
    k = len(contacts)
    face = np.isin(contacts["method"].to_numpy(), ("上门见面", "警示室"))
    p_four = np.where(face, contacts["four"].to_numpy(), 0.03)
    p_good = contacts["good"].to_numpy()
    team = face & (rng.random(k) < p_four)  # the whole 4+1 team came; otherwise each party on its own
    contacts["police_present"] = team | (rng.random(k) < np.where(face, 0.95, 0.93))
    contacts["leader_present"] = team | (rng.random(k) < p_four * 0.5)
    contacts["grid_worker_present"] = team | (rng.random(k) < np.where(face, np.maximum(p_four, 0.3), 0.05))
    contacts["relative_present"] = team | (rng.random(k) < p_four * 0.5)
    contacts["checklist_done"] = rng.random(k) < np.maximum(p_good, 0.2)
    for flag in ("facts_clear", "situation_clear", "policy_explained"):
        contacts[flag] = rng.random(k) < np.maximum(p_good * np.where(face, 1.0, 0.7), 0.12)
    contacts["cut_off"] = contacts["outcome"].eq("拒不配合").to_numpy() & (rng.random(k) < 0.7)
    contacts["face_to_face"] = face
    return contacts.drop(columns=["good", "four"])
