"""Ingestion benchmark: a synthetic 1-million-row alerts export, as GBK CSV and as XLSX.

    .venv/bin/python benchmarks/bench_ingest.py [--rows 1000000] [--xlsx-rows 200000] [--workdir DIR] [--planted 0.1]

Prints rows/s of `ingest_paths` (end to end: hash, encoding detection, GBK -> UTF-8 transcoding, DuckDB parse,
SQL normalisation, pseudonymisation, validation, dedupe, one transaction) and the ratio to a bare DuckDB
`read_csv` of the same file into a table. DuckDB cannot read GBK by itself (its `encodings` extension is not
built in), so the bare baseline reads the same rows from a UTF-8 copy of the file. Goal: CSV >= 200,000 rows/s
and within 3x of the bare read.

The data is generated vectorised with numpy from the reference seeds (names, valid resident IDs, phones,
townships and villages, money in mixed forms); about 1 % of rows carry the defects of the spec. `--planted S`
puts the row's phone into 工作单位 on a share S of rows and its resident ID after the village name on S / 5 of
them, which ingestion masks (the cost of the sensitive-data scanner where it finds something).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from fanzha.core.paths import SEEDS_DIR, data_home  # noqa: E402
from ingestion import ingest_paths  # noqa: E402

HEADER = ["线索编号", "下发时间", "预警级别", "预警类型", "线索来源", "姓名", "身份证号", "手机号", "性别", "年龄", "职业",
          "工作单位", "乡镇", "村(社区)", "涉诈类型", "预警金额", "对方账户", "责任派出所"]
SURNAMES = list("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗") + ["欧阳", "司马", "诸葛"]
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华")
OCCUPATIONS = ["医生", "教师", "学生", "宝妈", "工人", "务工", "务农", "个体", "公务员", "退休", "无", "自由职业"]
EMPLOYERS = ["南和区人民医院", "和阳镇中学", "贾宋镇小学", "", "", "河郭乡卫生院", "南和农商银行", ""]
FRAUD = ["刷单", "投资理财", "网购", "冒充客服", "网贷", "征信", "冒充熟人", "冒充公检法", "杀猪盘", "游戏交易", "其他"]
TYPES = ["资金预警", "资金预警", "电话预警", "APP预警", "短信预警"]
SOURCES = ["国家反诈大数据平台", "省反诈中心", "市反诈中心", "银行", "运营商", "群众举报"]
WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])


def _pick(rng: np.random.Generator, values: list[str], n: int) -> np.ndarray:
    return np.asarray(values, dtype=object)[rng.integers(0, len(values), n)]


def _ids(rng: np.random.Generator, n: int) -> np.ndarray:
    """Valid 18-character resident IDs (GB 11643 check digit), vectorised."""
    born = pd.Timestamp("1950-01-01") + pd.to_timedelta(rng.integers(0, 365 * 55, n), unit="D")
    ymd = born.year.to_numpy() * 10000 + born.month.to_numpy() * 100 + born.day.to_numpy()
    body = 130506 * 10**11 + ymd.astype(np.int64) * 1000 + rng.integers(0, 1000, n)
    digits = (body[:, None] // 10 ** np.arange(16, -1, -1)) % 10
    check = np.asarray(list("10X98765432"))[(digits * WEIGHTS).sum(axis=1) % 11]
    return (pd.Series(body).astype(str) + check).to_numpy()


def _grouped(amount: np.ndarray) -> np.ndarray:
    """132000 -> '132,000.00' (amounts below 1,000,000), vectorised."""
    thousands, rest = pd.Series(amount // 1000), pd.Series(amount % 1000)
    text = np.where(thousands > 0, thousands.astype(str) + "," + rest.astype(str).str.zfill(3), rest.astype(str))
    return text + ".00"


def plant_personal_data(frame: pd.DataFrame, share: float, seed: int = 3) -> None:
    """Phones typed into 工作单位 (share of rows) and IDs after the village name (share / 5), in place."""
    rng = np.random.default_rng(seed)
    phone = rng.random(len(frame)) < share
    ids = rng.random(len(frame)) < share / 5
    frame.loc[phone, "工作单位"] = "南和区人民医院 电话" + frame.loc[phone, "手机号"]
    frame.loc[ids, "村(社区)"] = frame.loc[ids, "村(社区)"] + frame.loc[ids, "身份证号"]


def alerts_frame(n: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    villages = pd.read_csv(SEEDS_DIR / "villages.csv", dtype=str)
    townships = pd.read_csv(SEEDS_DIR / "townships.csv", dtype=str).set_index("township_code")["township_name"]
    v = villages.iloc[rng.integers(0, len(villages), n)]
    issued = pd.Timestamp("2023-03-01") + pd.to_timedelta(rng.integers(0, 365 * 86400, n), unit="s")
    amount = rng.integers(100, 500_000, n)
    money_form = rng.integers(0, 4, n)
    money = np.where(money_form == 0, amount.astype(str),
                     np.where(money_form == 1, _grouped(amount),
                              np.where(money_form == 2, (amount / 10000).round(4).astype(str) + "万", "￥" + amount.astype(str))))
    frame = pd.DataFrame({
        "线索编号": "YJ" + pd.Series(np.arange(n) + 10_000_000).astype(str),
        "下发时间": issued.strftime("%Y-%m-%d %H:%M:%S"),
        "预警级别": _pick(rng, ["高", "中", "低", ""], n),
        "预警类型": _pick(rng, TYPES, n),
        "线索来源": _pick(rng, SOURCES, n),
        "姓名": _pick(rng, SURNAMES, n) + _pick(rng, GIVEN, n) + _pick(rng, [*GIVEN, ""], n),
        "身份证号": _ids(rng, n),
        "手机号": "13" + pd.Series(rng.integers(100_000_000, 999_999_999, n)).astype(str).to_numpy(),
        "性别": "",
        "年龄": "",
        "职业": _pick(rng, OCCUPATIONS, n),
        "工作单位": _pick(rng, EMPLOYERS, n),
        "乡镇": townships.reindex(v["township_code"]).to_numpy(),
        "村(社区)": v["village_name"].to_numpy(),
        "涉诈类型": _pick(rng, FRAUD, n),
        "预警金额": money,
        "对方账户": "62" + pd.Series(rng.integers(10**15, 10**16 - 1, n)).astype(str).to_numpy(),
        "责任派出所": _pick(rng, ["和阳派出所", "贾宋派出所", "三召派出所"], n),
    })
    bad = rng.random(n) < 0.01  # the spec's defects on about 1 % of rows
    kind = rng.integers(0, 4, n)
    frame.loc[bad & (kind == 0), "预警金额"] = "-500"
    frame.loc[bad & (kind == 1), "下发时间"] = "2099-01-01"
    frame.loc[bad & (kind == 2), "乡镇"] = "不存在镇"
    frame.loc[bad & (kind == 3), "手机号"] = "1381234123"
    return frame


class Clock:
    """Wall time and CPU time of this process (all threads): on a shared machine CPU time is the steadier one."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


