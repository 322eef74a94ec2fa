"""One district's records -> its export files (one per feed per month) and their manifest entries."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from tools.generate import defects as D
from tools.generate import timeline
from tools.generate.district import DistrictData
from tools.generate.feeds import KEY, STEMS, TIME, TITLES
from tools.generate.render import YESNO, FileStyle, choose_style, headers, legacy_style, render
from tools.generate.writers import csv_lines, write_csv, write_html, write_xls, write_xlsx

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
    al.loc[al["alert_id"].isin(set(ct.loc[early, "alert_id"])), "_note"] = "has_early_contact"  # keep its issued_at exact

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
            no_amount = rows[~has_amount.to_numpy()]
            f.loc[no_amount, "risk_level"] = np.where(f.loc[no_amount, "risk_level"].eq("低"), "高", "低")
            f.loc[rows[~has_amount.to_numpy()], "_wrong"] = "risk_level"
        elif feed == "cases":
            f.loc[rows, "loss_amount"] = f.loc[rows, "loss_amount"] + 1000
            f.loc[rows, "_wrong"] = "loss_amount"
        else:
            f.loc[rows, "outcome"] = np.where(f.loc[rows, "outcome"].eq("劝阻成功"), "拒不配合", "劝阻成功")
            f.loc[rows, "_wrong"] = "outcome"
    return corrections


class DistrictWriter:
    """Writes one district's files. Rendering and defect selection work on a whole feed at once;
    only the final write is per file."""

    def __init__(self, data: DistrictData, opts: Options) -> None:
        self.data, self.opts = data, opts
        geo = data.geo
        self.names = {"township": dict(zip(geo.townships["township_code"], geo.townships["township_name"], strict=True)),
                      "village": dict(zip(geo.villages["village_code"], geo.villages["village_name"], strict=True))}
        self.unknown_township = geo.code + "109" if geo.is_clone else "南河镇"
        self.files: list[dict] = []
        self.defects: list[dict] = []

    def file_name(self, feed: str, month: pd.Period, style: FileStyle, revision: bool = False) -> str:
        geo = self.data.geo
        stem = STEMS[feed][0 if style.name_language == "zh" else 1]
        prefix = f"{geo.code}_" if geo.is_clone else ""
        suffix = ("_更正" if style.name_language == "zh" else "_rev2") if revision else ""
        return f"{prefix}{stem}_{month.strftime('%Y-%m')}{suffix}.{style.suffix or style.format}"

    def run(self) -> None:
        data, opts = self.data, self.opts
        frames = canonical(data)
        plan_rng = np.random.default_rng([opts.seed, data.geo.index, 7])
        corrections = plan_cross_file(frames, data, opts.defect_rate, plan_rng)
        for fi, feed in enumerate(FEED_ORDER):
            rng = np.random.default_rng([opts.seed, data.geo.index, fi])
            self.write_feed(feed, frames[feed], rng)
            fix = corrections.get(feed)
            if fix is not None and len(fix) and fix["file_month"].iloc[0] in opts.months:
                self.write_feed(feed, fix.assign(_role="correction"), rng, revision=True)

    def _extras(self, feed: str, rows: pd.DataFrame, per_month: pd.Series, rng: np.random.Generator) -> pd.DataFrame:
        """Quarantine-bound extra rows: copies of real rows with new ids and one invalid cell."""
        n = int(per_month.sum())
        source = rows[rows["_role"].eq("normal")]
        if n == 0 or source.empty:
            return rows.iloc[:0]
        picks = []
        by_month = source.groupby("file_month").indices
        for month, count in per_month[per_month > 0].items():
            idx = by_month.get(month)
            if idx is not None:
                picks.append(idx[rng.integers(0, len(idx), count)])
        extra = source.iloc[np.concatenate(picks)].copy() if picks else source.iloc[:0].copy()
        key = KEY[feed]
        extra[key] = extra[key].str.slice(0, -6) + "9" + pd.Series(np.arange(len(extra)), index=extra.index).astype(str).str.zfill(5)
        if feed in ("alerts", "cases"):
            spare = self.data.spare.iloc[rng.integers(0, len(self.data.spare), len(extra))]
            for col in ("name", "id_number", "phone", "gender", "occupation", "employer"):
                extra[col] = spare[col].to_numpy()
        kinds = D.EXTRA_DEFECTS[feed]
        extra["_role"] = "extra"
        extra["_note"] = [f"{kinds[i % len(kinds)][0]}|{kinds[i % len(kinds)][1]}" for i in range(len(extra))]
        return extra

    def write_feed(self, feed: str, frame: pd.DataFrame, rng: np.random.Generator, revision: bool = False) -> None:
        opts, geo = self.opts, self.data.geo
        frame = frame[frame["file_month"].isin(opts.months)]
        months = [m for m in opts.months if (frame["file_month"] == m).any()] if revision else list(opts.months)
        styles = {m: choose_style(np.random.default_rng([opts.seed, geo.index, FEED_ORDER.index(feed), m.year, m.month,
                                                         int(revision)]), geo.is_clone, opts.xlsx_share) for m in months}
        styles = {m: legacy_style(style, FEED_ORDER.index(feed), list(opts.months).index(m), geo.is_clone)
                  for m, style in styles.items()}
        sizes = frame.groupby("file_month").size().reindex(months, fill_value=0)
        if revision or opts.defect_rate <= 0:
            n_defects = pd.Series(0, index=sizes.index)
            n_extra = n_defects
        else:
            n_defects = pd.Series(rng.binomial(sizes.to_numpy(), min(opts.defect_rate * 0.75, 1.0)), index=sizes.index)
            n_extra = pd.Series(rng.binomial(sizes.to_numpy(), min(opts.defect_rate * 0.25, 1.0)), index=sizes.index)
        rows = pd.concat([frame, self._extras(feed, frame, n_extra, rng)])
        rows = rows.sort_values(["file_month", TIME[feed]], kind="stable").reset_index(drop=True)
        month_pos = {m: i for i, m in enumerate(months)}
        style_of_row = rows["file_month"].map(month_pos).to_numpy(int)
        cells = render(feed, rows, [styles[m] for m in months], style_of_row, self.names)
        row_no = rows.groupby("file_month").cumcount().to_numpy() + 1
        names = {m: self.file_name(feed, m, styles[m], revision) for m in months}
        file_of_row = np.array([names[m] for m in months], dtype=object)[style_of_row] if len(rows) else np.array([], object)
        self._inject(feed, rows, cells, row_no, file_of_row, style_of_row, [styles[m] for m in months], n_defects, rng)
        csv_rows = np.array([styles[m].format == "csv" for m in months])[style_of_row] if len(rows) else np.zeros(0, bool)
        lines = np.empty(len(rows), dtype=object)
        lines[csv_rows] = csv_lines(cells[csv_rows])
        bounds = np.searchsorted(style_of_row, np.arange(len(months) + 1))
        for i, month in enumerate(months):
            style, lo, hi = styles[month], bounds[i], bounds[i + 1]
            header = headers(feed, style, np.random.default_rng([opts.seed, geo.index, FEED_ORDER.index(feed), i, int(revision), 11]))
            path = opts.out / names[month]
            if style.format != "csv":
                titles = [f"{geo.name}{TITLES[feed]} {month.year}年{month.month}月"][: style.title_rows]
                if style.title_rows == 2:
                    titles.append(f"导出时间：{(month + 1).strftime('%Y-%m')}-01 08:30  共{hi - lo}条")
                writer = {"xlsx": write_xlsx, "xls": write_xls, "html": write_html}[style.format]
                writer(path, header, cells.iloc[lo:hi].reset_index(drop=True), style, feed, titles)
            else:
                write_csv(path, header, lines[lo:hi], style)
            self.files.append({"file": names[month], "feed": feed, "district_code": geo.code, "month": str(month),
                               "encoding": style.encoding or None, "format": style.format,
                               "header_language": style.header_language, "rows": int(hi - lo),
                               "title_rows": style.title_rows, "trailing_empty_rows": style.trailing_empty,
                               "date_cells": style.date_cells, "numbers_as_text": style.numbers_as_text,
                               "revision": revision})

    def _record(self, name: str, row: int, field: str, kind: str, expected: str, **extra: object) -> None:
        self.defects.append({"file": name, "row": int(row), "field": field, "kind": kind, "expected": expected, **extra})

    def _inject(self, feed: str, rows: pd.DataFrame, cells: pd.DataFrame, row_no: np.ndarray, file_of_row: np.ndarray,
                style_of_row: np.ndarray, styles: list[FileStyle], n_defects: pd.Series, rng: np.random.Generator) -> None:
        role, note, wrong = rows["_role"].to_numpy(), rows["_note"].to_numpy(), rows["_wrong"].to_numpy()
        col = {key: j for j, key in enumerate(cells.columns)}
        for i in np.flatnonzero(role == "extra"):
            field, kind = note[i].split("|")
            cells.iat[i, col[field]] = D.extra_defect(kind, field, rows.at[i, field], self.unknown_township, rng.random())
            self._record(file_of_row[i], row_no[i], field, kind, "quarantine", reason_code=kind)
        for i in np.flatnonzero(role == "dup"):
            self._record(file_of_row[i], row_no[i], KEY[feed], "overlapping_export", "duplicate")
        for i in np.flatnonzero(wrong != ""):
            self._record(file_of_row[i], row_no[i], wrong[i], "corrected_reexport", "supersede",
                         note="a later _更正/_rev2 file carries the correct value")
        for i in np.flatnonzero(np.isin(note, ("contact_before_lead", "contact_before_issued"))):
            before_lead = note[i] == "contact_before_lead"
            self._record(file_of_row[i], row_no[i], "alert_id" if before_lead else "action_at", note[i], "normalise",
                         note="lands as is; the lead arrives in a later file" if before_lead
                         else "lands as is; minutes to first contact count as 0")
        if int(n_defects.sum()) == 0:
            return
        protected = rows[KEY[feed]].isin(self.data.protected.get(feed, set())).to_numpy()
        persons = (rows["id_number"].isin(self.data.protected["persons"]).to_numpy() if "id_number" in rows
                   else np.zeros(len(rows), bool))
        ok = (role == "normal") & (note == "") & (wrong == "") & ~protected
        chosen = []
        for m_i, count in enumerate(n_defects.to_numpy()):
            cand = np.flatnonzero(ok & (style_of_row == m_i))
            if count and len(cand):
                chosen.append(rng.choice(cand, min(count, len(cand)), replace=False))
        kinds = D.ROW_DEFECTS[feed]
        for c, i in enumerate(np.concatenate(chosen) if chosen else []):
            field, kind, expected = kinds[c % len(kinds)]
            if expected == "flag" and persons[i]:
                continue
            style = styles[style_of_row[i]]
            text = D.row_defect(kind, cells.iat[i, col[field]], rows.at[i, field], YESNO[style.yesno],
                                style.encoding == "gbk", rng.random())
            if text is not None:
                cells.iat[i, col[field]] = text
                if kind == "no_contact_key":
                    cells.iat[i, col["phone"]] = ""
                self._record(file_of_row[i], row_no[i], field, kind, expected,
                             **({"flag": kind} if expected == "flag" else {}))
