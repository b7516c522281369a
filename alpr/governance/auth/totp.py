"""TOTP second factor (RFC 6238) with enrolment by QR code."""

from __future__ import annotations

import hmac
import io
from datetime import UTC, datetime

import pyotp
import qrcode

ISSUER = "ALPR"


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, *, username: str, issuer: str = ISSUER) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=issuer)


def qr_png(uri: str) -> bytes:
    image = qrcode.make(uri)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def accepted_step(secret: str, code: str, *, after: int | None) -> int | None:
    """The time-step ``code`` belongs to (this one or a neighbour, for clock drift), if it is
    later than ``after``, the step of the last code accepted: each code is good once, and a
    code older than one already used is spent too."""
    cleaned = "".join(ch for ch in code if ch.isdigit())
    if len(cleaned) != 6:
        return None
    otp = pyotp.TOTP(secret)
    now = otp.timecode(datetime.now(UTC))
    for step in (now - 1, now, now + 1):
        if (after is None or step > after) and hmac.compare_digest(otp.generate_otp(step), cleaned):
            return step
    return None


def current_code(secret: str) -> str:
    return pyotp.TOTP(secret).now()
