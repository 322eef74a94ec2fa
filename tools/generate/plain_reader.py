"""A deliberately plain reader of the export files, for the calibration report and its tests.

It knows only the spec (../shared/spec/source-exports.md) and the reference seeds, never the generator's
internals or the ingestion package: it decodes each file with the spec's encodings, finds the header row,
normalises the spec's value forms, drops rows the spec says are invalid, and merges overlapping and
corrected exports with the later file winning.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from fanzha.core.paths import SEEDS_DIR

SPEC_HEADERS: dict[str, dict[str, str]] = {
    "alerts": {"线索编号": "alert_id", "下发时间": "issued_at", "预警级别": "risk_level", "预警类型": "alert_type",
               "线索来源": "source", "姓名": "name", "身份证号": "id_number", "手机号": "phone", "性别": "gender",
               "年龄": "age", "职业": "occupation", "工作单位": "employer", "乡镇": "township", "村(社区)": "village",
               "涉诈类型": "fraud_type", "预警金额": "amount_at_risk", "对方账户": "counterparty_account",
               "责任派出所": "police_station"},
    "contacts": {"记录编号": "action_id", "线索编号": "alert_id", "劝阻时间": "action_at", "劝阻类别": "action_kind",
                 "劝阻方式": "method", "是否见面": "face_to_face", "公安干警参与": "police_present",
                 "乡镇(单位)负责人参与": "leader_present", "网格员(单位主管)参与": "grid_worker_present",
                 "近亲属参与": "relative_present", "三必问两告知": "checklist_done", "被骗事实摸清": "facts_clear",
                 "现实状况摸清": "situation_clear", "政策形势讲清": "policy_explained", "劝阻结果": "outcome",
                 "断网断卡": "cut_off", "处置单位": "handling_unit"},
    "interceptions": {"止付编号": "interception_id", "线索编号": "alert_id", "案件编号": "case_id", "止付时间": "stopped_at",
                      "止付类型": "method", "止付金额": "amount", "开户银行": "bank", "账户": "account",
                      "责任派出所": "police_station"},
    "cases": {"案件编号": "case_id", "报案时间": "reported_at", "发案时间": "occurred_at", "受害人姓名": "name",
              "身份证号": "id_number", "手机号": "phone", "性别": "gender", "年龄": "age", "职业": "occupation",
              "工作单位": "employer", "乡镇": "township", "村(社区)": "village", "涉诈类型": "fraud_type",
              "损失金额": "loss_amount", "挽损金额": "recovered_amount", "受理派出所": "police_station"},
    "activities": {"记录编号": "activity_id", "日期": "activity_date", "单位": "unit", "活动类型": "activity_kind",
                   "参与人数": "participants"},
}
KEYS = {"alerts": "alert_id", "contacts": "action_id", "interceptions": "interception_id", "cases": "case_id",
        "activities": "activity_id"}
REQUIRED = {
    "alerts": ("alert_id", "issued_at", "alert_type", "township"),
    "contacts": ("action_id", "alert_id", "action_at", "action_kind", "method", "outcome"),
    "interceptions": ("interception_id", "stopped_at", "method", "amount"),
    "cases": ("case_id", "reported_at", "occurred_at", "township", "loss_amount"),
    "activities": ("activity_id", "activity_date", "unit", "activity_kind"),
}
ENUMS = {
    ("alerts", "alert_type"): {"资金预警", "电话预警", "APP预警", "短信预警", "其他"},
    ("contacts", "action_kind"): {"首次劝阻", "回访", "提级劝阻"},
    ("contacts", "method"): {"电话", "短信", "上门见面", "警示室", "视频"},
    ("contacts", "outcome"): {"劝阻成功", "已被骗", "拒不配合", "无法联系", "误报"},
    ("interceptions", "method"): {"紧急止付", "冻结", "劝阻拦截", "资金返还"},
    ("activities", "activity_kind"): {"反诈培训", "反诈宣传", "警示教育", "督导检查"},
}
DATETIMES = {"issued_at", "action_at", "stopped_at", "reported_at", "occurred_at", "activity_date"}
MONEY = {"amount_at_risk", "amount", "loss_amount", "recovered_amount"}
YESNO = {"face_to_face", "police_present", "leader_present", "grid_worker_present", "relative_present", "checklist_done",
         "facts_clear", "situation_clear", "policy_explained", "cut_off"}
INTEGERS = {"age", "participants"}
_DATE_RE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:时](\d{1,2})(?:[:分](\d{1,2}))?秒?分?)?")
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def clean(value: object) -> str:
    """NFKC (full-width digits, spaces and brackets to half-width) and trimmed; None/NaN to ''."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def header_key(cell: object) -> str:
    return re.sub(r"\s+", "", clean(cell))


