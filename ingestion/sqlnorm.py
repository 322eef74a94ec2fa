"""Value normalisers as DuckDB macros: the production path for every value of every row.

Each parser returns NULL for a value it cannot read; stage.py turns "given but NULL after parsing" into a
quarantine reason. The macros are TEMP (per connection), so nothing here is stored in landing.duckdb.

    fz_hw(s)        full-width ASCII forms and full-width/no-break spaces -> half-width
    fz_clean(s)     fz_hw, trimmed, '' -> NULL
    fz_ts(s)        TIMESTAMP from 2023-11-05 14:23:11 | 2023/11/5 14:23 | 2023年11月5日 14时23分 | 2023.11.05 |
                    20231105 | Excel serial day numbers (45235.6) ; rounded to the second
    fz_money(s)     DOUBLE yuan from 132000 | 132,000.00 | 13.2万 | 13.2万元 | ¥132,000 (after fz_hw)
    fz_yesno(s)     BOOLEAN from 是/否, Y/N, yes/no, true/false, 1/0, √/×
    fz_int(s)       INTEGER from 35 | 35岁 | 120人
    fz_id(s)        resident ID: spaces/dashes removed, upper case
    fz_id_ok_format(id), fz_id_birth(id), fz_id_ok_checksum(id)   GB 11643 checks
    fz_phone(s)     digits only, +86 prefix removed
    fz_mask_name(s) surname + 某 (compound surnames kept whole)
    fz_token(s)     every whitespace removed (reference matching: `贾宋\n镇` is 贾宋镇)
    fz_squash(s)    whitespace runs to one space, none between two Chinese characters (`三召\n派出所` -> 三召派出所)
    fz_pii_scan(s), fz_pii_mask(s)   resident IDs, phones, bank cards in free text (sensitive.py)
"""

from __future__ import annotations

import duckdb

from fanzha.core.sql import literal_list
from ingestion.sensitive import install_pii_macros

# Two-character surnames (复姓) kept whole when masking a name.
COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "长孙", "宇文",
    "司徒", "端木", "独孤", "南宫", "西门", "申屠", "轩辕", "呼延", "澹台", "公冶", "宗政", "濮阳", "淳于",
    "单于", "太叔", "仲孙", "闻人", "赫连", "钟离", "万俟", "百里", "东郭", "拓跋", "第五", "羊舌", "左丘",
)

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"

YES_FORMS = ("是", "Y", "YES", "1", "√", "✓", "✔", "TRUE", "T", "有")
NO_FORMS = ("否", "N", "NO", "0", "×", "✗", "✘", "FALSE", "F", "无")


def _sql_list(values: tuple[str, ...]) -> str:
    return literal_list(values)


def _checksum_sum(arg: str) -> str:
    return " + ".join(f"(ascii(substr({arg}, {i + 1}, 1)) - 48) * {w}" for i, w in enumerate(ID_WEIGHTS))


_DATE_PART = r"^(\d{4})\s*[年/.\-]\s*(\d{1,2})\s*[月/.\-]\s*(\d{1,2})\s*[日号]?\s*[T ]?\s*"

