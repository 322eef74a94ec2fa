"""Personal data where it does not belong: resident IDs, mobile numbers and bank card numbers in free text.

One rule, written twice from the same patterns: as DuckDB macros (`install_pii_macros`; every text column that
is not already pseudonymised is scanned at the door, in SQL) and as `mask_text` in Python (file names, messages,
log lines and console output: text that never goes through SQL). tests/test_ingest_sensitive.py checks that the
two agree.

The text is cut into tokens (TOKEN_PATTERN): a number written in groups (`138 1234 5678`, `+86-138-1234-5678`,
`6222 0200 1234 5678`, `130506 19900307 1230`), a run of ASCII letters and digits, or anything else. A token is
sensitive by its digits alone (DIGITS_KINDS):

- `id`: 17 digits + a digit or X (the 18-character resident ID), when the GB 11643 check digit is right, or it
  ends in X, or its digits 7–14 are a date and the number fails the Luhn check a card would pass (with or
  without a valid check digit: a mistyped ID is still an ID); 15 digits whose digits 7–12 are a date (old IDs);
- `card`: any other 16–19 digits (bank cards; Luhn decides only between ID and card for 18 digits: a mistyped
  card number fails Luhn and is still a card number);
- `phone`: 11 digits starting 13–19, also after 86 / +86.

A number glued to ASCII letters is part of a longer token and left alone, so record numbers (`YJ1305062023…`),
hashes and codes are never masked; so are amounts, dates and 9- or 12-digit division codes (no rule matches
them). A sensitive token becomes `[身份证号已脱敏]`, `[手机号已脱敏]` or `[银行卡号已脱敏]`, keeping the rest of
the field readable: `井庄村130506199003071230` -> `井庄村[身份证号已脱敏]`.
"""

from __future__ import annotations

import re

import duckdb

from fanzha.core.sql import literal

MASKS = {"id": "[身份证号已脱敏]", "phone": "[手机号已脱敏]", "card": "[银行卡号已脱敏]"}
_MASK_PATTERN = r"\[(身份证号|手机号|银行卡号)已脱敏\]"

_END = r"(?:[^0-9A-Za-z]|$)"  # a grouped number ends where letters and digits do (one such character is taken)
_SEP = r"[ \t\r\n-]"  # between groups of digits: a space, tab, line break or dash
TOKEN_PATTERN = "|".join((
    rf"(?:\+?86{_SEP}?)?1[3-9][0-9](?:{_SEP}?[0-9]{{4}}){{2}}{_END}",  # mobile, possibly grouped, +86
    rf"[0-9]{{4}}(?:{_SEP}[0-9]{{4}}){{3}}(?:{_SEP}?[0-9]{{1,3}})?{_END}",  # card in groups of four
    rf"[0-9]{{6}}{_SEP}[0-9]{{8}}{_SEP}[0-9]{{3}}[0-9Xx]{_END}",  # resident ID as area / birth date / rest
    r"[0-9A-Za-z]+",
    r"[^0-9A-Za-z+]+",
    r"\+",
))
# Every sensitive form holds 11 digits in a row or a digit, a separator and 4 digits: text without either is not
# examined further (most cells; also 9-digit codes, amounts and dates).
PREFILTER = rf"[0-9]{{11}}|[0-9]{_SEP}[0-9]{{4}}"
_DATE8 = r"(18|19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])"
_DATE6 = r"[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])"
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

_TOKEN = re.compile(TOKEN_PATTERN)
_PREFILTER = re.compile(PREFILTER)
_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]")
# full-width forms and the ideographic space, one character for one: spans in the mapped text are spans in the text
_FULLWIDTH = {**{cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}, 0x3000: 0x20}


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d // 10 + d % 10
    return total % 10 == 0


def _id_check_ok(number: str) -> bool:
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def digits_kind(digits: str) -> str | None:
    """The kind of a token's letters and digits (separators and +, spaces, dashes removed), or None."""
    if re.fullmatch(r"[0-9]{17}[0-9Xx]", digits):
        if digits[17] in "Xx" or _id_check_ok(digits):
            return "id"
        return "id" if re.fullmatch(_DATE8, digits[6:14]) and not _luhn(digits) else "card"
    if re.fullmatch(r"[0-9]{15}", digits):
        return "id" if re.fullmatch(_DATE6, digits[6:12]) else None
    if re.fullmatch(r"[0-9]{16,19}", digits):
        return "card"
    if re.fullmatch(r"(86)?1[3-9][0-9]{9}", digits):
        return "phone"
    return None


