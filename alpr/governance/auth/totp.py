"""TOTP second factor (RFC 6238) with enrolment by QR code."""

from __future__ import annotations

import io

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


def verify_code(secret: str, code: str) -> bool:
    cleaned = "".join(ch for ch in code if ch.isdigit())
    return len(cleaned) == 6 and pyotp.TOTP(secret).verify(cleaned, valid_window=1)


def current_code(secret: str) -> str:
    return pyotp.TOTP(secret).now()