MACROS = [
    # by code point (U+FF01..U+FF5E -> U+0021..U+007E); about 7x faster than translate() with a 97-character
    # table, and only run on the cells that hold a full-width form at all
    r"fz_has_fw(s) AS regexp_matches(s, '[\x{FF01}-\x{FF5E}\x{3000}\x{00A0}\x{FFE5}]')",
    """fz_hw_all(s) AS array_to_string(list_transform(string_split(s, ''), ch -> CASE
        WHEN unicode(ch) BETWEEN 65281 AND 65374 THEN chr(unicode(ch) - 65248)
        WHEN unicode(ch) IN (12288, 160) THEN ' ' WHEN unicode(ch) = 65509 THEN '¥' ELSE ch END), '')""",
    "fz_hw(s) AS CASE WHEN fz_has_fw(s) THEN fz_hw_all(s) ELSE s END",
    r"fz_trim(s) AS nullif(trim(s, ' ' || chr(9) || chr(10) || chr(13)), '')",
    "fz_clean(s) AS fz_trim(fz_hw(s))",
    # canonical 'YYYY-M-D H:M:S' text from the Chinese and slashed forms
    rf"""fz_ts_text(s) AS trim(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
            regexp_replace(s, '{_DATE_PART}', '\1-\2-\3 '),
            '\s*[时点:]\s*', ':', 'g'), '\s*分\s*', ':', 'g'), '\s*秒\s*$', ''), ':$', ''))""",
    r"""fz_ts_raw(s) AS CASE
        WHEN s IS NULL THEN NULL
        WHEN regexp_full_match(s, '\d{5}(\.\d+)?')
            THEN CASE WHEN CAST(s AS DOUBLE) BETWEEN 20000 AND 99999
                 THEN TIMESTAMP '1899-12-30' + to_seconds(CAST(round(CAST(s AS DOUBLE) * 86400) AS BIGINT)) END
        WHEN regexp_full_match(s, '\d{8}') THEN try_strptime(s, '%Y%m%d')
        WHEN regexp_full_match(s, '\d{14}') THEN try_strptime(s, '%Y%m%d%H%M%S')
        ELSE try_strptime(fz_ts_text(s),
            ['%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M', '%Y-%m-%d', '%Y-%m-%d %H:%M:%S.%f', '%Y-%m-%d %H'])
        END""",
    # the common ISO form first; the general parser (rounded to the second) only for the rest
    """fz_ts(s) AS coalesce(try_strptime(s, '%Y-%m-%d %H:%M:%S'),
                            date_trunc('second', fz_ts_raw(s) + INTERVAL 500 MILLISECOND))""",
    # money: strip currency signs, thousands separators and 元; 万 multiplies by 10,000
    r"""fz_money_text(s) AS regexp_replace(upper(s), '[\s,¥元]|RMB|CNY|人民币', '', 'g')""",
    r"""fz_money(s) AS CASE
        WHEN regexp_full_match(s, '-?\d+(\.\d+)?') THEN round(CAST(s AS DOUBLE), 2)
        WHEN regexp_full_match(fz_money_text(s), '[+-]?(\d+\.?\d*|\.\d+)万?')
        THEN round(CAST(replace(fz_money_text(s), '万', '') AS DOUBLE)
                   * CASE WHEN fz_money_text(s) LIKE '%万' THEN 10000 ELSE 1 END, 2)
        END""",
    f"""fz_yesno(s) AS CASE WHEN upper(s) IN ({_sql_list(YES_FORMS)}) THEN true
                          WHEN upper(s) IN ({_sql_list(NO_FORMS)}) THEN false END""",
    r"""fz_int(s) AS CASE WHEN regexp_full_match(s, '\d{1,9}\s*[岁人名]?')
                          THEN CAST(regexp_extract(s, '\d+') AS INTEGER) END""",
    r"fz_id(s) AS upper(regexp_replace(s, '[\s\-]', '', 'g'))",
    r"fz_id_ok_format(id) AS regexp_full_match(id, '\d{17}[\dX]')",
    "fz_id_birth(id) AS CAST(try_strptime(substr(id, 7, 8), '%Y%m%d') AS DATE)",
    f"""fz_id_ok_checksum(id) AS substr('{ID_CHECK_CHARS}', (({_checksum_sum('id')}) % 11) + 1, 1)
                                 = substr(id, 18, 1)""",
    r"""fz_phone(s) AS CASE
        WHEN regexp_full_match(regexp_replace(s, '[\s\-]', '', 'g'), '\+?861\d{10}')
            THEN right(regexp_replace(s, '[\s\-]', '', 'g'), 11)
        ELSE regexp_replace(s, '[\s\-]', '', 'g') END""",
    r"fz_phone_ok(p) AS regexp_full_match(p, '1\d{10}')",
    "fz_mask_phone(p) AS left(p, 3) || '****' || right(p, 4)",
    f"""fz_mask_name(s) AS CASE WHEN s IS NULL THEN NULL
        WHEN left(s, 2) IN ({_sql_list(COMPOUND_SURNAMES)}) THEN left(s, 2) || '某'
        ELSE left(s, 1) || '某' END""",
    # masked forms for the quarantine's raw_row_masked (never the full value)
    r"""fz_mask_id(s) AS CASE WHEN s IS NULL THEN NULL
        WHEN regexp_full_match(fz_id(s), '\d{6}.+') THEN left(fz_id(s), 6) || repeat('*', length(fz_id(s)) - 6)
        ELSE repeat('*', length(s)) END""",
    r"""fz_mask_phone_any(s) AS CASE WHEN s IS NULL THEN NULL
        WHEN fz_phone_ok(fz_phone(s)) THEN fz_mask_phone(fz_phone(s)) ELSE repeat('*', length(s)) END""",
    r"""fz_mask_account(s) AS CASE WHEN s IS NULL THEN NULL
        WHEN length(s) > 8 THEN '****' || right(s, 4) ELSE '****' END""",
    r"fz_account(s) AS upper(regexp_replace(s, '[\s\-]', '', 'g'))",
    r"fz_token(s) AS regexp_replace(s, '\s+', '', 'g')",
    r"""fz_squash(s) AS CASE WHEN regexp_matches(s, '\s') THEN regexp_replace(regexp_replace(
            regexp_replace(s, '\s+', ' ', 'g'), '(\p{Han}) (\p{Han})', '\1\2', 'g'), '(\p{Han}) (\p{Han})', '\1\2', 'g')
        ELSE s END""",
]


def install_macros(conn: duckdb.DuckDBPyConnection) -> None:
    for macro in MACROS:
        conn.execute(f"CREATE OR REPLACE TEMP MACRO {macro}")
    install_pii_macros(conn)
