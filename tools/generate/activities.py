"""The units' work log (工作台账): trainings, publicity, warning education, supervision per township and
member unit per month — more in better-run units and once the model is in force."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tools.generate import timeline

KINDS = ("反诈培训", "反诈宣传", "警示教育", "督导检查")
BASE = np.array([0.8, 2.0, 0.7, 0.5])  # per unit per month before the model


def build(units: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """`units`: unit (as written in the export), quality (0.5–1), size (relative weight)."""
    months = timeline.MONTHS
    n_months = len(months)
    month_index = np.arange(n_months)
    boost = np.where(month_index < 12, 1.0, 1.8 + 0.6 * np.clip((month_index - 12) / 11, 0, 1))
    lam = (units["quality"].to_numpy()[:, None, None] * units["size"].to_numpy()[:, None, None]
           * boost[None, :, None] * BASE[None, None, :])
    counts = rng.poisson(lam)
    u, mo, kd = np.nonzero(counts >= 0)
    reps = counts.ravel()
    u, mo, kd = np.repeat(u, reps), np.repeat(mo, reps), np.repeat(kd, reps)
    month = months[mo]
    day = (rng.random(len(u)) * month.days_in_month.to_numpy()).astype(int)
    date = month.to_timestamp(how="start") + pd.to_timedelta(day, unit="D")
    participants = np.where(np.array(KINDS, dtype=object)[kd] == "督导检查", rng.integers(3, 15, len(u)),
                            rng.integers(15, 260, len(u)))
    frame = pd.DataFrame({
        "activity_date": date,
        "unit": units["unit"].to_numpy(object)[u],
        "activity_kind": np.array(KINDS, dtype=object)[kd],
        "participants": participants,
    })
    return frame.sort_values("activity_date", kind="stable").reset_index(drop=True)
