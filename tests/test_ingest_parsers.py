"""Property-based tests of the value parsers. The SQL macros are the production path, so the SQL is what is tested:
hypothesis draws a value, renders it the way an export would, and the DuckDB macro must read back the value."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date, datetime, timedelta

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingestion.pii import install_hmac_macro
from ingestion.sqlnorm import COMPOUND_SURNAMES, install_macros
from tests.fixtures.ingest.files import id_check_digit

_CONN = duckdb.connect()
install_macros(_CONN)
# Planning a query with the bigger macros takes tens of milliseconds, so each example is a batch of values
# read by one query (`many`); hypothesis shrinks a failing batch down to the failing value.
batches = settings(max_examples=40, deadline=None)


def sql(expr: str, *params: object) -> object:
    return _CONN.execute(f"SELECT {expr}", list(params)).fetchone()[0]


def many(expr: str, values: list[str]) -> list[object]:
    """`expr` (over `v`) applied to every value, in one query."""
    return _CONN.execute(f"SELECT list_transform($1::VARCHAR[], v -> {expr})", [values]).fetchone()[0]


def lists(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.lists(strategy, min_size=1, max_size=40)


def to_fullwidth(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


# --- datetimes ---------------------------------------------------------------------------------------------------

moments = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2030, 12, 31)).map(
    lambda d: d.replace(microsecond=0)
)
minute_moments = moments.map(lambda d: d.replace(second=0))


TS = "fz_ts(fz_clean(v))"


@batches
@given(lists(moments))
def test_iso_datetime(moments_: list[datetime]) -> None:
    assert many(TS, [m.strftime("%Y-%m-%d %H:%M:%S") for m in moments_]) == moments_


@batches
@given(lists(minute_moments))
def test_slashed_datetime_without_leading_zeros(moments_: list[datetime]) -> None:
    texts = [f"{m.year}/{m.month}/{m.day} {m.hour}:{m.minute:02d}" for m in moments_]
    assert many(TS, texts) == moments_


@batches
@given(lists(minute_moments), st.sampled_from(["", " "]))
def test_chinese_datetime(moments_: list[datetime], gap: str) -> None:
    texts = [f"{m.year}年{m.month}月{m.day}日{gap}{m.hour}时{m.minute}分" for m in moments_]
    assert many(TS, texts) == moments_


@batches
@given(lists(st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31))), st.sampled_from([".", "-", "/"]))
def test_date_only_forms(days: list[date], sep: str) -> None:
    texts = [d.strftime(f"%Y{sep}%m{sep}%d") for d in days]
    assert many(TS, texts) == [datetime(d.year, d.month, d.day) for d in days]


@batches
@given(lists(moments))
def test_excel_serial_dates(moments_: list[datetime]) -> None:
    serials = [repr((m - datetime(1899, 12, 30)) / timedelta(days=1)) for m in moments_]
    assert many(TS, serials) == moments_


@batches
@given(lists(moments))
def test_fullwidth_digits_in_datetimes(moments_: list[datetime]) -> None:
    assert many(TS, [to_fullwidth(m.strftime("%Y-%m-%d %H:%M:%S")) for m in moments_]) == moments_


@pytest.mark.parametrize("text", ["2023-02-30", "2023-13-01", "2023-11-05 25:00", "abc", "2023-11", "11/05/2023"])
def test_impossible_or_unknown_datetimes_are_null(text: str) -> None:
    assert sql("fz_ts(fz_clean($1))", text) is None


# --- money ---------------------------------------------------------------------------------------------------------

cents = st.integers(min_value=0, max_value=10**11)


MONEY = "fz_money(fz_clean(v))"
MONEY_FORMS = ("{:.2f}", "{:,.2f}", "¥{:,.2f}", "￥{:.2f}元", "{:.0f}")


@batches
@given(lists(cents), st.sampled_from(MONEY_FORMS), st.booleans())
def test_plain_and_grouped_amounts(amounts_cents: list[int], form: str, fullwidth: bool) -> None:
    if form == "{:.0f}":
        amounts_cents = [c - c % 100 for c in amounts_cents]
    texts = [form.format(c / 100) for c in amounts_cents]
    texts = [to_fullwidth(t) for t in texts] if fullwidth else texts
    assert many(MONEY, texts) == pytest.approx([c / 100 for c in amounts_cents], abs=0.005)


@batches
@given(lists(st.integers(min_value=0, max_value=10**7)), st.sampled_from(["万", "万元"]))
def test_wan_amounts(amounts: list[int], unit: str) -> None:
    # up to four decimals of 万 = whole yuan
    texts = [f"{a / 10_000:.4f}".rstrip("0").rstrip(".") + unit for a in amounts]
    assert many(MONEY, texts) == pytest.approx(amounts, abs=0.005)


@batches
@given(lists(st.integers(min_value=1, max_value=10**8)))
def test_negative_amounts_parse_as_negative(amounts: list[int]) -> None:
    assert many(MONEY, [f"-{a}" for a in amounts]) == [-a for a in amounts]


@pytest.mark.parametrize("text", ["abc", "1e5", "12.3.4", "万", "¥", "NaN", "inf", "13.2千"])
def test_unreadable_amounts_are_null(text: str) -> None:
    assert sql("fz_money(fz_clean($1))", text) is None


# --- yes / no -----------------------------------------------------------------------------------------------------

YESNO = "fz_yesno(fz_clean(v))"
pads = st.sampled_from(["", " ", "\u3000", "\t"])


@batches
@given(lists(st.tuples(st.sampled_from(["是", "Y", "y", "1", "√", "YES", "true"]), pads)))
def test_yes_forms(forms: list[tuple[str, str]]) -> None:
    assert many(YESNO, [pad + text + pad for text, pad in forms]) == [True] * len(forms)


@batches
@given(lists(st.tuples(st.sampled_from(["否", "N", "n", "0", "×", "no", "FALSE"]), pads)))
def test_no_forms(forms: list[tuple[str, str]]) -> None:
    assert many(YESNO, [pad + text + pad for text, pad in forms]) == [False] * len(forms)


@batches
@given(lists(pads))
def test_blank_is_unknown(texts: list[str]) -> None:
    assert many(YESNO, texts) == [None] * len(texts)


@pytest.mark.parametrize("text", ["也许", "是否", "2", "OK"])
def test_other_yes_no_values_are_null(text: str) -> None:
    assert sql("fz_yesno(fz_clean($1))", text) is None


# --- resident IDs (GB 11643 / ISO 7064 MOD 11-2) -----------------------------------------------------------------

birthdays = st.dates(min_value=date(1920, 1, 1), max_value=date(2015, 12, 31))
ids17 = st.builds(
    lambda area, born, seq: f"{area:06d}{born:%Y%m%d}{seq:03d}",
    st.integers(min_value=110000, max_value=659999), birthdays, st.integers(min_value=0, max_value=999),
)


@batches
@given(lists(ids17))
def test_a_correct_check_digit_is_accepted(firsts: list[str]) -> None:
    ids = [f + id_check_digit(f) for f in firsts]
    assert many("fz_id_ok_format(fz_id(v)) AND fz_id_ok_checksum(fz_id(v))", ids) == [True] * len(ids)


@batches
@given(lists(st.tuples(ids17, st.sampled_from(list("0123456789X")))))
def test_any_other_check_digit_is_refused(pairs: list[tuple[str, str]]) -> None:
    ids = [first + digit for first, digit in pairs if digit != id_check_digit(first)]
    assert many("fz_id_ok_checksum(fz_id(v))", ids) == [False] * len(ids)


@batches
@given(lists(ids17))
def test_birth_date_comes_from_digits_7_to_14(firsts: list[str]) -> None:
    born = [datetime.strptime(f[6:14], "%Y%m%d").date() for f in firsts]
    assert many("fz_id_birth(fz_id(v))", [f + id_check_digit(f) for f in firsts]) == born


def test_the_standards_worked_example() -> None:
    assert sql("fz_id_ok_checksum(fz_id($1))", "11010519491231002x") is True  # lower-case x accepted


# --- names, phones, HMAC -------------------------------------------------------------------------------------------

given_names = st.text(alphabet="娜伟芳敏静丽强磊军洋", min_size=1, max_size=2)


@batches
@given(lists(st.tuples(st.sampled_from(COMPOUND_SURNAMES), given_names)))
def test_compound_surnames_are_kept_whole(names: list[tuple[str, str]]) -> None:
    assert many("fz_mask_name(v)", [s + g for s, g in names]) == [s + "某" for s, _ in names]


@batches
@given(lists(st.tuples(st.sampled_from("王李张刘陈杨赵黄周吴"), given_names)))
def test_single_surnames(names: list[tuple[str, str]]) -> None:
    assert many("fz_mask_name(v)", [s + g for s, g in names]) == [s + "某" for s, _ in names]


@batches
@given(lists(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)), st.sampled_from(["", "+86", "86 ", "+86 "]))
def test_phones_are_normalised_and_masked(phones: list[str], prefix: str) -> None:
    spaced = [f"{prefix}{p[:3]} {p[3:7]}-{p[7:]}" for p in phones]
    assert many("fz_phone(fz_clean(v))", spaced) == phones
    assert many("fz_mask_phone(fz_phone(fz_clean(v)))", spaced) == [f"{p[:3]}****{p[7:]}" for p in phones]


@batches
@given(st.binary(min_size=32, max_size=100), lists(st.text(min_size=0, max_size=40)))
def test_sql_hmac_equals_pythons_hmac(key: bytes, messages: list[str]) -> None:
    conn = duckdb.connect()
    install_hmac_macro(conn, key)
    expected = [hmac.new(key, m.encode("utf-8"), hashlib.sha256).hexdigest() for m in messages]
    assert conn.execute("SELECT list_transform($1::VARCHAR[], v -> fz_hmac(v))", [messages]).fetchone()[0] == expected