def parse_datetime(value: object) -> pd.Timestamp | None:
    if isinstance(value, dt.datetime | pd.Timestamp):
        return pd.Timestamp(value)
    if isinstance(value, int | float) and not pd.isna(value):
        return pd.Timestamp(_EXCEL_EPOCH + dt.timedelta(days=float(value))).round("s")
    m = _DATE_RE.fullmatch(clean(value))
    if not m:
        return None
    parts = [int(p) if p else 0 for p in m.groups()]
    try:
        return pd.Timestamp(dt.datetime(*parts))
    except ValueError:
        return None


def parse_money(value: object) -> float | None:
    if isinstance(value, int | float) and not pd.isna(value):
        return float(value)
    text = clean(value).replace(",", "").replace("¥", "").replace("元", "")
    factor = 1.0
    if text.endswith("万"):
        text, factor = text[:-1], 10000.0
    try:
        return round(float(text) * factor, 2)
    except ValueError:
        return None


def parse_yesno(value: object) -> bool | None:
    text = clean(value).upper()
    if text in ("是", "Y", "1", "√", "TRUE"):
        return True
    if text in ("否", "N", "0", "FALSE"):
        return False
    return None


def decode_rows(path: Path) -> list[list[object]]:
    """All rows of a file's first sheet (XLSX, XLS), of its first HTML table, or of its CSV text (UTF-8, UTF-8 BOM
    or GBK/GB18030). The format comes from the bytes: web exports are HTML tables named .xls."""
    raw = path.read_bytes()
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        frame = pd.read_excel(io.BytesIO(raw), header=None, dtype=object, engine="calamine")
        return frame.astype(object).where(frame.notna(), None).values.tolist()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")
    if text.lstrip().startswith("<"):
        frame = pd.read_html(io.StringIO(text), header=None, keep_default_na=False, thousands=None)[0]
        return frame.astype(str).values.tolist()
    return [list(r) for r in csv.reader(io.StringIO(text))]


def find_header(rows: list[list[object]]) -> tuple[str, int, list[str | None]]:
    """(feed, header row index, key per column) — the first row within the top ten that names a feed."""
    for i, row in enumerate(rows[:10]):
        cells = [header_key(c) for c in row]
        best, best_hits, best_keys = "", 0, []
        for feed, names in SPEC_HEADERS.items():
            keys_of = {**{h: k for h, k in names.items()}, **{k.lower(): k for k in names.values()}}
            keys = [keys_of.get(c, keys_of.get(c.lower())) for c in cells]
            hits = sum(k is not None for k in keys)
            if hits > best_hits and hits >= len(names) * 0.8:
                best, best_hits, best_keys = feed, hits, keys
        if best:
            return best, i, best_keys
    raise ValueError(f"{rows[:3]!r}: no feed header found")


@dataclass
class FileTable:
    path: Path
    feed: str
    frame: pd.DataFrame  # one row per data row, columns = spec keys, raw cells
    header_row: int


