"""Delivery through Apprise (the only module that touches the network). Apprise is imported lazily."""

from __future__ import annotations

import logging

from fanzha.alerts.model import Message


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def send(message: Message, *, timeout: float = 15.0) -> tuple[bool, str | None]:
    """Send one message to its URL. (delivered, error). Never raises for a delivery problem."""
    import apprise

    collect = _Collect()
    logger = logging.getLogger("apprise")
    logger.addHandler(collect)
    try:
        app = apprise.Apprise(asset=apprise.AppriseAsset(async_mode=False))
        if not app.add(message.url):
            return False, f"Apprise does not understand the URL {message.target_label}"
        for server in app:
            server.socket_connect_timeout = timeout
            server.socket_read_timeout = timeout
        ok = bool(app.notify(title=message.title, body=message.body, body_format=apprise.NotifyFormat.TEXT))
    except Exception as exc:  # a broken plugin or network stack: report it as this message's failure
        return False, f"{type(exc).__name__}: {exc}"
    finally:
        logger.removeHandler(collect)
    if ok:
        return True, None
    detail = "; ".join(dict.fromkeys(collect.lines))[:500]
    return False, detail or "Apprise reported a failed delivery"
