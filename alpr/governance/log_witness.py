"""The access log's witness (R22): the newest record this installation's processes have written
to the chain, kept outside the database (``ALPR_DATA_DIR/audit/access-log-witness.json``) with
a MAC under the log's key, and moved forward after every commit that appended records.

A signed checkpoint attests the chain as of its writing (daily, and after each purge); the
records written since are what someone who can rewrite the tables could cut off unseen. The
witness names the newest of them, so ``alpr audit verify`` finds the tail cut even between
checkpoints. Whoever holds only the database has neither the file nor the key; a witness whose
MAC does not verify is reported as altered."""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

# Where a transaction's session keeps the newest record it appended: (id, hash).
TAIL = "alpr_log_tail"


@dataclass(frozen=True)
class Witnessed:
    last_id: int
    hash: str


class WitnessAltered(Exception):
    """The witness file is there but is not what this installation wrote."""


def _mac(key: bytes, last_id: int, head: str) -> str:
    return hmac.new(key, f"witness:{last_id}:{head}".encode(), hashlib.sha256).hexdigest()


# The witness is rewritten in place, padded to one fixed size and under a lock on the file
# itself: a rename per commit cost half a millisecond on every governed act.
_SIZE = 256


def _parse(text: str, path: Path, key: bytes) -> Witnessed:
    try:
        data = json.loads(text)
        witnessed = Witnessed(int(data["last_id"]), str(data["hash"]))
        mac = str(data["mac"])
    except (ValueError, KeyError, TypeError) as exc:
        raise WitnessAltered(f"{path} is not a witness this installation wrote") from exc
    if not hmac.compare_digest(mac, _mac(key, witnessed.last_id, witnessed.hash)):
        raise WitnessAltered(f"{path} does not carry a valid MAC: it was altered")
    return witnessed


def read(path: Path, key: bytes) -> Witnessed | None:
    """The newest record witnessed; None before any; WitnessAltered if the file does not
    verify."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH)
        text = os.pread(descriptor, _SIZE * 4, 0).decode(errors="replace")
    finally:
        os.close(descriptor)
    return _parse(text, path, key)


def advance(path: Path, key: bytes, *, last_id: int, head: str) -> None:
    """Witness record ``last_id`` (hash ``head``), unless a newer one is witnessed already:
    processes that commit in another order never move the witness back."""
    if not path.parent.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        text = os.pread(descriptor, _SIZE * 4, 0).decode(errors="replace")
        try:
            current = _parse(text, path, key) if text.strip() else None
        except WitnessAltered:
            current = None
        if current is not None and current.last_id >= last_id:
            return
        record = json.dumps({"last_id": last_id, "hash": head, "mac": _mac(key, last_id, head)})
        os.pwrite(descriptor, record.encode().ljust(_SIZE), 0)
    finally:
        os.close(descriptor)
