"""Packages of files that leave the system (evidence exports, release packages): written into a
staging folder while the transaction that records them is open, published by one rename once it
has committed, and checked later against the manifest recorded in the database, so that a
package whose files and manifest were rewritten together is still caught."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return json.dumps(manifest, indent=2, sort_keys=True).encode()


class Staging:
    """Files written under a hidden folder beside the package's final place, with their hashes."""

    def __init__(self, final: Path) -> None:
        self.final = final
        self.folder = final.parent / f".{final.name}.staging-{uuid.uuid4().hex[:12]}"
        self.files: dict[str, str] = {}

    def write(self, name: str, data: bytes) -> None:
        path = self.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.files[name] = hashlib.sha256(data).hexdigest()

    def seal(self, manifest: dict[str, Any]) -> str:
        """Write the manifest (which lists every file written); returns its SHA-256."""
        data = manifest_bytes(manifest)
        (self.folder / MANIFEST).write_bytes(data)
        return hashlib.sha256(data).hexdigest()


@contextmanager
def staged(final: Path) -> Iterator[Staging]:
    """Stage a package for ``final`` (which must not hold anything yet). The body writes the
    files and records the package in a transaction that commits before the body ends; the
    staged folder then becomes ``final`` in one rename. If the body fails the staged files are
    removed: neither a half package nor a record of one is left."""
    if final.exists() and (not final.is_dir() or any(final.iterdir())):
        raise FileExistsError(f"{final} already holds files")
    staging = Staging(final)
    staging.folder.mkdir(parents=True)
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging.folder, ignore_errors=True)
        raise
    os.replace(staging.folder, final)


def differences(
    folder: Path, *, recorded_sha256: str, recorded: dict[str, Any] | None
) -> list[str]:
    """Every way the package in ``folder`` differs from what was recorded when it was made: the
    manifest against its recorded SHA-256, each file against the hash in the recorded manifest
    (or, for packages recorded without it, the manifest in the folder). Empty when intact."""
    path = folder / MANIFEST
    problems = []
    present: dict[str, Any] | None = None
    if not path.is_file():
        problems.append(f"{MANIFEST} is missing")
    else:
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != recorded_sha256:
            problems.append(
                f"{MANIFEST} differs from the manifest recorded when the package was made"
            )
        try:
            present = json.loads(data)
        except json.JSONDecodeError:
            problems.append(f"{MANIFEST} is not valid JSON")
    source = recorded if recorded is not None else present
    listed: dict[str, str] = dict((source or {}).get("files") or {})
    for name, digest in sorted(listed.items()):
        file = folder / name
        if not file.is_file():
            problems.append(f"{name} is missing")
        elif hashlib.sha256(file.read_bytes()).hexdigest() != digest:
            problems.append(f"{name} was changed")
    on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    for extra in sorted(on_disk - set(listed) - {MANIFEST}):
        problems.append(f"{extra} is not in the manifest")
    return problems


def zipped(folder: Path, root: str) -> bytes:
    """The package as a zip with its manifest, every file under ``root/``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            archive.write(path, f"{root}/{path.relative_to(folder).as_posix()}")
    return buffer.getvalue()
