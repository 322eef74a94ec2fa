"""Errors a user can cause. The CLI prints them as one line and exits with their code, never a traceback."""

from __future__ import annotations


class UserError(Exception):
    """A mistake in the user's input or environment (bad argument, unreadable file, ...).

    exit_code 2 = usage error (bad arguments); 1 = the run could not do its job.
    """

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code

