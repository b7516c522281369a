"""The operator of the server's command line, as the access log names them when no one is
signed in (shell access to the server is itself the privilege)."""

from __future__ import annotations

import getpass


def operator_name() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"
