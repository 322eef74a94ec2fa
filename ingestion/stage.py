"""SQL that turns a batch's staged cells into landing rows and quarantine rows, for one feed (batch.py).

A TEMP table, one set-based statement over the feed's rows of the batch:
  _parsed_<feed>  cleaned text per feed column (full-width -> half-width, trimmed, '' -> NULL; blank rows dropped),
                  typed values, resolved places and mappings, and `_ok` (false: the row goes to quarantine)
then one query shapes the rows that land like the landing table (with `_record_hash` and `_flags`) and inserts
the new versions, and one writes the quarantine.
The rules per column kind are in `_parse` (values), `_problems` (quarantine) and `_landing_exprs` (output).
Personal fields never cause quarantine (they are flagged) and never appear in a message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fanzha.core.sql import literal
from ingestion import feeds as k
from ingestion.feeds import Column, Feed
from ingestion.landing import FEED_COLUMNS
from ingestion.textcols import landed_text, pii_flags, scan_sql


@dataclass(frozen=True)
class StageContext:
    """What the SQL of one batch needs besides the staged rows (each staged row carries its own `_file_id`,
    `_file_name`, `_row_number` and `_district`)."""

    future_limit: datetime  # values after this are "in the future"
    loaded_at: datetime
    parsed: str  # the TEMP table of the feed's parsed rows

    def loaded_at_sql(self) -> str:
        return f"TIMESTAMP {literal(self.loaded_at.strftime('%Y-%m-%d %H:%M:%S.%f'))}"


def rows_sql(feed: Feed, staged: str) -> str:
    """The cleaned rows of the TEMP table `staged` (one text column per feed column, NULL when a file lacks it,
    and `_extra`, the file's other cells; `_ragged`, the message for a row with more or fewer cells than the
    header): full-width forms to half-width, trimmed, '' -> NULL; rows with no cell at all dropped. Full-width forms are looked for once per row (all cells joined); only cells of such
    rows are examined again."""
    names = [c.key for c in feed.columns] + ["_extra"]
    every = ", ".join(names)
    cleaned = ", ".join(
        f"fz_trim(CASE WHEN _fw AND fz_has_fw({n}) THEN fz_hw_all({n}) ELSE {n} END) AS {n}" for n in names
    )
    any_cell = " OR ".join(f"{n} IS NOT NULL" for n in names)
    return f"""SELECT _file_id, _file_name, _district, _row_number, _ragged, {', '.join(c.key for c in feed.columns)}
        FROM (
            SELECT _file_id, _file_name, _district, _row_number, _ragged, {cleaned}
            FROM (SELECT *, fz_has_fw(concat({every})) AS _fw FROM {staged})
        )
        WHERE {any_cell}"""


def _enum_case(col: Column) -> str:
    pairs = [(v, v) for v in col.values] + list(col.aliases)
    whens = " ".join(f"WHEN {literal(a.upper())} THEN {literal(v)}" for a, v in pairs)
    expr = f"CASE upper(fz_token({col.key})) {whens} END"
    if col.default is not None:
        expr = f"CASE WHEN {col.key} IS NULL THEN {literal(col.default)} ELSE {expr} END"
    return expr


def _parse(col: Column) -> str | None:
    """The typed value `<key>__v` of a column, or None when the kind needs no parsing."""
    c = col.key
    return {
        k.DATETIME: f"fz_ts({c})",
        k.DATE: f"CAST(fz_ts({c}) AS DATE)",
        k.MONEY: f"fz_money({c})",
        k.YESNO: f"fz_yesno({c})",
        k.INTEGER: f"fz_int({c})",
        k.AGE: f"fz_int({c})",
        k.ENUM: _enum_case(col) if col.kind == k.ENUM else None,
        k.GENDER: f"""CASE WHEN upper({c}) IN ('男', '男性', 'M', 'MALE') THEN '男'
                           WHEN upper({c}) IN ('女', '女性', 'F', 'FEMALE') THEN '女' END""",
        k.ID_NUMBER: f"fz_id({c})",
        k.PHONE: f"fz_phone({c})",
        k.ACCOUNT: f"fz_account({c})",
    }.get(col.kind)


def _label(col: Column) -> str:
    return f"{col.zh}({col.key})"


def _problem(reason: str, col: Column, condition: str, message_sql: str) -> tuple[str, str]:
    """(condition, struct with reason/field/message) of one way a row can fail."""
    return (
        f"coalesce({condition}, false)",
        f"struct_pack(reason := {literal(reason)}, field := {literal(col.key)}, message := {message_sql})",
    )


def _shown(c: str) -> str:
    """The offending value as shown in a message: resident IDs, phones and card numbers masked (sensitive.py),
    cut to 40 characters."""
    return f"""'"' || left(fz_pii_mask({c}), 40) || '"'"""


def _problems(col: Column, ctx: StageContext) -> list[tuple[str, str]]:
    c, v, label = col.key, f"{col.key}__v", _label(col)
    out = []
    if col.required:
        out.append(_problem("missing_required", col, f"{c} IS NULL", literal(f"{label} 为空 (required)")))
    if col.kind == k.KEY:  # a record number holding personal data cannot be kept, nor masked (keys would collide)
        out.append(_problem("pii_in_key", col, f"len(fz_pii_scan({c}).kinds) > 0",
                            f"{literal(label + ' 含身份证号/手机号/银行卡号, 不能作为记录编号 ')} || {_shown(c)}"))
    given_unreadable = f"{c} IS NOT NULL AND {v} IS NULL"
    limit = f"TIMESTAMP {literal(ctx.future_limit.strftime('%Y-%m-%d %H:%M:%S'))}"
    if col.kind in (k.DATETIME, k.DATE):
        out.append(_problem("bad_datetime", col, given_unreadable, f"{literal(label + ' 无法识别的日期时间 ')} || {_shown(c)}"))
        out.append(_problem("future_datetime", col, f"{v} > {limit}", f"{literal(label + ' 是未来的时间 ')} || {_shown(c)}"))
    elif col.kind == k.MONEY:
        out.append(_problem("bad_amount", col, given_unreadable, f"{literal(label + ' 无法识别的金额 ')} || {_shown(c)}"))
        out.append(_problem("negative_amount", col, f"{v} < 0", f"{literal(label + ' 金额为负 ')} || {_shown(c)}"))
    elif col.kind in (k.ENUM, k.GENDER, k.YESNO):
        allowed = {"gender": "男/女", "yesno": "是/否"}.get(col.kind, "/".join(col.values))
        msg = f"{literal(label + ' 不是允许的值 (' + allowed + ') ')} || {_shown(c)}"
        out.append(_problem("bad_enum", col, given_unreadable, msg))
    elif col.kind in (k.INTEGER, k.AGE):
        top = 150 if col.kind == k.AGE else 1_000_000
        out.append(_problem("bad_integer", col, f"{c} IS NOT NULL AND ({v} IS NULL OR {v} > {top})",
                            f"{literal(label + ' 不是有效的整数 ')} || {_shown(c)}"))
    elif col.kind == k.TOWNSHIP:
        out.append(_problem("unknown_township", col, f"{c} IS NOT NULL AND township__code IS NULL",
                            f"{literal(label + ' 未知的乡镇 ')} || {_shown(c)}"))
    elif col.kind == k.UNIT:
        out.append(_problem("unknown_township", col, f"{c} IS NOT NULL AND unit__code IS NULL",
                            f"{literal(label + ' 未知的单位 (既不是乡镇也不是成员单位) ')} || {_shown(c)}"))
    return out


# A row with more or fewer cells than the header: its cells cannot be trusted to sit under their headers.
_RAGGED = ("_ragged IS NOT NULL", "struct_pack(reason := 'ragged_row', field := '-', message := _ragged)")


def _all_problems(feed: Feed, ctx: StageContext) -> list[tuple[str, str]]:
    """Every way a row of the feed can fail, the one reported first first."""
    return [_RAGGED, *(p for c in feed.columns for p in _problems(c, ctx))]


def _resolve_joins(feed: Feed) -> tuple[str, str, str]:
    """(select list, joins, village stage) resolving places, units and mappings, on the cell's text without its
    whitespace and without a resident ID, phone or card number typed into it (井庄村130506199003071230 is 井庄村)."""
    keys = {c.key for c in feed.columns}
    district = "r._district"
    selects, joins = [], []
    if "township" in keys:
        token = "r.township__tok"
        selects.append(f"coalesce(tc.township_code, {district} || tn.t_suffix) AS township__code")
        selects.append(f"CASE WHEN tc.township_code IS NOT NULL THEN tc.district_code "
                       f"WHEN tn.t_suffix IS NOT NULL THEN {district} END AS township__district")
        joins.append(f"LEFT JOIN _ref_place_codes tc ON tc.token = {token}")
        joins.append(f"LEFT JOIN _ref_township_names tn ON tn.token = {token}")
    if "unit" in keys:
        token = "r.unit__tok"
        selects.append("coalesce(uc.unit_code, un.unit_code) AS unit__code")
        joins.append(f"LEFT JOIN _ref_unit_codes uc ON uc.token = {token}")
        joins.append(f"LEFT JOIN _ref_unit_names un ON un.token = {token} AND un.district_code = r._district")
    if "occupation" in keys:
        selects.append("mo.occupation AS occupation__mapped")
        joins.append("LEFT JOIN _ref_map_occupation mo ON mo.raw_value = r.occupation__tok")
    if "fraud_type" in keys:
        selects.append("mf.fraud_type_name AS fraud_type__mapped")
        joins.append("LEFT JOIN _ref_map_fraud_type mf ON mf.raw_value = r.fraud_type__tok")
    village = ""
    if "village" in keys:
        token = "s.village__tok"
        village = f"""SELECT s.*, coalesce(
                CASE WHEN vc.township_code = s.township__code THEN vc.village_code END,
                s.township__code || vn.v_suffix) AS village__code
            FROM resolved s
            LEFT JOIN _ref_place_codes vc ON vc.token = {token} AND vc.village_code IS NOT NULL
            LEFT JOIN _ref_village_names vn ON vn.t_suffix = substr(s.township__code, 7, 3) AND vn.token = {token}"""
    return ", ".join(["r.*", *selects]), "\n".join(joins), village


_MATCHED = ("township", "unit", "occupation", "fraud_type", "village")


def _tokens(feed: Feed) -> str:
    """`<key>__tok`, what a referenced column is matched on, computed once per row before the joins (an
    expression in a join condition can keep DuckDB from hashing the join)."""
    keys = {c.key for c in feed.columns}
    return "".join(f", fz_token(fz_pii_strip({key})) AS {key}__tok" for key in _MATCHED if key in keys)


def parsed_sql(feed: Feed, ctx: StageContext, rows: str) -> str:
    """`ctx.parsed`: the cleaned rows (the query `rows`) plus typed values (`<key>__v`), resolved codes and
    `_ok` (no problem: lands)."""
    select_list, joins, village = _resolve_joins(feed)
    typed = [f"{expr} AS {c.key}__v" for c in feed.columns if (expr := _parse(c)) is not None]
    failing = [cond for cond, _ in _all_problems(feed, ctx)]
    placed = f"({village})" if village else "resolved"
    return f"""CREATE OR REPLACE TEMP TABLE {ctx.parsed} AS
        WITH resolved AS (SELECT {select_list} FROM (SELECT * {_tokens(feed)} FROM ({rows})) r {joins}),
        placed AS (SELECT * FROM {placed}),
        typed AS (SELECT placed.* {''.join(', ' + t for t in typed)} FROM placed)
        SELECT typed.*, NOT ({' OR '.join(failing)}) AS _ok FROM typed"""


def _person(feed: Feed) -> dict[str, str]:
    """Person columns from name / id_number / phone / gender / age (alerts, cases); needs `_id_ok`."""
    event = f"CAST({feed.event_column}__v AS DATE)"
    return {
        "id_key": "_id_key",
        "phone_key": "_phone_key",
        "person_key": "coalesce(_id_key, _phone_key)",
        "phone_masked": "CASE WHEN _phone_ok THEN fz_mask_phone(phone__v) END",
        "name_masked": "fz_mask_name(regexp_replace(name, '\\s', '', 'g'))",
        "gender": "CASE WHEN _id_ok THEN CASE WHEN CAST(substr(id_number__v, 17, 1) AS INTEGER) % 2 = 1 "
        "THEN '男' ELSE '女' END ELSE gender__v END",
        "age": f"CASE WHEN _id_ok THEN CAST(date_sub('year', fz_id_birth(id_number__v), {event}) AS INTEGER) "
        "ELSE age__v END",
        "id_area_code": "CASE WHEN _id_ok THEN left(id_number__v, 6) END",
    }


def _landing_exprs(feed: Feed) -> dict[str, str]:
    """Expression per landing column (names of landing.FEED_COLUMNS)."""
    out: dict[str, str] = {}
    for col in feed.columns:
        c = col.key
        if col.kind == k.KEY:
            out[c] = c
        elif col.kind == k.TEXT:
            out[c] = landed_text(col)
        elif col.kind in (k.DATETIME, k.DATE, k.MONEY, k.YESNO, k.INTEGER, k.ENUM):
            out[c] = f"{c}__v"
        elif col.kind == k.ACCOUNT:
            out[f"{c}_key"] = f"fz_hmac({c}__v)"
        elif col.kind in (k.OCCUPATION, k.FRAUD_TYPE):
            out[f"{c}_raw"] = landed_text(col)
            out[c] = f"CASE WHEN {c} IS NOT NULL THEN coalesce({c}__mapped, '其他') END"
        elif col.kind == k.TOWNSHIP:
            out["district_code"] = "township__district"
            out["township_code"] = "township__code"
        elif col.kind == k.VILLAGE:
            out["village_code"] = "village__code"
            out["village_raw"] = landed_text(col)
        elif col.kind == k.UNIT:
            out["unit_raw"] = landed_text(col)
            out["unit_code"] = "unit__code"
    if feed.event_column and "id_number" in {c.key for c in feed.columns}:
        out.update(_person(feed))
    return out


def _flags(feed: Feed) -> str:
    keys = {c.key for c in feed.columns}
    flags = []
    if "id_number" in keys:
        flags += [
            "CASE WHEN id_number IS NOT NULL AND NOT _id_shape_ok THEN 'id_bad_format' END",
            "CASE WHEN _id_shape_ok AND NOT _id_ok THEN 'id_bad_checksum' END",
            "CASE WHEN phone IS NOT NULL AND NOT _phone_ok AND regexp_full_match(phone__v, '\\d+') "
            "THEN 'phone_bad_length' END",
            "CASE WHEN phone IS NOT NULL AND NOT _phone_ok AND NOT regexp_full_match(phone__v, '\\d+') "
            "THEN 'phone_bad_format' END",
        ]
    if feed.flag_no_contact_key:
        flags.append("CASE WHEN NOT _id_ok AND NOT _phone_ok THEN 'no_contact_key' END")
    if "village" in keys:
        flags.append("CASE WHEN village IS NOT NULL AND village__code IS NULL THEN 'unknown_village' END")
    for mapped in ("occupation", "fraud_type"):
        if mapped in keys:
            flags.append(f"CASE WHEN {mapped} IS NOT NULL AND {mapped}__mapped IS NULL THEN 'unmapped_{mapped}' END")
    lists = [f"list_filter([{', '.join(flags)}], x -> x IS NOT NULL)"] if flags else []
    lists += pii_flags(feed)
    if not lists:
        return "CAST([] AS VARCHAR[])"
    return lists[0] if len(lists) == 1 else f"list_concat({', '.join(lists)})"


# The record hash is over the normalised values: a raw spelling counts only when it did not resolve, so the
# same village written by name in one export and by code in the next is the same record.
# md5 of the values joined by U+001F (NULL as U+001E): change detection, not a security measure.
_HASHED = {
    "village_raw": "CASE WHEN village_code IS NULL THEN village_raw END",
    "unit_raw": "CASE WHEN unit_code IS NULL THEN unit_raw END",
    "occupation_raw": "CASE WHEN list_contains(_flags, 'unmapped_occupation') THEN occupation_raw END",
    "fraud_type_raw": "CASE WHEN list_contains(_flags, 'unmapped_fraud_type') THEN fraud_type_raw END",
}


def candidates_sql(feed: Feed, ctx: StageContext) -> str:
    """The rows of _parsed that land, shaped like the landing table, hashed and flagged (a query, not stored:
    materialising a wide table costs about as much as computing it)."""
    exprs = _landing_exprs(feed)
    names = [n for n, _ in FEED_COLUMNS[feed.name]]
    missing = set(names) - set(exprs)
    if missing:
        raise AssertionError(f"no expression for landing columns {sorted(missing)} of {feed.name}")
    keys = {c.key for c in feed.columns}
    checks = keyed = ""
    if "id_number" in keys:
        event = f"CAST({feed.event_column}__v AS DATE)"
        checks = f""", coalesce(fz_id_ok_format(id_number__v)
                      AND fz_id_birth(id_number__v) BETWEEN DATE '1900-01-01' AND {event}, false) AS _id_shape_ok
                  , coalesce(fz_phone_ok(phone__v), false) AS _phone_ok"""
        ok = "coalesce(_id_shape_ok AND fz_id_ok_checksum(id_number__v), false) AS _id_ok"
        keyed = """, CASE WHEN _id_ok THEN fz_hmac(id_number__v) END AS _id_key,
                     CASE WHEN _phone_ok THEN fz_hmac(phone__v) END AS _phone_key"""
    business = ",\n            ".join(f"{exprs[n]} AS {n}" for n in names)
    hashed = ", ".join(f"coalesce(CAST({_HASHED.get(n, n)} AS VARCHAR), chr(30))" for n in names)
    return f"""WITH good AS (SELECT * {checks} FROM {ctx.parsed} WHERE _ok),
        checked AS (SELECT * {', ' + ok if checks else ''} FROM good),
        keyed AS (SELECT * {keyed} FROM checked),
        scanned AS ({scan_sql(feed, "keyed")}),
        shaped AS (
            SELECT _file_id, _file_name, _row_number, {_flags(feed)} AS _flags,
            {business}
            FROM scanned
        )
        SELECT _file_id, _file_name, _row_number, {ctx.loaded_at_sql()} AS _loaded_at,
               md5(concat_ws(chr(31), {hashed})) AS _record_hash, _flags, {', '.join(names)}
        FROM shaped"""


_MASKERS = {k.NAME: "fz_mask_name", k.ID_NUMBER: "fz_mask_id", k.PHONE: "fz_mask_phone_any",
            k.ACCOUNT: "fz_mask_account"}


def quarantine_insert_sql(feed: Feed, ctx: StageContext) -> str:
    """Rows of _parsed that cannot land -> main.quarantine: the first problem's reason and field, every message."""
    pairs = ", ".join(
        f"{literal(c.key)}, " + (f"{_MASKERS[c.kind]}({c.key})" if c.kind in _MASKERS else f"fz_pii_mask({c.key})")
        for c in feed.columns
    )
    problems = ", ".join(f"CASE WHEN {cond} THEN {struct} END" for cond, struct in _all_problems(feed, ctx))
    return f"""INSERT INTO main.quarantine
        WITH failed AS (
            SELECT *, CASE WHEN _ragged IS NOT NULL THEN [{_RAGGED[1]}]  -- its cells are not under their headers
                      ELSE list_filter([{problems}], x -> x IS NOT NULL) END AS _problems
            FROM {ctx.parsed} WHERE NOT _ok
        )
        SELECT _file_id, _row_number, _file_name, {ctx.loaded_at_sql()}, {literal(feed.name)},
               _problems[1].reason, _problems[1].field,
               array_to_string(list_transform(_problems, x -> x.message), '; '),
               json_object({pairs})
        FROM failed"""


def landing_insert_sql(feed: Feed, ctx: StageContext, *, keys_unique: bool) -> str:
    """New versions -> the feed table: skip (key, content) already landed or repeated earlier in the file (in a
    batch: earlier in the batch, by file id then row number).

    When every business key of the file is distinct, no record can repeat within it (the hash covers the key),
    and the window that keeps the first of equal rows, a sort of the whole file, is left out.
    """
    first_of_equal = "" if keys_unique else (
        "QUALIFY row_number() OVER (PARTITION BY c._record_hash ORDER BY c._file_id, c._row_number) = 1"
    )
    return f"""INSERT INTO main.{feed.name} BY NAME
        SELECT c.* FROM ({candidates_sql(feed, ctx)}) c
        WHERE NOT EXISTS (SELECT 1 FROM main.{feed.name} t WHERE t._record_hash = c._record_hash)
        {first_of_equal}"""
