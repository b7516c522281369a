"""Signed checkpoints of the access log (R22): the chain's extent and both of its ends (record
count, first and last id, the anchor it starts from, the hash of its newest record), signed
with the agency's Ed25519 key, appended to a JSON-lines file under the data dir and kept in an
append-only table: whoever can rewrite the tables has neither the key nor the file, and
whoever cuts the file leaves the database's copies to name it.

A checkpoint is written after each purge and daily (``alpr db maintain``), and only over a
chain that verifies and still holds what the previous checkpoint signed. ``alpr audit verify``
then names what went missing since: the newest records (a truncated tail), the oldest ones
behind an anchor no checkpoint attests (a forged purge anchor), or a chain replaced wholesale.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alpr.data.models import AccessLogCheckpoint, AccessRecord, PurgeRun
from alpr.governance import access_log, log_witness
from alpr.governance.access_log import ChainReport, ChainState
from alpr.governance.agency_keys import key_id, public_key_text, signing_key
from alpr.governance.runtime import Runtime


class ChainBroken(Exception):
    """The access log does not verify: nothing may be signed over it."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    at: str  # ISO 8601, UTC
    reason: str  # "purge" or "daily"
    records: int
    first_id: int | None
    last_id: int | None
    anchor: str  # the hash the first record follows
    head: str  # the hash of the newest record (the anchor when there is none)
    anchor_run: int | None  # the purge run whose anchor the chain starts from
    mac_from_id: int  # records from this id on carry a MAC
    key_id: str
    public_key: str  # base64 of the raw Ed25519 public key
    signature: str = ""

    def signed_bytes(self) -> bytes:
        fields = asdict(self)
        del fields["signature"]
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    def line(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))


def _parse(text: str, public: Ed25519PublicKey) -> Checkpoint | None:
    """The checkpoint a signed line holds, or None if it is not one the key signed."""
    try:
        checkpoint = Checkpoint(**json.loads(text))
        public.verify(base64.b64decode(checkpoint.signature), checkpoint.signed_bytes())
    except (ValueError, TypeError, InvalidSignature):
        return None
    return checkpoint


def _numbers(seqs: set[int]) -> str:
    return ", ".join(str(seq) for seq in sorted(seqs))


def read_checkpoints(rt: Runtime, session: Session) -> tuple[list[Checkpoint], list[str]]:
    """The checkpoints the agency key signed, from the file and the database's copies, in
    order; and a problem for every copy that is not one, missing on one side, or different."""
    public = signing_key(rt.settings).public_key()
    path = rt.settings.checkpoint_file
    problems: list[str] = []
    in_file: dict[int, Checkpoint] = {}
    lines = path.read_text().splitlines() if path.exists() else []
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        checkpoint = _parse(text, public)
        if checkpoint is None:
            problems.append(f"line {number} of {path} is not a checkpoint signed by the agency key")
            continue
        in_file[checkpoint.seq] = checkpoint
    in_database: dict[int, Checkpoint] = {}
    for seq, signed in session.execute(
        select(AccessLogCheckpoint.seq, AccessLogCheckpoint.signed).order_by(
            AccessLogCheckpoint.seq
        )
    ):
        checkpoint = _parse(signed, public)
        if checkpoint is None or checkpoint.seq != seq:
            problems.append(f"checkpoint {seq} in the database is not signed by the agency key")
            continue
        in_database[seq] = checkpoint
    if only_database := set(in_database) - set(in_file):
        problems.append(
            f"checkpoints {_numbers(only_database)}, kept in the database, are missing from "
            f"{path}: the file was cut or replaced"
        )
    if only_file := set(in_file) - set(in_database):
        problems.append(
            f"checkpoints {_numbers(only_file)} of {path} are missing from the database: its "
            "copies were deleted"
        )
    if differing := {
        seq for seq in set(in_file) & set(in_database) if in_file[seq] != in_database[seq]
    }:
        problems.append(f"checkpoints {_numbers(differing)} differ between {path} and the database")
    merged = {**in_file, **in_database}
    return [merged[seq] for seq in sorted(merged)], problems


def _through_id(session: Session, run_id: int) -> int | None:
    through = session.execute(
        select(PurgeRun.methods["access_log_through_id"].as_integer()).where(PurgeRun.id == run_id)
    ).scalar_one_or_none()
    return int(through) if through is not None else None


def _missing(session: Session, signed: Checkpoint) -> int:
    if signed.first_id is None or signed.last_id is None:
        return 0
    within = session.execute(
        select(func.count()).where(AccessRecord.id.between(signed.first_id, signed.last_id))
    ).scalar_one()
    return signed.records - int(within)


def _since(signed: Checkpoint) -> str:
    return f"checkpoint {signed.seq} ({signed.reason}, {signed.at})"


