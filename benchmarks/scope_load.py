"""Concurrent signed-in sessions on the dashboard while `fanzha run` publishes (a benchmark and a test's driver).

One headless Chromium, one browser context per user (20 by default: two per township, two police stations, a
member unit, the committee), each walking through the pages its role may open by the sidebar, round after
round, until a `fanzha run --force` on the same data home has published a new warehouse and every session has
done one more round. Per navigation it records the time from the click until the page's heading is shown and
Streamlit's running indicator is gone, whether the page showed an exception, and every village name outside
the user's scope found in its text (including the notice preview's frame).

    .venv/bin/python benchmarks/scope_load.py --home /path/to/demo/home [--sessions 20]

prints a table and writes benchmarks/results/scope_load_<sessions>[_no_publish].json. tests/test_load_scope.py runs the same driver
and asserts correctness only (no error, no other scope's village, the sessions kept working across the
publish); the timings are this benchmark's. Every user is a real account of the (copied) data home and
signs in through the sign-in page (用户名, 密码, 登录) of `fanzha dashboard`'s own server on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import duckdb  # noqa: E402

from dashboards.pages_registry import PAGES  # noqa: E402
from tests.fixtures.browser import CHROMIUM, CHROMIUM_ARGS, User, add_users, serve  # noqa: E402
from tests.fixtures.cli import fanzha_env  # noqa: E402

MONTH = "2024-06"
TIMEOUT_MS = 180_000
MAX_SECONDS = 900.0  # the whole load is bounded: sessions stop after this even if the publish has not finished


@dataclass
class Visit:
    user: str
    page: str
    seconds: float
    after_publish: bool
    exceptions: int
    leaked: list[str]
    run_id_seen: str


@dataclass
class Load:
    visits: list[Visit] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # a session that could not go on (timeout, crash)
    publish_rc: int | None = None
    publish_seconds: float = 0.0
    old_run_id: str = ""
    new_run_id: str = ""
    cpu_seconds: dict[str, float] = field(default_factory=dict)  # server / browser / publish: where the CPU went
    wall_seconds: float = 0.0


def _open(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to a published file, whose tables live in its marts schema."""
    con = duckdb.connect(str(warehouse), read_only=True)
    con.execute("use marts")
    return con


def demo_users(warehouse: Path, sessions: int) -> list[User]:
    """Two users per township, stations PS06 (two townships) and PS02, 区教育局, the committee: 20 for Nanhe."""
    con = _open(warehouse)
    try:
        towns = [r[0] for r in con.execute("select unit_code from dim_units where unit_kind = 'township' "
                                           "and district_code = '130506' order by unit_code").fetchall()]
    finally:
        con.close()
    users = [User(f"t{code[-3:]}{n}", "unit", (code,)) for code in towns for n in ("a", "b")]
    users += [User("ps06", "station", ("PS06",)), User("ps02", "station", ("PS02",)),
              User("m02", "unit", ("130506M02",)), User("zfw", "committee", ())]
    return users[:sessions]


def forbidden_villages(warehouse: Path, user: User) -> list[str]:
    """Village names the user must never see, computed from the warehouse directly (not through the layer):
    every village outside its townships (a station's covered ones; a member unit's: the villages of its own
    leads, cases and interceptions), less names that are part of a name it may see (北石楼村 holds 石楼村)."""
    if user.role == "committee":
        return []
    con = _open(warehouse)
    try:
        villages = dict(con.execute("select unit_code, unit_name from dim_units where unit_kind = 'village'"
                                    ).fetchall())
        if user.role == "station":
            from fanzha.access.scope import read_stations
            from fanzha.core.paths import SEEDS_DIR

            towns = {t for key in user.units for t in read_stations(SEEDS_DIR)[key]}
            own = {c for c in villages if c[:9] in towns}
        elif user.units[0][6:7] == "M":
            own = {r[0] for r in con.execute(
                "select village_code from fct_alerts where member_unit_code = $1 union "
                "select village_code from fct_cases where member_unit_code = $1 union "
                "select village_code from fct_interceptions where member_unit_code = $1", [user.units[0]]).fetchall()}
        else:
            own = {c for c in villages if c[:9] in user.units}
    finally:
        con.close()
    allowed = {villages[c] for c in own if c in villages}
    return sorted({n for c, n in villages.items() if c not in own and n not in allowed
                   and not any(n in a for a in allowed)})


