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


def read(path: Path, key: bytes) -> Witnessed | None:
    """The newest record witnessed; None before any; WitnessAltered if the file does not
    verify."""
    try:
        data = json.loads(path.read_text())
        witnessed = Witnessed(int(data["last_id"]), str(data["hash"]))
        mac = str(data["mac"])
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError) as exc:
        raise WitnessAltered(f"{path} is not a witness this installation wrote") from exc
    if not hmac.compare_digest(mac, _mac(key, witnessed.last_id, witnessed.hash)):
        raise WitnessAltered(f"{path} does not carry a valid MAC: it was altered")
    return witnessed


def advance(path: Path, key: bytes, *, last_id: int, head: str) -> None:
    """Witness record ``last_id`` (hash ``head``), unless a newer one is witnessed already:
    processes that commit in another order never move the witness back."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    lock = os.open(path.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            current = read(path, key)
        except WitnessAltered:
            current = None
        if current is not None and current.last_id >= last_id:
            return
        staged = path.with_suffix(".tmp")
        descriptor = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            json.dump({"last_id": last_id, "hash": head, "mac": _mac(key, last_id, head)}, handle)
        os.replace(staged, path)
    finally:
        os.close(lock)