def read_file(path: Path) -> FileTable:
    rows = decode_rows(path)
    feed, h, keys = find_header(rows)
    body = [r for r in rows[h + 1:] if any(clean(c) for c in r)]
    cols = {k: [r[j] if j < len(r) else None for r in body] for j, k in enumerate(keys) if k}
    return FileTable(path, feed, pd.DataFrame(cols, dtype=object), h)


def export_order(path: Path) -> tuple[str, int, str]:
    m = re.search(r"(\d{4}-\d{2})", path.name)
    revision = 1 if re.search(r"(_更正|_rev\d+)\.", path.name) else 0
    return (m.group(1) if m else "", revision, path.name)


@dataclass
class Tables:
    frames: dict[str, pd.DataFrame]
    dropped: dict[str, int] = field(default_factory=dict)


def _townships() -> set[str]:
    t = pd.read_csv(SEEDS_DIR / "townships.csv", dtype=str)
    d = pd.read_csv(SEEDS_DIR / "districts.csv", dtype=str)
    codes = {dc + tc[6:] for dc in d["district_code"] for tc in t["township_code"]}
    return set(t["township_name"]) | codes


def normalise(feed: str, frame: pd.DataFrame, townships: set[str], now: pd.Timestamp) -> tuple[pd.DataFrame, pd.Series]:
    """Typed values and a validity mask (False = the spec sends the row to quarantine)."""
    out = pd.DataFrame(index=frame.index)
    valid = pd.Series(True, index=frame.index)
    for col in frame.columns:
        raw = frame[col]
        present = raw.map(clean) != ""
        if col in DATETIMES:
            values = raw.map(parse_datetime)
            valid &= ~present | (values.notna() & (values.map(lambda t: t is not None and t <= now)))
            out[col] = pd.to_datetime(values)
        elif col in MONEY:
            values = raw.map(parse_money)
            valid &= ~present | (values.notna() & (values.fillna(0) >= 0))
            out[col] = values.astype(float)
        elif col in YESNO:
            out[col] = raw.map(parse_yesno)
        elif col in INTEGERS:
            values = pd.to_numeric(raw.map(clean), errors="coerce")
            valid &= ~present | values.notna()
            out[col] = values
        else:
            out[col] = raw.map(clean)
        if col in REQUIRED[feed]:
            valid &= present
        if (feed, col) in ENUMS:
            valid &= ~present | out[col].isin(ENUMS[(feed, col)])
        if col == "township":
            valid &= out[col].isin(townships)
    return out, valid


def read_folder(folder: Path, district_prefix: str | None = None) -> Tables:
    """Every export in folder (only Nanhe's when district_prefix is None, else that clone's), merged per feed."""
    paths = sorted((p for p in folder.iterdir() if p.suffix.lower() in (".csv", ".xlsx", ".xls", ".htm", ".html")),
                   key=export_order)
    if district_prefix is None:
        paths = [p for p in paths if not re.match(r"\d{6}_", p.name)]
    else:
        paths = [p for p in paths if p.name.startswith(f"{district_prefix}_")]
    townships, now = _townships(), pd.Timestamp.now()
    parts: dict[str, list[pd.DataFrame]] = {f: [] for f in SPEC_HEADERS}
    dropped = dict.fromkeys(SPEC_HEADERS, 0)
    for order, path in enumerate(paths):
        table = read_file(path)
        typed, valid = normalise(table.feed, table.frame, townships, now)
        dropped[table.feed] += int((~valid).sum())
        parts[table.feed].append(typed[valid].assign(_order=order, _file=path.name))
    frames = {}
    for feed, chunks in parts.items():
        merged = pd.concat(chunks, ignore_index=True) if chunks else pd.DataFrame(columns=list(SPEC_HEADERS[feed].values()))
        if len(merged):
            merged = merged.sort_values("_order", kind="stable").drop_duplicates(KEYS[feed], keep="last")
        frames[feed] = merged.reset_index(drop=True)
    return Tables(frames, dropped)
