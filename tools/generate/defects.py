"""The spec's mess, injected into rendered cells, each recorded for manifest.json.

Row defects (normalise / flag) alter a real record's cell so that a correct reader recovers the same value
(or flags it); quarantine defects are EXTRA rows with new ids, so calibrated records are never lost.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

FULLWIDTH = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")

# feed -> (field, kind, expected)
ROW_DEFECTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "alerts": (("id_number", "id_bad_checksum", "flag"), ("phone", "phone_bad_length", "flag"),
               ("phone", "fullwidth_digits", "normalise"), ("amount_at_risk", "amount_wan", "normalise"),
               ("amount_at_risk", "amount_currency", "normalise"), ("amount_at_risk", "fullwidth_digits", "normalise"),
               ("issued_at", "datetime_format", "normalise"), ("name", "whitespace", "normalise"),
               ("employer", "whitespace", "normalise"), ("township", "whitespace", "normalise"),
               ("id_number", "no_contact_key", "flag"), ("village", "unknown_village", "flag"),
               ("occupation", "unmapped_occupation", "flag"), ("fraud_type", "unmapped_fraud_type", "flag")),
    "contacts": (("action_at", "datetime_format", "normalise"), ("police_present", "yesno_variant", "normalise"),
                 ("facts_clear", "yesno_variant", "normalise"), ("handling_unit", "whitespace", "normalise"),
                 ("outcome", "whitespace", "normalise")),
    "interceptions": (("amount", "amount_wan", "normalise"), ("amount", "amount_currency", "normalise"),
                      ("amount", "fullwidth_digits", "normalise"), ("stopped_at", "datetime_format", "normalise"),
                      ("bank", "whitespace", "normalise")),
    "cases": (("id_number", "id_bad_checksum", "flag"), ("phone", "phone_bad_length", "flag"),
              ("loss_amount", "amount_wan", "normalise"), ("loss_amount", "amount_currency", "normalise"),
              ("loss_amount", "fullwidth_digits", "normalise"), ("occurred_at", "datetime_format", "normalise"),
              ("reported_at", "datetime_format", "normalise"), ("name", "whitespace", "normalise"),
              ("village", "whitespace", "normalise"), ("occupation", "unmapped_occupation", "flag"),
              ("fraud_type", "unmapped_fraud_type", "flag")),
    "activities": (("activity_date", "datetime_format", "normalise"), ("unit", "whitespace", "normalise"),
                   ("participants", "fullwidth_digits", "normalise")),
}
# feed -> (field, kind = reason_code)
EXTRA_DEFECTS: dict[str, tuple[tuple[str, str], ...]] = {
    "alerts": (("amount_at_risk", "negative_amount"), ("issued_at", "bad_datetime"), ("issued_at", "future_datetime"),
               ("township", "unknown_township"), ("issued_at", "missing_required"), ("alert_type", "bad_enum")),
    "contacts": (("action_at", "bad_datetime"), ("action_at", "future_datetime"), ("outcome", "missing_required"),
                 ("method", "bad_enum")),
    "interceptions": (("amount", "negative_amount"), ("amount", "bad_amount"), ("stopped_at", "bad_datetime"),
                      ("amount", "missing_required"), ("stopped_at", "future_datetime")),
    "cases": (("loss_amount", "negative_amount"), ("township", "unknown_township"), ("occurred_at", "future_datetime"),
              ("reported_at", "bad_datetime"), ("loss_amount", "missing_required"), ("loss_amount", "bad_amount")),
    "activities": (("participants", "bad_integer"), ("unit", "missing_required"), ("activity_date", "bad_datetime"),
                   ("activity_kind", "bad_enum")),
}
BAD_ENUM = {"alert_type": "资金告警", "method": "微信", "activity_kind": "其他活动"}
BAD_DATETIMES = ("2023-02-30 25:61:00", "待补录", "0000-00-00", "2023年13月5日")
ALT_DATETIME = ("%Y/{m}/{d} %H:%M", "%Y年{m}月{d}日 %H时%M分", "%Y.%m.%d", "%Y-%m-%d")
YES_FORMS, NO_FORMS = ("是", "Y", "1", "√", "y"), ("否", "N", "0", "n")


def wan(value: float) -> str:
    return f"{(Decimal(int(round(value))) / Decimal(10000)).normalize():f}"


def row_defect(kind: str, cell: str, value: object, yes_no: tuple[str, str], gbk: bool, u: float) -> str | None:
    """The corrupted text of one cell, or None when the defect does not apply to this cell."""
    if cell.strip() == "" and kind not in ("yesno_variant",):
        return None
    if kind == "id_bad_checksum":
        if len(cell) != 18:
            return None
        alt = "0123456789X".replace(cell[-1], "")
        return cell[:-1] + alt[int(u * len(alt))]
    if kind == "phone_bad_length":
        return cell[:-1] if len(cell) == 11 else None
    if kind == "no_contact_key":
        return ""  # the caller blanks the phone too
    if kind == "unknown_village":
        return ("新建村", "东风村", "开发区社区")[int(u * 3)]
    if kind == "unmapped_occupation":
        return ("程序员", "主播", "快递员", "网约车司机")[int(u * 4)]
    if kind == "unmapped_fraud_type":
        return ("其它诈骗", "虚拟货币", "兼职诈骗")[int(u * 3)]
    if kind == "fullwidth_digits":
        return cell.translate(FULLWIDTH)
    if kind == "amount_wan":
        v = float(value)
        return None if v < 1000 else wan(v) + ("万" if u < 0.5 else "万元")
    if kind == "amount_currency":
        return ("￥" if gbk or u < 0.3 else "¥") + f"{float(value):,.2f}"
    if kind == "datetime_format":
        ts = pd.Timestamp(value)
        fmt = ALT_DATETIME[int(u * len(ALT_DATETIME))].format(m=ts.month, d=ts.day)
        return ts.strftime(fmt)
    if kind == "whitespace":
        return ("\u3000" + cell) if u < 0.3 else (f" {cell}  " if u < 0.7 else f"{cell}\u3000")
    if kind == "yesno_variant":
        truth = bool(value)
        forms = [f for f in (YES_FORMS if truth else NO_FORMS) if f not in yes_no]
        return forms[int(u * len(forms))]
    raise ValueError(kind)


def extra_defect(kind: str, field: str, value: object, unknown_township: str, u: float) -> str:
    """The quarantine-bound text of a cell in an extra row."""
    if kind == "negative_amount":
        amount = float(value) if value is not None and not pd.isna(value) else 500.0
        return f"-{max(int(amount), 100)}" if u < 0.5 else "-500"
    if kind == "bad_amount":
        return ("约五千元", "13.2.0", "待核实")[int(u * 3)]
    if kind == "bad_datetime":
        return BAD_DATETIMES[int(u * len(BAD_DATETIMES))]
    if kind == "future_datetime":
        ts = pd.Timestamp(value)
        return ts.replace(year=2035, day=min(ts.day, 28)).strftime("%Y-%m-%d %H:%M:%S")
    if kind == "unknown_township":
        return unknown_township
    if kind == "missing_required":
        return ""
    if kind == "bad_enum":
        return BAD_ENUM[field]
    if kind == "bad_integer":
        return ("若干", "十几", "约30人")[int(u * 3)]
    raise ValueError(kind)


def counts(n_rows: int, rate: float, rng: np.random.Generator) -> tuple[int, int]:
    """How many row defects and extra (quarantine) rows a file of n_rows gets."""
    if rate <= 0 or n_rows == 0:
        return 0, 0
    return int(rng.binomial(n_rows, min(rate * 0.75, 1.0))), int(rng.binomial(n_rows, min(rate * 0.25, 1.0)))
