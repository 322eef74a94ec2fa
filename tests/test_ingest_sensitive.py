"""The sensitive-pattern scanner (ingestion/sensitive.py): resident IDs, mobile numbers and bank card numbers in free
text. The SQL macros (every text column at the door) and the Python function (names, messages, logs, console) are
one rule: both are tested on the same drawn texts, and must agree.

The generators below build valid values independently of the code under test (GB 11643 check digit, Luhn digit).
"""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingestion.sensitive import MASKS, mask_text, scan
from ingestion.sqlnorm import install_macros
from tests.fixtures.ingest.files import id_check_digit

_CONN = duckdb.connect()
install_macros(_CONN)
batches = settings(max_examples=40, deadline=None)


def sql_scan(texts: list[str]) -> list[tuple[str, list[str]]]:
    """fz_pii_scan over every text, in one query."""
    rows = _CONN.execute("SELECT list_transform($1::VARCHAR[], v -> fz_pii_scan(v))", [texts]).fetchone()[0]
    return [(r["masked"], r["kinds"]) for r in rows]


def luhn_digit(body: str) -> str:
    """The digit that makes body + digit pass Luhn (written out independently of the code under test)."""
    total = 0
    for i, ch in enumerate(reversed(body)):  # the check digit will sit at position 0 from the right
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


# --- what is sensitive -------------------------------------------------------------------------------------------

births = st.dates(min_value=date(1920, 1, 1), max_value=date(2023, 12, 31))
areas = st.from_regex(r"[1-8][0-9]{5}", fullmatch=True)
resident_ids = st.builds(lambda a, b, s: a + b.strftime("%Y%m%d") + s, areas, births,
                         st.from_regex(r"[0-9]{3}", fullmatch=True)).map(lambda f17: f17 + id_check_digit(f17))
# a mistyped check digit: an ID all the same
mistyped_ids = st.tuples(resident_ids, st.sampled_from("0123456789X")).filter(lambda p: p[0][-1] != p[1]).map(
    lambda p: p[0][:-1] + p[1])
old_ids = st.builds(lambda a, b, s: a + b.strftime("%y%m%d") + s, areas, births,
                    st.from_regex(r"[0-9]{3}", fullmatch=True))
mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
phone_forms = st.tuples(mobiles, st.sampled_from(["{}", "+86{}", "+86 {}", "86-{}", "{0} {1} {2}", "{0}-{1}-{2}",
                                                  "+86 {0} {1} {2}"])).map(
    lambda p: p[1].format(p[0], p[0][:3], p[0][3:7], p[0][7:]) if "{0}" in p[1] else p[1].format(p[0]))
card_bodies = st.tuples(st.sampled_from(["62", "4", "5", "3"]), st.integers(16, 19)).flatmap(
    lambda p: st.from_regex(rf"{p[0]}[0-9]{{{p[1] - len(p[0]) - 1}}}", fullmatch=True))
cards = card_bodies.map(lambda b: b + luhn_digit(b))
card_forms = st.tuples(cards, st.booleans()).map(
    lambda p: " ".join(p[0][i:i + 4] for i in range(0, len(p[0]), 4)) if p[1] and len(p[0]) == 16 else p[0])
# text around them: Chinese characters and punctuation (no ASCII letters or digits touching the number)
chinese = st.text(alphabet=st.sampled_from("井庄村贾宋镇和阳南区工作单位备注电话卡号身份证，。：（）、 "), max_size=8)


def embedded(values: st.SearchStrategy) -> st.SearchStrategy:
    return st.tuples(chinese, values, chinese).map(lambda p: (p[0] + p[1] + p[2], p[1]))


@pytest.mark.parametrize(("values", "kinds"), [
    (resident_ids, {"id"}), (mistyped_ids, {"id", "card"}), (old_ids, {"id"}), (phone_forms, {"phone"}),
    (card_forms, {"card", "id"}),
], ids=["id", "mistyped-id", "old-id", "phone", "card"])
def test_no_false_negative_in_chinese_text(values: st.SearchStrategy, kinds: set[str]) -> None:
    @batches
    @given(st.lists(embedded(values), min_size=1, max_size=30))
    def check(pairs: list[tuple[str, str]]) -> None:
        texts = [t for t, _ in pairs]
        for (text, value), (masked, found), (sql_masked, sql_found) in zip(pairs, map(scan, texts), sql_scan(texts),
                                                                           strict=True):
            digits = "".join(ch for ch in value if ch.isdigit())
            assert digits not in "".join(ch for ch in masked if ch.isdigit()), (text, masked)
            assert found and set(found) <= kinds, (text, found)
            assert (sql_masked, sql_found) == (masked, found), text

    check()


@batches
@given(st.lists(embedded(cards.filter(lambda c: len(c) != 18)), min_size=1, max_size=30))
def test_cards_of_16_17_and_19_digits_are_cards(pairs: list[tuple[str, str]]) -> None:
    assert all(scan(text)[1] == ["card"] for text, _ in pairs)


