"""What an alert claims before a person has reviewed it (R13)."""

from __future__ import annotations

# How an alert raised by another reading of the read is marked, wherever it is shown or sent.
POSSIBLE = "possible — alternative reading"


def certainty(alternative: str | None) -> str:
    """What an alert says before its review: raised by the plate as read, it is unconfirmed;
    raised only by another reading of it, it is only possible (R13)."""
    return POSSIBLE if alternative else "unconfirmed"
