"""Who may see what: a signed-in user's role and the units it covers."""

from __future__ import annotations

from dataclasses import dataclass

ROLES: tuple[str, ...] = ("committee", "analyst", "unit", "station")
ROLE_LABELS: dict[str, str] = {"committee": "政法委", "analyst": "分析员", "unit": "乡镇/成员单位", "station": "派出所"}


@dataclass(frozen=True)
class Grant:
    """A signed-in user's role and units (township or member unit codes for `unit`, station keys for `station`)."""

    user: str
    role: str
    units: tuple[str, ...] = ()

    def cache_key(self) -> str:
        """The scope as a string: part of every cache key of scoped data."""
        return f"{self.role}:{','.join(sorted(self.units))}"