def scan(text: str) -> tuple[str, list[str]]:
    """(text with every sensitive number masked, the kinds found, sorted)."""
    if not text or not _PREFILTER.search(text.translate(_FULLWIDTH)):
        return text, []
    norm = text.translate(_FULLWIDTH)  # full-width digits are digits; same length as text
    out, kinds = [], []
    for m in _TOKEN.finditer(norm):
        token = m.group()
        kind = digits_kind(_NOT_ALNUM.sub("", token)) if _PREFILTER.search(token) else None
        if kind is None:
            out.append(text[m.start():m.end()])
            continue
        kinds.append(kind)
        ended = _NOT_ALNUM.fullmatch(token[-1])  # a grouped number took the character after it: keep it
        out.append(MASKS[kind] + (text[m.end() - 1] if ended else ""))
    return "".join(out), sorted(set(kinds))


def mask_text(text: str) -> str:
    """`text` with every resident ID, mobile number and bank card number replaced by its mask."""
    return scan(text)[0]


def _id_checkliteral(d: str) -> str:
    total = " + ".join(f"(ascii(substr({d}, {i + 1}, 1)) - 48) * {w}" for i, w in enumerate(_ID_WEIGHTS))
    return f"substr('{_ID_CHECK}', (({total}) % 11) + 1, 1) = upper(substr({d}, 18, 1))"


MACROS = [
    # Luhn over a string of digits (position i from the right, every second one doubled)
    """fz_pii_luhn(d) AS list_sum(list_transform(range(length(d)), i ->
        (CAST(substr(d, length(d) - i, 1) AS INTEGER) * (1 + i % 2)) // 10
        + (CAST(substr(d, length(d) - i, 1) AS INTEGER) * (1 + i % 2)) % 10)) % 10 = 0""",
    f"""fz_pii_kind(d) AS CASE
        WHEN regexp_full_match(d, '[0-9]{{17}}[0-9Xx]') THEN CASE
            WHEN upper(right(d, 1)) = 'X' OR {_id_checkliteral('d')} THEN 'id'
            WHEN regexp_full_match(substr(d, 7, 8), {literal(_DATE8)}) AND NOT fz_pii_luhn(d) THEN 'id'
            ELSE 'card' END
        WHEN regexp_full_match(d, '[0-9]{{15}}') THEN
            CASE WHEN regexp_full_match(substr(d, 7, 6), {literal(_DATE6)}) THEN 'id' END
        WHEN regexp_full_match(d, '[0-9]{{16,19}}') THEN 'card'
        WHEN regexp_full_match(d, '(86)?1[3-9][0-9]{{9}}') THEN 'phone'
        END""",
    # the kinds of the tokens, NULL for a token that is not sensitive (each token's digits computed once)
    """fz_pii_kinds_of(tokens) AS list_transform(list_transform(tokens, t -> CASE WHEN regexp_matches(t, '[0-9]{4}')
        THEN regexp_replace(t, '[^0-9A-Za-z]', '', 'g') END), d -> CASE WHEN d IS NOT NULL THEN fz_pii_kind(d) END)""",
    f"""fz_pii_tokens(s) AS regexp_extract_all(s, {literal(TOKEN_PATTERN)})""",
    f"""fz_pii_join(tokens, kinds) AS array_to_string(list_transform(tokens, (t, i) -> CASE
        WHEN kinds[i] IS NULL THEN t
        ELSE CASE kinds[i] WHEN 'id' THEN '{MASKS['id']}' WHEN 'phone' THEN '{MASKS['phone']}'
             ELSE '{MASKS['card']}' END || regexp_extract(t, '[^0-9A-Za-z]$') END), '')""",
    # {masked, kinds} of a text: the rule above. A macro's argument is copied wherever the body names it, so
    # values used twice are bound once by a one-element list_transform (`[x]` then `x -> …`).
    """fz_pii_scan_tokens(tokens) AS list_transform([fz_pii_kinds_of(tokens)], kinds -> struct_pack(
        masked := fz_pii_join(tokens, kinds),
        kinds := list_sort(list_distinct(list_filter(kinds, k -> k IS NOT NULL)))))[1]""",
    f"""fz_pii_candidate(s) AS regexp_matches(s, {literal(PREFILTER)})""",
    """fz_pii_scan(s) AS CASE WHEN fz_pii_candidate(s)
        THEN list_transform([fz_pii_tokens(s)], tokens -> fz_pii_scan_tokens(tokens))[1]
        ELSE struct_pack(masked := s, kinds := CAST([] AS VARCHAR[])) END""",
    """fz_pii_mask(s) AS CASE WHEN fz_pii_candidate(s) THEN fz_pii_scan(s).masked ELSE s END""",
    # the text without its sensitive numbers (for matching a name typed before one)
    f"""fz_pii_strip(s) AS CASE WHEN fz_pii_candidate(s)
        THEN regexp_replace(fz_pii_mask(s), '{_MASK_PATTERN}', '', 'g') ELSE s END""",
]


def install_pii_macros(conn: duckdb.DuckDBPyConnection) -> None:
    """TEMP macros fz_pii_scan(text) -> {masked, kinds} and fz_pii_mask(text) -> masked text (NULL stays NULL)."""
    for macro in MACROS:
        conn.execute(f"CREATE OR REPLACE TEMP MACRO {macro}")