async def _text(page: object) -> str:
    parts = [await page.locator("body").inner_text()]  # type: ignore[attr-defined]
    for frame in page.frames[1:]:  # type: ignore[attr-defined]  (the notice preview)
        parts.append(await frame.content())
    return "\n".join(parts)


async def _settle(page: object, title: str) -> None:
    await page.locator("h1").filter(has_text=title).first.wait_for(timeout=TIMEOUT_MS)  # type: ignore[attr-defined]
    await page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=TIMEOUT_MS)  # type: ignore[attr-defined]


async def _session(browser: object, base: str, user: User, forbidden: list[str], load: Load,
                   published: asyncio.Event, began: float) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 1600}, locale="zh-CN")  # type: ignore[attr-defined]
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    titles = [s.title for s in PAGES if user.role in s.roles]
    try:
        await page.goto(f"{base}/?month={MONTH}")
        await page.get_by_label("用户名").fill(user.name)
        await page.get_by_label("密码").fill(user.password)
        await page.get_by_role("button", name="登录").click()
        await _settle(page, titles[0])
        rounds_after = 0
        while rounds_after < 1 and time.monotonic() - began < MAX_SECONDS:
            after = published.is_set()
            for title in [*titles[1:], titles[0]]:
                start = time.perf_counter()
                await page.locator('[data-testid="stSidebarNavLink"]').filter(has_text=title).click()
                await _settle(page, title)
                seconds = time.perf_counter() - start
                text = await _text(page)
                caption = next((line for line in text.splitlines() if line.startswith("数据版本：")), "")
                load.visits.append(Visit(user.name, title, round(seconds, 3), after,
                                         await page.locator('[data-testid="stException"]').count(),
                                         [v for v in forbidden if v in text], caption.removeprefix("数据版本：")))
            rounds_after += after
    except Exception as exc:  # noqa: BLE001 — reported, and the test fails on it
        load.errors.append(f"{user.name}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
    finally:
        await context.close()


async def _publish(home: Path, load: Load, published: asyncio.Event, delay: float) -> None:
    if delay < 0:  # no publish: a baseline (every session does one round after "publish")
        load.new_run_id = load.old_run_id
        published.set()
        return
    await asyncio.sleep(delay)  # let every session render its pages once on the old warehouse
    inbox = home / "empty-inbox"
    inbox.mkdir(exist_ok=True)
    start = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "fanzha.cli", "run", "--force", "--inbox",
                                                str(inbox), env=fanzha_env(home), stdout=subprocess.DEVNULL,
                                                stderr=subprocess.DEVNULL)
    load.publish_rc = await proc.wait()
    load.publish_seconds = round(time.perf_counter() - start, 1)
    load.new_run_id = run_id(home)
    published.set()


def run_id(home: Path) -> str:
    """The run id of the latest publish of `home`."""
    con = _open(home / "warehouse.duckdb")
    try:
        return str(con.execute("select run_id from fanzha_publish order by published_at desc limit 1").fetchone()[0])
    finally:
        con.close()


def _kind(proc: object) -> str:
    """Which side a process of this load is on: the dashboard server, the browser, or the publish."""
    try:
        line = " ".join(proc.cmdline())  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 — gone or not ours to read
        return ""
    if "streamlit" in line:
        return "server"
    if "chrom" in line or "playwright" in line:
        return "browser"
    if "fanzha.cli" in line or "dbt" in line:
        return "publish"
    return ""


async def _sample_cpu(load: Load, done: asyncio.Event) -> None:
    """CPU seconds of each side, summed over every process seen (sampled each second, so processes that
    end between two samples lose their last second)."""
    import psutil

    last: dict[int, tuple[str, float]] = {}
    me = psutil.Process()
    while not done.is_set():
        for proc in me.children(recursive=True):
            kind = _kind(proc)
            if kind:
                try:
                    times = proc.cpu_times()
                except psutil.Error:
                    continue
                last[proc.pid] = (kind, times.user + times.system)
        await asyncio.sleep(1.0)
    for kind, seconds in last.values():
        load.cpu_seconds[kind] = round(load.cpu_seconds.get(kind, 0.0) + seconds, 1)


