"""Until the auth branch is merged: the audit hook the dashboard calls (the auth helper's version replaces this)."""


def record(action: str, **detail: object) -> None: ...
