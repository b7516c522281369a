"""Content-addressed image store: files named by the SHA-256 of their bytes, under
``<data dir>/images/ab/cd/<sha256>.jpg``, with one row per file in ``images``."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from sqlalchemy import Connection

from alpr.data.base import utcnow
from alpr.data.dialect import insert_ignoring_duplicates
from alpr.data.models import Image


class ImageStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a SHA-256 digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / f"{sha256}.jpg"

    def put(self, data: bytes) -> str:
        """Write the bytes (atomically, once) and return their SHA-256."""
        sha256 = hashlib.sha256(data).hexdigest()
        path = self.path_for(sha256)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)
        return sha256

    def get(self, sha256: str) -> bytes | None:
        path = self.path_for(sha256)
        return path.read_bytes() if path.exists() else None

    def delete(self, sha256: str) -> bool:
        path = self.path_for(sha256)
        if path.exists():
            path.unlink()
            return True
        return False

    def record(
        self,
        conn: Connection,
        *,
        sha256: str,
        size_bytes: int,
        width: int | None,
        height: int | None,
    ) -> None:
        insert_ignoring_duplicates(
            conn,
            Image,
            [
                {
                    "sha256": sha256,
                    "content_type": "image/jpeg",
                    "size_bytes": size_bytes,
                    "width": width,
                    "height": height,
                    "stored_at": utcnow(),
                }
            ],
        )