async def _drive(home: Path, base: str, users: list[User], publish_after: float) -> Load:
    from playwright.async_api import async_playwright

    load = Load(old_run_id=run_id(home))
    published = asyncio.Event()
    forbidden = {u.name: forbidden_villages(home / "warehouse.duckdb", u) for u in users}
    began = time.monotonic()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        done = asyncio.Event()
        sampler = asyncio.create_task(_sample_cpu(load, done))
        try:
            await asyncio.gather(_publish(home, load, published, publish_after),
                                 *(_session(browser, base, u, forbidden[u.name], load, published, began)
                                   for u in users))
        finally:
            done.set()
            await sampler
            await browser.close()
    load.wall_seconds = round(time.monotonic() - began, 1)
    return load


def run_load(home: Path, sessions: int = 20, publish_after: float = 45.0) -> Load:
    """Serve `home`, run `sessions` concurrent users and a publish; `home` is changed (a new publish)."""
    users = demo_users(home / "warehouse.duckdb", sessions)
    add_users(home, users)
    with serve(home) as base:
        return asyncio.run(_drive(home, base, users, publish_after))


def copy_home(source: Path, target: Path) -> Path:
    """A data home to change: the demo's landing, published warehouse, notices and key."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("landing.duckdb", "warehouse.duckdb"):
        shutil.copy2(source / name, target / name)
    for name in ("notices", "secrets"):
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name, dirs_exist_ok=True)
    return target


def summary(load: Load) -> dict[str, object]:
    times = sorted(v.seconds for v in load.visits)
    per_page: dict[str, list[float]] = {}
    for v in load.visits:
        per_page.setdefault(v.page, []).append(v.seconds)

    def stats(values: list[float]) -> dict[str, float]:
        ordered = sorted(values)
        return {"n": len(ordered), "median": round(statistics.median(ordered), 3),
                "p95": round(ordered[min(len(ordered), math.ceil(len(ordered) * 0.95)) - 1], 3),  # nearest rank
                "max": round(ordered[-1], 3)}

    return {"visits": len(load.visits), "sessions": len({v.user for v in load.visits}), "errors": load.errors,
            "exceptions": sum(v.exceptions for v in load.visits), "leaks": sum(len(v.leaked) for v in load.visits),
            "publish_rc": load.publish_rc, "publish_seconds": load.publish_seconds,
            "wall_seconds": load.wall_seconds, "cpu_seconds": load.cpu_seconds,
            "all": stats(times) if times else {}, "under_2s": sum(t < 2.0 for t in times),
            "pages": {page: stats(values) for page, values in per_page.items()}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True, help="a data home with the demo published (copied)")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--publish-after", type=float, default=45.0,
                        help="seconds before `fanzha run --force` starts; negative: no publish (a baseline)")
    args = parser.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory(prefix="scope-load-") as tmp:
        load = run_load(copy_home(args.home, Path(tmp) / "home"), args.sessions, args.publish_after)
    result = summary(load)
    result["load_average_after"] = [round(x, 1) for x in os.getloadavg()]  # the 2-core machine is shared
    name = f"scope_load_{args.sessions}" + ("_no_publish" if args.publish_after < 0 else "")
    out = REPO / "benchmarks" / "results" / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "pages"}, ensure_ascii=False))
    print(f"{'page':10} {'n':>4} {'median':>8} {'p95':>8} {'max':>8}")
    for page, s in result["pages"].items():  # type: ignore[union-attr]
        print(f"{page:10} {s['n']:4d} {s['median']:8.3f} {s['p95']:8.3f} {s['max']:8.3f}")
    return 0 if not load.errors and not result["leaks"] and not result["exceptions"] else 1


if __name__ == "__main__":
    sys.exit(main())
