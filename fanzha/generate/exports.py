"""One district's records -> its export files (one per feed per month) and their manifest entries."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from fanzha.generate import defects as D
from fanzha.generate import timeline
from fanzha.generate.district import DistrictData
from fanzha.generate.feeds import KEY, STEMS, TIME, TITLES
from fanzha.generate.render import YESNO, FileStyle, choose_style, headers, render
from fanzha.generate.writers import write_csv, write_xlsx

FEED_ORDER = ("alerts", "contacts", "interceptions", "cases", "activities")


@dataclass(frozen=True)
class Options:
    out: Path
    months: pd.PeriodIndex
    seed: int
    defect_rate: float
    xlsx_share: float


def canonical(data: DistrictData) -> dict[str, pd.DataFrame]:
    """Each feed's records with the export month they belong to and township/village columns (codes)."""
    frames = {
        "alerts": data.alerts.assign(township=data.alerts["township_code"], village=data.alerts["village_code"]),
        "contacts": data.contacts.copy(),
        "interceptions": data.interceptions.copy(),
        "cases": data.cases.assign(township=data.cases["township_code"], village=data.cases["village_code"]),
        "activities": data.activities.copy(),
    }
    for feed, frame in frames.items():
        frame["file_month"] = pd.DatetimeIndex(frame[TIME[feed]]).to_period("M")
        frame["_role"] = "normal"
        frame["_note"] = ""
        frame["_wrong"] = ""
    return frames


