"""The agency's keys, kept in files and never in the database: the Ed25519 key that signs
reports and access-log checkpoints, and the secret of the access log's MAC. Each is created
once (at set-up, or at first use), readable by its owner only."""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from alpr.config import Deployment


def _read_or_create(path: Path, make: bytes) -> bytes:
    """The file's bytes; created with ``make`` (mode 0600) if absent. Written aside and linked
    into place, so that a second process never reads a half-written key."""
    if path.exists():
        return path.read_bytes()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    aside = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(make)
        handle.flush()
        os.fsync(handle.fileno())
    try:
        os.link(aside, path)
    except FileExistsError:
        pass  # another process created it first: theirs is the key
    finally:
        aside.unlink()
    return path.read_bytes()


def signing_key(settings: Deployment) -> Ed25519PrivateKey:
    """The agency's Ed25519 key (reports, checkpoints)."""
    fresh = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    pem = _read_or_create(settings.key_dir / "audit-report-ed25519.pem", fresh)
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the agency signing key is not an Ed25519 key")
    return key


def public_key_text(key: Ed25519PublicKey) -> str:
    """The public key as base64 of its 32 raw bytes."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def key_id(key: Ed25519PublicKey) -> str:
    """A short name of a public key: the first 16 hex digits of the SHA-256 of its raw bytes."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def log_mac_key(settings: Deployment) -> bytes:
    """The secret of the access log's MAC (32 random bytes, kept as hex)."""
    text = _read_or_create(settings.resolved_log_key_file, secrets.token_hex(32).encode())
    return bytes.fromhex(text.decode().strip())


def ensure_keys(settings: Deployment) -> None:
    """Create both keys at set-up if they do not exist yet."""
    signing_key(settings)
    log_mac_key(settings)
