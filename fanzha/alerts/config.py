"""Alert routes: `$FANZHA_HOME/alerts.toml`, else `FANZHA_ALERT_URLS` (one route for everything), else none.

A mistake in the file is a UserError naming the route and field (exit 2). URLs carry tokens: they are
never printed; `mask_url` keeps the scheme and host only.
"""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
from pathlib import Path
from typing import Any

from fanzha.alerts.model import KINDS, Route, Settings
from fanzha.core.errors import UserError

ENV_URLS = "FANZHA_ALERT_URLS"
ROUTE_KEYS = {"name", "unit", "committee", "kinds", "urls"}
SETTING_KEYS = {"post_warning_lookback_days", "digest_lines"}


def mask_url(url: str) -> str:
    """'json://127.0.0.1:8080/hook?x=1' -> 'json://127.0.0.1:8080/…'; 'wecombot://KEY' -> 'wecombot://…'."""
    match = re.match(r"^([A-Za-z0-9+.-]+)://([^/?#]*)", url.strip())
    if not match:
        return "…"
    scheme, host = match.groups()
    keep = host.rsplit("@", 1)[-1]
    looks_like_host = bool(re.fullmatch(r"(\d{1,3}(\.\d{1,3}){3}|localhost|[\w-]+(\.[\w-]+)+)(:\d+)?", keep))
    return f"{scheme}://{keep}/…" if looks_like_host else f"{scheme}://…"


def url_target(url: str) -> str:
    """A stable digest of a URL: the ledger's key for it (the URL itself holds tokens)."""
    return hashlib.sha256(url.strip().encode("utf-8")).hexdigest()[:16]


def load(home_root: Path, environ: dict[str, str] | None = None) -> tuple[list[Route], Settings, str]:
    """(routes, settings, where they came from). No configuration: ([], defaults, 'none')."""
    env = os.environ if environ is None else environ
    path = home_root / "alerts.toml"
    if path.is_file():
        routes, settings = parse(path.read_text(encoding="utf-8"), str(path))
        return routes, settings, str(path)
    urls = split_urls(env.get(ENV_URLS, ""))
    if urls:
        route = Route(name=ENV_URLS, urls=tuple(urls), kinds=frozenset(KINDS), everything=True)
        return [route], Settings(), ENV_URLS
    return [], Settings(), "none"


def split_urls(text: str) -> list[str]:
    return [u for u in re.split(r"[\s,]+", text.strip()) if u]


def parse(text: str, where: str) -> tuple[list[Route], Settings]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise UserError(f"{where}: not valid TOML: {err}", exit_code=2) from err
    problems: list[str] = []
    unknown = set(data) - {"route", "settings"}
    if unknown:
        problems.append(f"unknown section(s) {', '.join(sorted(unknown))} (allowed: [settings], [[route]])")
    settings = _settings(data.get("settings", {}), problems)
    raw_routes = data.get("route", [])
    if not isinstance(raw_routes, list) or not raw_routes:
        problems.append("no [[route]] defined")
        raw_routes = []
    routes: list[Route] = []
    names: set[str] = set()
    for index, raw in enumerate(raw_routes, start=1):
        route = _route(index, raw, problems)
        if route is None:
            continue
        if route.name in names:
            problems.append(f"route {index} ({route.name}): name used twice")
        names.add(route.name)
        routes.append(route)
    if problems:
        raise UserError(f"{where}: " + "; ".join(problems), exit_code=2)
    return routes, settings


def _settings(raw: Any, problems: list[str]) -> Settings:
    if not isinstance(raw, dict):
        problems.append("[settings] must be a table")
        return Settings()
    for key in sorted(set(raw) - SETTING_KEYS):
        problems.append(f"[settings]: unknown key '{key}' (allowed: {', '.join(sorted(SETTING_KEYS))})")
    values = {}
    for key in SETTING_KEYS & set(raw):
        value = raw[key]
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            problems.append(f"[settings]: {key} must be a positive whole number, got {value!r}")
        else:
            values[key] = value
    return Settings(**values)


def _route(index: int, raw: Any, problems: list[str]) -> Route | None:
    if not isinstance(raw, dict):
        problems.append(f"route {index}: must be a table")
        return None
    label = f"route {index} ({raw.get('name', '?')})"
    for key in sorted(set(raw) - ROUTE_KEYS):
        problems.append(f"{label}: unknown key '{key}' (allowed: {', '.join(sorted(ROUTE_KEYS))})")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{label}: needs a name")
        name = f"route {index}"
    unit = raw.get("unit")
    committee = raw.get("committee", False)
    if unit is not None and (not isinstance(unit, str) or not unit.strip()):
        problems.append(f"{label}: unit must be a unit code such as '130506101'")
        unit = None
    if not isinstance(committee, bool):
        problems.append(f"{label}: committee must be true or false")
        committee = False
    if (unit is None) == (not committee):
        problems.append(f"{label}: give either unit = '<unit code>' or committee = true")
    kinds_raw = raw.get("kinds", sorted(KINDS))
    if not isinstance(kinds_raw, list) or not kinds_raw:
        problems.append(f"{label}: kinds must be a non-empty list")
        kinds_raw = []
    for kind in kinds_raw:
        if kind not in KINDS:
            problems.append(f"{label}: unknown kind {kind!r} (allowed: {', '.join(KINDS)})")
    urls = raw.get("urls")
    if isinstance(urls, str):
        urls = split_urls(urls)
    if not isinstance(urls, list) or not urls or not all(isinstance(u, str) and "://" in u for u in urls):
        problems.append(f"{label}: urls must list at least one Apprise URL (e.g. 'wecombot://…')")
        urls = []
    return Route(name=name.strip(), urls=tuple(u.strip() for u in urls), kinds=frozenset(k for k in kinds_raw if k in KINDS),
                 unit=unit.strip() if unit else None, committee=committee)