def bare_read(csv_utf8: Path) -> Clock:
    target = csv_utf8.parent / "bare.duckdb"
    target.unlink(missing_ok=True)
    conn = duckdb.connect(str(target))
    with Clock() as clock:
        conn.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{csv_utf8}', all_varchar = true, header = true)")
        conn.execute("CHECKPOINT")
    conn.close()
    return clock


def ingest(path: Path, home: Path) -> tuple[Clock, int]:
    shutil.rmtree(home, ignore_errors=True)
    with Clock() as clock:
        report = ingest_paths(data_home(home), [path], archive_inbox=False, quiet=True)
    outcome = report.files[0]
    assert outcome.status == "landed" and outcome.reconciles, outcome
    return clock, outcome.rows_read


def line(label: str, clock: Clock, rows: int, bare: Clock | None) -> str:
    text = f"{label:<34} wall {clock.wall:7.2f} s {rows / clock.wall:10,.0f} rows/s   cpu {clock.cpu:7.2f} s"
    if bare:
        text += f"   vs bare: {clock.wall / bare.wall:5.2f}x wall, {clock.cpu / bare.cpu:5.2f}x cpu"
    return text


def write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["南和区预警线索导出"])
    sheet.write_row(1, 0, HEADER)
    for r, row in enumerate(frame.itertuples(index=False), start=2):
        sheet.write_row(r, 0, row)
    workbook.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=200_000, help="rows of the XLSX run (0 = skip)")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--planted", type=float, default=0.0,
                        help="share of rows with a phone typed into 工作单位 (and share/5 with an ID in 村(社区))")
    args = parser.parse_args()
    os.environ.setdefault("FANZHA_PII_KEY", "benchmark-key-not-secret-0123456789abcdef")
    work = args.workdir or Path(tempfile.mkdtemp(prefix="fanzha-bench-ingest-"))
    work.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    frame = alerts_frame(args.rows)
    if args.planted:
        plant_personal_data(frame, args.planted)
    gbk, utf8 = work / "alerts_2023-11.csv", work / "utf8" / "alerts_2023-11.csv"
    utf8.parent.mkdir(exist_ok=True)
    frame.to_csv(gbk, index=False, encoding="gbk")
    frame.to_csv(utf8, index=False, encoding="utf-8")
    print(f"generated {args.rows:,} rows in {time.perf_counter() - started:.1f} s "
          f"(GBK CSV {gbk.stat().st_size / 1e6:.0f} MB)")

    bare = bare_read(utf8)
    csv_clock, rows = ingest(gbk, work / "home-csv")
    utf8_clock, _ = ingest(utf8, work / "home-utf8")
    print(f"os.cpu_count() = {os.cpu_count()}, load average before: {os.getloadavg()[0]:.1f}")
    print(line("bare DuckDB read_csv (UTF-8 copy)", bare, rows, None))
    print(line("fanzha ingest, GBK CSV", csv_clock, rows, bare))
    print(line("fanzha ingest, UTF-8 CSV", utf8_clock, rows, bare))

    if args.xlsx_rows:
        xlsx = work / "xlsx" / "预警线索_2023-11.xlsx"
        xlsx.parent.mkdir(exist_ok=True)
        started = time.perf_counter()
        write_xlsx(frame.head(args.xlsx_rows), xlsx)
        print(f"wrote {args.xlsx_rows:,}-row XLSX in {time.perf_counter() - started:.1f} s")
        xlsx_clock, rows_x = ingest(xlsx, work / "home-xlsx")
        print(line("fanzha ingest, XLSX", xlsx_clock, rows_x, None))
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
