"""Release requests past their retention (R42: the approved request is retained on file, for
the agency's ``retention_release_days``): a request goes with its decision, package record,
attachments and scope when the last thing that happened to it is older than the period, and
with the files kept for it on the server (the package's copies of reads and images, the
uploaded request, order or warrant). A scope a request was given before its last one goes
when it is as old."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from alpr.data.models import (
    LegalHold,
    ReleaseAttachment,
    ReleaseDecision,
    ReleasePackage,
    ReleaseRequest,
    Scope,
)
from alpr.governance.releases.fulfilment import package_folder
from alpr.governance.releases.requests import attachment_folder
from alpr.governance.runtime import Runtime


def _last_events(session: Session) -> dict[int, datetime]:
    """Each request with the time of the last thing recorded about it."""
    last: dict[int, datetime] = {}
    for request_id, at in (
        *session.execute(select(ReleaseRequest.id, ReleaseRequest.filed_at)),
        *session.execute(select(ReleaseDecision.request_id, ReleaseDecision.decided_at)),
        *session.execute(select(ReleasePackage.request_id, ReleasePackage.produced_at)),
        *session.execute(select(ReleaseAttachment.request_id, ReleaseAttachment.uploaded_at)),
    ):
        at = at if at.tzinfo else at.replace(tzinfo=UTC)
        last[request_id] = max(at, last.get(request_id, at))
    return last


def purge_release_records(
    rt: Runtime, session: Session, *, cutoff: datetime, dry_run: bool
) -> tuple[int, list[Path]]:
    """Delete the requests whose last event is before ``cutoff`` and all recorded about them;
    return how many, and the folders to remove once the deletion is committed."""
    doomed = sorted(
        request_id for request_id, last in _last_events(session).items() if last < cutoff
    )
    if dry_run or not doomed:
        return len(doomed), []
    folders = [
        folder(rt, request_id)
        for request_id in doomed
        for folder in (package_folder, attachment_folder)
    ]
    for table in (ReleasePackage, ReleaseAttachment, ReleaseDecision):
        session.execute(delete(table).where(table.request_id.in_(doomed)))
    session.execute(delete(ReleaseRequest).where(ReleaseRequest.id.in_(doomed)))
    # The purged requests' scopes, and those a request was given before its last one.
    in_use = (select(ReleaseRequest.scope_id).where(ReleaseRequest.scope_id.is_not(None))).union(
        select(LegalHold.scope_id).where(LegalHold.scope_id.is_not(None))
    )
    session.execute(delete(Scope).where(Scope.created_at < cutoff, Scope.id.not_in(in_use)))
    return len(doomed), folders


def remove_folders(folders: list[Path]) -> None:
    """Remove what the purged records kept on the server."""
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