def continuity(
    session: Session, state: ChainState, signed: Checkpoint, *, purge_run: int | None = None
) -> str | None:
    """What the chain lost of what ``signed`` attested, or None. ``purge_run``: the purge this
    job has just run, whose anchor (and the records it removed) are therefore expected."""
    run_id, anchor = access_log.anchor_run(session)
    through = _through_id(session, run_id) if run_id is not None and run_id == purge_run else None
    newest_purged = through is not None and signed.last_id is not None and signed.last_id <= through
    if signed.last_id is not None and not newest_purged:
        newest = session.execute(
            select(AccessRecord.hash).where(AccessRecord.id == signed.last_id)
        ).scalar_one_or_none()
        if newest is None:
            count = _missing(session, signed)
            if state.last_id is None or state.last_id < signed.last_id:
                return (
                    f"the newest {count} records as of {_since(signed)}, through record "
                    f"{signed.last_id}, are missing: the log's tail was truncated"
                )
            return (
                f"{count} records signed by {_since(signed)} are missing, among them its "
                f"newest, record {signed.last_id}"
            )
        if newest != signed.head:
            return (
                f"the chain was replaced: record {signed.last_id} is not the record "
                f"{_since(signed)} signed"
            )
    if anchor != signed.anchor and through is None:
        count = _missing(session, signed)
        if run_id is None:
            return (
                f"the chain was replaced: it starts from the genesis, not from the anchor "
                f"{_since(signed)} signed"
            )
        return (
            f"the oldest {count} records signed by {_since(signed)}, from record "
            f"{signed.first_id}, are missing: the chain now starts from the anchor of purge run "
            f"{run_id}, which no signed checkpoint attests (a forged anchor)"
        )
    return None


def witnessed(rt: Runtime, session: Session, state: ChainState) -> str | None:
    """What the chain lost of the newest record this installation saw written (its witness,
    moved forward after every commit that appended records), or None: the records written
    since the last checkpoint are covered too."""
    try:
        seen = log_witness.read(rt.settings.witness_file, rt.log_key)
    except log_witness.WitnessAltered as altered:
        return f"the access log's witness was altered: {altered}"
    if seen is None:
        return None
    held = session.execute(
        select(AccessRecord.hash).where(AccessRecord.id == seen.last_id)
    ).scalar_one_or_none()
    if held is None:
        run_id = access_log.anchor_run(session)[0]
        through = _through_id(session, run_id) if run_id is not None else None
        if through is not None and seen.last_id <= through:
            return None  # retention purged it, as the purge run's anchor records
        if state.last_id is None or state.last_id < seen.last_id:
            return (
                f"the newest records, through record {seen.last_id}, which this installation "
                "saw written, are missing: the log's tail was truncated"
            )
        return f"record {seen.last_id}, which this installation saw written, is missing"
    if held != seen.hash:
        return (
            f"the chain was replaced: record {seen.last_id} is not the record this "
            "installation saw written"
        )
    return None


@dataclass(frozen=True)
class Verified:
    """The chain as recomputed, and what the latest checkpoint says of it."""

    report: ChainReport
    checkpoint: Checkpoint | None


def verify_chain(rt: Runtime, session: Session, *, purge_run: int | None = None) -> Verified:
    """Recompute the chain (hashes, MACs) and hold it against the latest valid checkpoint."""
    signed, bad_lines = read_checkpoints(rt, session)
    latest = signed[-1] if signed else None
    mac_from = access_log.mac_start(session)
    if latest is not None:
        mac_from = min(mac_from, latest.mac_from_id)
    report = access_log.verify(session, key=rt.log_key, mac_from_id=mac_from)
    if report.ok and bad_lines:
        report = replace(report, ok=False, problem=bad_lines[0])
    if report.ok and latest is not None and report.state is not None:
        problem = continuity(session, report.state, latest, purge_run=purge_run)
        if problem:
            report = replace(report, ok=False, problem=problem)
    if report.ok and report.state is not None:
        problem = witnessed(rt, session, report.state)
        if problem:
            report = replace(report, ok=False, problem=problem)
    return Verified(report, latest)


def write_checkpoint(rt: Runtime, *, reason: str, purge_run: int | None = None) -> Checkpoint:
    """Verify the chain and append a signed checkpoint of it; ChainBroken if it does not
    verify (nothing is signed then)."""
    with rt.transaction() as session:
        verified = verify_chain(rt, session, purge_run=purge_run)
        report = verified.report
        if not report.ok or report.state is None:
            raise ChainBroken(report.problem or "the access log does not verify")
        anchor_run = access_log.anchor_run(session)[0]
        mac_from = access_log.mac_start(session)
        state = report.state
        key = signing_key(rt.settings)
        previous = verified.checkpoint
        checkpoint = _signed(
            key,
            Checkpoint(
                seq=previous.seq + 1 if previous else 1,
                at=rt.now().isoformat(),
                reason=reason,
                records=state.records,
                first_id=state.first_id,
                last_id=state.last_id,
                anchor=state.anchor,
                head=state.head,
                anchor_run=anchor_run,
                mac_from_id=min(mac_from, previous.mac_from_id) if previous else mac_from,
                key_id=key_id(key.public_key()),
                public_key=public_key_text(key.public_key()),
            ),
        )
        # The database's copy commits with the check it was signed after; the file's follows.
        session.add(AccessLogCheckpoint(seq=checkpoint.seq, signed=checkpoint.line()))
    _append_line(rt.settings.checkpoint_file, checkpoint.line())
    return checkpoint


def _signed(key: Ed25519PrivateKey, unsigned: Checkpoint) -> Checkpoint:
    signature = base64.b64encode(key.sign(unsigned.signed_bytes())).decode()
    return replace(unsigned, signature=signature)


def _append_line(path: Path, line: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(descriptor, "a") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())