# --- what is not -------------------------------------------------------------------------------------------------

amounts = st.one_of(
    st.integers(0, 9_999_999_999).map(str),  # up to ten digits: 99.9 亿元
    st.decimals(min_value=0, max_value=99_999_999, places=2).map(lambda d: f"{d:,.2f}"),
    st.decimals(min_value=0, max_value=9_999, places=2).map(lambda d: f"{d}万元"),
    st.integers(0, 9_999_999).map(lambda n: f"¥{n:,}"),
)
moments = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2099, 12, 31))
dates = st.one_of(
    moments.map(lambda d: d.strftime("%Y-%m-%d %H:%M:%S")), moments.map(lambda d: d.strftime("%Y%m%d")),
    moments.map(lambda d: d.strftime("%Y%m%d%H%M%S")), moments.map(lambda d: f"{d.year}年{d.month}月{d.day}日"),
    st.floats(20000, 99999).map(lambda f: f"{f:.6f}"),  # an Excel serial date
)
# record numbers as the systems write them: a prefix, the 6-digit district, the date and a sequence
record_numbers = st.tuples(st.sampled_from(["YJ", "AJ", "QZ", "ZF", "TZ"]), st.dates(date(2020, 1, 1)),
                           st.integers(0, 999_999)).map(lambda p: f"{p[0]}130506{p[1]:%Y%m%d}{p[2]:06d}")
division_codes = st.one_of(st.just("130506101"), st.just("130506101203"),
                           st.from_regex(r"[1-8][0-9]{8}", fullmatch=True),
                           st.from_regex(r"[1-8][0-9]{11}", fullmatch=True))
ordinary = st.one_of(amounts, dates, record_numbers, division_codes)


@batches
@given(st.lists(embedded(ordinary), min_size=1, max_size=30))
def test_amounts_dates_record_numbers_and_division_codes_are_left_alone(pairs: list[tuple[str, str]]) -> None:
    texts = [t for t, _ in pairs]
    assert [scan(t) for t in texts] == [(t, []) for t in texts]
    assert sql_scan(texts) == [(t, []) for t in texts]


# --- worked examples ---------------------------------------------------------------------------------------------

ID_1990 = "13050619900307123" + id_check_digit("13050619900307123")


@pytest.mark.parametrize(("text", "masked", "kinds"), [
    (f"井庄村{ID_1990}", "井庄村[身份证号已脱敏]", ["id"]),
    ("联系电话：138 1234 5678（本人）", "联系电话：[手机号已脱敏]（本人）", ["phone"]),
    ("+86-138-1234-5678", "[手机号已脱敏]", ["phone"]),
    ("电话138\n1234\t5678", "电话[手机号已脱敏]", ["phone"]),  # a cell's line break between the groups
    ("卡号6222 0200 0000 1234,户名张三", "卡号[银行卡号已脱敏],户名张三", ["card"]),
    ("11010519491231002x号", "[身份证号已脱敏]号", ["id"]),
    ("旧证130506900307123", "旧证[身份证号已脱敏]", ["id"]),
    (f"ID:{ID_1990}, tel 13812341234", "ID:[身份证号已脱敏], tel [手机号已脱敏]", ["id", "phone"]),
    ("１３８１２３４１２３４", "[手机号已脱敏]", ["phone"]),  # full-width digits are digits (Python side)
    ("YJ13050620231105000001", "YJ13050620231105000001", []),  # a record number: letters and digits, one token
    ("Tel13812341234", "Tel13812341234", []),  # glued to letters: one token, not a number on its own
    ("130506101 130506101203 132,000.00元 2023-11-05 14:23:11", None, []),
])
def test_worked_examples(text: str, masked: str | None, kinds: list[str]) -> None:
    assert scan(text) == (masked or text, kinds)
    assert mask_text(text) == (masked or text)
    if text.isascii() or "１" not in text:  # SQL sees cells after their full-width forms became half-width
        assert sql_scan([text]) == [(masked or text, kinds)]


def test_masks_are_readable_labels() -> None:
    assert MASKS == {"id": "[身份证号已脱敏]", "phone": "[手机号已脱敏]", "card": "[银行卡号已脱敏]"}


def test_a_date_shaped_18_digit_number_that_passes_luhn_is_a_card() -> None:
    body = "62220219900307125"  # digits 7-14 read as 1990-03-07, but it is a UnionPay card number
    card = body + luhn_digit(body)
    assert card != body + id_check_digit(body)  # not a valid resident ID
    assert scan(f"卡{card}") == ("卡[银行卡号已脱敏]", ["card"])
    assert sql_scan([f"卡{card}"]) == [("卡[银行卡号已脱敏]", ["card"])]


def test_null_and_blank() -> None:
    assert scan("") == ("", [])
    assert sql_scan(["", "  "]) == [("", []), ("  ", [])]
    assert _CONN.execute("SELECT fz_pii_mask(NULL), fz_pii_scan(NULL).kinds").fetchone() == (None, [])
