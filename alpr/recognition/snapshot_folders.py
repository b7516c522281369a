"""The folders of snapshots the worker has read, a camera's watched folder or a back-fill's,
each with its camera: what they keep in ``done/`` and ``rejected/`` are photos of vehicles
outside the image store, and the daily purge finds them here to remove them with the images
of their time (R30) and to keep those of held reads (R31). A folder is remembered before
the first of its snapshots is moved, in a file of its own under the data folder (written
durably; two workers never overwrite each other's)."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from alpr.recognition.sources import write_durably

LOG = logging.getLogger("alpr.worker")
REGISTRY = "snapshot-folders"


@dataclass(frozen=True)
class SnapshotFolder:
    folder: Path
    camera_id: int


def remember_folder(data_dir: Path, *, folder: Path, camera_id: int) -> None:
    """Remember that ``camera_id``'s snapshots are read from ``folder`` (once)."""
    entry = {"folder": str(folder.resolve()), "camera_id": camera_id}
    text = json.dumps(entry, sort_keys=True)
    path = data_dir / REGISTRY / f"{hashlib.sha256(text.encode()).hexdigest()[:32]}.json"
    if path.is_file():
        return
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_durably(path, text)


def remembered_folders(data_dir: Path) -> list[SnapshotFolder]:
    """Every folder remembered, whether it still exists or not; an entry that cannot be read
    is named in the log and passed over."""
    registry = data_dir / REGISTRY
    if not registry.is_dir():
        return []
    folders = []
    for path in sorted(registry.glob("*.json")):
        try:
            entry = json.loads(path.read_text())
            folders.append(SnapshotFolder(Path(entry["folder"]), int(entry["camera_id"])))
        except (OSError, ValueError, TypeError, KeyError) as exc:
            LOG.error("snapshot folder entry %s unreadable (%s); passed over", path.name, exc)
    return folders
