"""The units a grant can name, from the reference seeds: townships and member units (role `unit`) and police
stations (role `station`), each by code or by name.

Codes follow docs/contracts.md §1: township codes are 9 digits (`130506101`), member unit codes are
`<district_code><member_unit_key>` (`130506M02`), station keys are `PS01`…  Only real districts
(`is_synthetic = false` in districts.csv) have units a person can be granted.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fanzha.access.grants import ROLE_LABELS, ROLES
from fanzha.core.errors import UserError
from fanzha.core.paths import SEEDS_DIR

WHOLE_DISTRICT_ROLES = ("committee", "analyst")


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    kind: str  # township / member_unit / police_station


def _rows(name: str, seeds: Path) -> list[dict[str, str]]:
    with (seeds / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@cache
def catalogue(seeds: Path = SEEDS_DIR) -> dict[str, tuple[Unit, ...]]:
    """Units a grant may name, per role: {"unit": townships + member units, "station": stations}."""
    districts = [r["district_code"] for r in _rows("districts.csv", seeds) if r["is_synthetic"].lower() != "true"]
    townships = [Unit(r["township_code"], r["township_name"], "township")
                 for r in _rows("townships.csv", seeds) if r["district_code"] in districts]
    members = [Unit(f"{d}{r['member_unit_key']}", r["member_unit_name"], "member_unit")
               for d in districts for r in _rows("member_units.csv", seeds)]
    stations: dict[str, Unit] = {}
    for r in _rows("police_stations.csv", seeds):
        stations.setdefault(r["station_key"], Unit(r["station_key"], r["station_name"], "police_station"))
    return {"unit": (*townships, *members), "station": tuple(stations.values())}


def check_role(role: str) -> str:
    if role not in ROLES:
        allowed = ", ".join(f"{r} ({ROLE_LABELS[r]})" for r in ROLES)
        raise UserError(f"unknown role {role!r}; allowed roles: {allowed}", 2)
    return role


def _allowed_text(units: tuple[Unit, ...]) -> str:
    return ", ".join(f"{u.code} {u.name}" for u in units)


def resolve(role: str, given: list[str] | tuple[str, ...], seeds: Path = SEEDS_DIR) -> tuple[str, ...]:
    """The unit codes of a grant for `role`, from codes or names; UserError (exit 2) naming the allowed values."""
    check_role(role)
    if role in WHOLE_DISTRICT_ROLES:
        if given:
            raise UserError(f"role {role} covers the whole district: give no --unit", 2)
        return ()
    units = catalogue(seeds)[role]
    if not given:
        what = "a township or member unit" if role == "unit" else "a police station"
        raise UserError(f"role {role} needs --unit ({what}); allowed: {_allowed_text(units)}", 2)
    by_key = {u.code.upper(): u for u in units} | {u.name: u for u in units}
    codes: list[str] = []
    for value in given:
        unit = by_key.get(value.strip().upper()) or by_key.get(value.strip())
        if unit is None:
            what = "township or member unit" if role == "unit" else "police station"
            raise UserError(f"unknown {what} {value!r} for role {role}; allowed: {_allowed_text(units)}", 2)
        if unit.code not in codes:
            codes.append(unit.code)
    return tuple(codes)


def names(codes: tuple[str, ...] | list[str], seeds: Path = SEEDS_DIR) -> list[str]:
    """Display names of unit codes (the code itself when the seeds do not know it)."""
    known = {u.code: u.name for group in catalogue(seeds).values() for u in group}
    return [known.get(c, c) for c in codes]