def plan_cross_file(frames: dict[str, pd.DataFrame], data: DistrictData, rate: float, rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    """Defects spanning files: late lead exports, contacts before issue, overlaps, corrected re-exports."""
    if rate <= 0:
        return {}
    al, ct = frames["alerts"], frames["contacts"]
    protected_alerts = al["alert_id"].isin(data.protected["alerts"]).to_numpy()
    last = timeline.SCENARIO_END
    issued = pd.DatetimeIndex(al["issued_at"])
    contact_same_month = al["alert_id"].isin(ct.loc[ct["file_month"] == ct["alert_id"].map(
        dict(zip(al["alert_id"], al["file_month"], strict=True))), "alert_id"])
    late = np.flatnonzero((issued.day == issued.days_in_month) & ~protected_alerts & (al["file_month"] < last).to_numpy()
                          & contact_same_month.to_numpy())
    moved = rng.choice(late, min(len(late), max(1, round(rate * len(al) * 0.1))), replace=False)
    al.loc[moved, "file_month"] = al.loc[moved, "file_month"] + 1
    al.loc[moved, "_note"] = "exported_late"
    moved_ids = set(al.loc[moved, "alert_id"])
    ct.loc[ct["alert_id"].isin(moved_ids) & (ct["file_month"] < ct["alert_id"].map(dict(zip(al["alert_id"], al["file_month"], strict=True)))), "_note"] = "contact_before_lead"

    lead_issued = ct["alert_id"].map(dict(zip(al["alert_id"], al["issued_at"], strict=True)))
    ok = (ct["action_kind"].eq("首次劝阻") & ~ct["action_id"].isin(data.protected["contacts"]) & ct["_note"].eq("")
          & (pd.DatetimeIndex(lead_issued).day >= 2) & ~ct["alert_id"].isin(moved_ids))
    early = rng.choice(np.flatnonzero(ok), max(1, round(rate * len(ct) * 0.05)), replace=False)
    ct.loc[early, "action_at"] = lead_issued.iloc[early] - pd.to_timedelta(rng.integers(60, 600, len(early)), unit="s")
    ct.loc[early, "_note"] = "contact_before_issued"

    free = np.flatnonzero(~protected_alerts & al["_note"].eq("").to_numpy() & (al["file_month"] < last).to_numpy())
    dup_rows = rng.choice(free, max(1, round(rate * len(al) * 0.3)), replace=False)
    dups = al.loc[dup_rows].copy()
    dups["file_month"] = dups["file_month"] + 1
    dups["_role"] = "dup"
    al.loc[dup_rows, "_note"] = "duplicated_later"
    frames["alerts"] = pd.concat([al, dups], ignore_index=True)

    corrections = {}
    for feed, n in (("alerts", 0.04), ("cases", 0.1), ("contacts", 0.04)):
        f = frames[feed]
        ok = f["_role"].eq("normal") & f["_note"].eq("") & ~f[KEY[feed]].isin(data.protected.get(feed, set()))
        if feed == "cases":
            ok &= ~f["id_number"].isin(data.protected["persons"])
        month = rng.choice(f.loc[ok, "file_month"].unique())
        rows = rng.choice(np.flatnonzero(ok & f["file_month"].eq(month)), max(2, round(rate * len(f) * n / 3)), replace=False)
        corrections[feed] = f.loc[rows].copy()
        if feed == "alerts":
            has_amount = f.loc[rows, "amount_at_risk"].notna()
            f.loc[rows[has_amount.to_numpy()], "amount_at_risk"] *= 10
            f.loc[rows[has_amount.to_numpy()], "_wrong"] = "amount_at_risk"
            f.loc[rows[~has_amount.to_numpy()], "risk_level"] = "低"
            f.loc[rows[~has_amount.to_numpy()], "_wrong"] = "risk_level"
        elif feed == "cases":
            f.loc[rows, "loss_amount"] = f.loc[rows, "loss_amount"] + 1000
            f.loc[rows, "_wrong"] = "loss_amount"
        else:
            f.loc[rows, "outcome"] = np.where(f.loc[rows, "outcome"].eq("劝阻成功"), "拒不配合", "劝阻成功")
            f.loc[rows, "_wrong"] = "outcome"
    return corrections


class DistrictWriter:
    def __init__(self, data: DistrictData, opts: Options) -> None:
        self.data, self.opts = data, opts
        geo = data.geo
        self.names = {"township": dict(zip(geo.townships["township_code"], geo.townships["township_name"], strict=True)),
                      "village": dict(zip(geo.villages["village_code"], geo.villages["village_name"], strict=True))}
        self.unknown_township = geo.code + "109" if geo.is_clone else "南河镇"
        self.files: list[dict] = []
        self.defects: list[dict] = []
        self.extra_seq = {f: 0 for f in FEED_ORDER}
        self.kind_cycle = {f: 0 for f in FEED_ORDER}
        self.extra_cycle = {f: 0 for f in FEED_ORDER}

    def file_name(self, feed: str, month: pd.Period, style: FileStyle, revision: bool = False) -> str:
        geo = self.data.geo
        stem = STEMS[feed][0 if style.name_language == "zh" else 1]
        prefix = f"{geo.code}_" if geo.is_clone else ""
        suffix = ("_更正" if style.name_language == "zh" else "_rev2") if revision else ""
        return f"{prefix}{stem}_{month.strftime('%Y-%m')}{suffix}.{style.format}"

    def run(self) -> None:
        data, opts = self.data, self.opts
        frames = canonical(data)
        plan_rng = np.random.default_rng([opts.seed, data.geo.index, 7])
        corrections = plan_cross_file(frames, data, opts.defect_rate, plan_rng)
        for fi, feed in enumerate(FEED_ORDER):
            frame = frames[feed]
            groups = dict(tuple(frame.groupby("file_month", sort=True)))
            for month in opts.months:
                rng = np.random.default_rng([opts.seed, data.geo.index, fi, month.year, month.month])
                rows = groups.get(month, frame.iloc[:0])
                self.write_file(feed, month, rows, rng)
                fix = corrections.get(feed)
                if fix is not None and len(fix) and fix["file_month"].iloc[0] == month:
                    self.write_file(feed, month, fix.assign(_role="correction"), rng, revision=True)

    def _extras(self, feed: str, rows: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
        source = rows[rows["_role"].eq("normal")]
        if n == 0 or source.empty:
            return rows.iloc[:0]
        extra = source.iloc[rng.integers(0, len(source), n)].copy()
        key = KEY[feed]
        seq = self.extra_seq[feed]
        extra[key] = [f"{v[:-6]}9{seq + i:05d}" for i, v in enumerate(extra[key])]
        self.extra_seq[feed] += n
        if feed in ("alerts", "cases"):
            spare = self.data.spare.iloc[rng.integers(0, len(self.data.spare), n)]
            for col in ("name", "id_number", "phone", "gender", "occupation", "employer"):
                extra[col] = spare[col].to_numpy()
        kinds = EXTRA = D.EXTRA_DEFECTS[feed]
        picks = [kinds[(self.extra_cycle[feed] + i) % len(EXTRA)] for i in range(n)]
        self.extra_cycle[feed] += n
        extra["_role"] = "extra"
        extra["_note"] = [f"{field}|{kind}" for field, kind in picks]
        return extra

    def write_file(self, feed: str, month: pd.Period, rows: pd.DataFrame, rng: np.random.Generator, revision: bool = False) -> None:
        opts = self.opts
        style = choose_style(rng, self.data.geo.is_clone, opts.xlsx_share)
        n_defects, n_extra = D.counts(len(rows), opts.defect_rate, rng) if not revision else (0, 0)
        rows = pd.concat([rows, self._extras(feed, rows, n_extra, rng)])
        rows = rows.sort_values(TIME[feed], kind="stable").reset_index(drop=True)
        cells = render(feed, rows, style, self.names)
        name = self.file_name(feed, month, style, revision)
        self._inject(feed, name, rows, cells, style, n_defects, rng)
        header = headers(feed, style, rng)
        path = opts.out / name
        if style.format == "xlsx":
            titles = [f"{self.data.geo.name}{TITLES[feed]} {month.year}年{month.month}月"][: style.title_rows]
            if style.title_rows == 2:
                titles.append(f"导出时间：{(month + 1).strftime('%Y-%m')}-01 08:30  共{len(cells)}条")
            write_xlsx(path, header, cells, style, feed, titles)
        else:
            write_csv(path, header, cells, style)
        self.files.append({"file": name, "feed": feed, "district_code": self.data.geo.code, "month": str(month),
                           "encoding": style.encoding or None, "format": style.format,
                           "header_language": style.header_language, "rows": len(cells),
                           "title_rows": style.title_rows, "trailing_empty_rows": style.trailing_empty,
                           "date_cells": style.date_cells, "numbers_as_text": style.numbers_as_text,
                           "revision": revision})

    def _record(self, name: str, row: int, field: str, kind: str, expected: str, **extra: object) -> None:
        self.defects.append({"file": name, "row": int(row), "field": field, "kind": kind, "expected": expected, **extra})

    def _inject(self, feed: str, name: str, rows: pd.DataFrame, cells: pd.DataFrame, style: FileStyle, n_defects: int,
                rng: np.random.Generator) -> None:
        role, note, wrong = rows["_role"].to_numpy(), rows["_note"].to_numpy(), rows["_wrong"].to_numpy()
        for i in np.flatnonzero(role == "extra"):
            field, kind = note[i].split("|")
            cells.at[i, field] = D.extra_defect(kind, field, rows.at[i, field], self.unknown_township, rng.random())
            self._record(name, i + 1, field, kind, "quarantine", reason_code=kind)
        for i in np.flatnonzero(role == "dup"):
            self._record(name, i + 1, KEY[feed], "overlapping_export", "duplicate")
        for i in np.flatnonzero(wrong != ""):
            self._record(name, i + 1, wrong[i], "corrected_reexport", "supersede", note="a later _更正/_rev2 file carries the correct value")
        for i in np.flatnonzero(np.isin(note, ("contact_before_lead", "contact_before_issued"))):
            self._record(name, i + 1, "alert_id" if note[i] == "contact_before_lead" else "action_at", note[i], "normalise",
                         note="lands as is; the lead arrives in a later file" if note[i] == "contact_before_lead"
                         else "lands as is; minutes to first contact count as 0")
        if n_defects == 0:
            return
        protected = rows[KEY[feed]].isin(self.data.protected.get(feed, set())).to_numpy()
        persons = rows["id_number"].isin(self.data.protected["persons"]).to_numpy() if "id_number" in rows else np.zeros(len(rows), bool)
        ok = np.flatnonzero((role == "normal") & (note == "") & (wrong == "") & ~protected)
        kinds = D.ROW_DEFECTS[feed]
        yes_no = YESNO[style.yesno]
        for i in rng.permutation(ok)[:n_defects]:
            field, kind, expected = kinds[self.kind_cycle[feed] % len(kinds)]
            self.kind_cycle[feed] += 1
            if expected == "flag" and persons[i]:
                continue
            text = D.row_defect(kind, cells.at[i, field], rows.at[i, field], yes_no, style.encoding == "gbk", rng.random())
            if text is None:
                continue
            cells.at[i, field] = text
            self._record(name, i + 1, field, kind, expected)
