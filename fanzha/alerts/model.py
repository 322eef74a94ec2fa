"""The values the alert modules pass around. Pure data, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field

COMMITTEE = "committee"  # the addressee of committee alerts (a route with `committee = true`)

KINDS: dict[str, str] = {
    "post_warning_victim": "预后被骗",
    "overdue_lead": "超时线索",
    "process_below_target": "过程指标未达标",
}


@dataclass(frozen=True)
class Alert:
    """One thing to tell: a post-warning victim, an overdue lead step, a unit below a target.

    `key` identifies it for the ledger (sent once per route target). `addressees` are COMMITTEE and/or
    unit codes, in order of preference (a route that matches several gets it once, under the first).
    `line` is the item as printed in a message: masked names only.
    """

    key: str
    kind: str
    addressees: tuple[str, ...]
    unit_names: dict[str, str] = field(hash=False, compare=False, default_factory=dict)
    line: str = ""
    detail: str = ""  # a longer text for single-item messages (post-warning victims)


@dataclass(frozen=True)
class Route:
    """Where alerts go: the committee or one unit, the kinds it takes, its Apprise URLs."""

    name: str
    urls: tuple[str, ...]
    kinds: frozenset[str]
    unit: str | None = None
    committee: bool = False
    everything: bool = False  # FANZHA_ALERT_URLS: the committee's and every unit's alerts

    def addressee_for(self, alert: Alert) -> str | None:
        """The addressee under which this route receives `alert`, or None."""
        if alert.kind not in self.kinds:
            return None
        for addressee in alert.addressees:
            if self.everything or addressee == self.unit or (self.committee and addressee == COMMITTEE):
                return addressee
        return None


@dataclass(frozen=True)
class Settings:
    post_warning_lookback_days: int = 7
    digest_lines: int = 20


@dataclass(frozen=True)
class Message:
    """One message to one URL of one route, and the alert keys it carries."""

    route: str
    target: str  # a digest of the URL: the ledger's key (never the URL, which holds tokens)
    target_label: str  # the URL with its secrets masked, for logs and history
    url: str
    kind: str
    title: str
    body: str
    keys: tuple[str, ...]
    unit: str | None = None
