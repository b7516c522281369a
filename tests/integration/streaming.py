"""A primary and its hot standby, each a Postgres 15 cluster of its own on a free port: the
primary with ``wal_level=replica``, the standby made by ``pg_basebackup -R`` and kept up to date
by streaming replication. Run as the ``postgres`` user when the tests run as root (Postgres
refuses to run as root)."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

BIN = Path("/usr/lib/postgresql/15/bin")
PRIMARY_SETTINGS = """
listen_addresses = '127.0.0.1'
wal_level = replica
max_wal_senders = 4
hot_standby = on
max_connections = 40
"""
# For tests: nothing here needs to survive a crash of the machine.
UNSAFE_FAST = """
fsync = off
full_page_writes = off
shared_buffers = 32MB
"""


def missing_binaries() -> list[str]:
    return [name for name in ("initdb", "pg_ctl", "pg_basebackup") if not (BIN / name).exists()]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_owner() -> list[str]:
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def _run(*args: str | Path) -> None:
    subprocess.run(
        [*_as_owner(), *(str(a) for a in args)], check=True, capture_output=True, timeout=120
    )


@dataclass
class Cluster:
    data: Path
    port: int
    log: Path

    def conninfo(self, database: str = "postgres") -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={database}"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        _run(
            BIN / "pg_ctl", "-D", self.data, "-l", self.log, "-w", "-o", f"-p {self.port}", "start"
        )

    def stop(self) -> None:
        _run(BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def sql(self, statement: str, database: str = "postgres") -> object:
        with psycopg.connect(self.conninfo(database), autocommit=True) as conn:
            cursor = conn.execute(statement)
            row = cursor.fetchone() if cursor.description else None
            return row[0] if row else None


@dataclass
class StreamingPair:
    root: Path
    primary: Cluster
    standby: Cluster

    def replayed(self, timeout_s: float = 30) -> None:
        """Wait until the standby has replayed everything the primary has written."""
        position = self.primary.sql("SELECT pg_current_wal_insert_lsn()")
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.standby.sql(f"SELECT pg_last_wal_replay_lsn() >= '{position}'::pg_lsn"):
                return
            time.sleep(0.05)
        raise TimeoutError("the standby did not catch up with the primary")

    def close(self) -> None:
        for cluster in (self.standby, self.primary):
            with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
                cluster.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def start_pair(settings: str = UNSAFE_FAST) -> StreamingPair:
    """A primary (with ``settings`` added to its configuration, which the standby copies)
    and its hot standby, both running."""
    root = Path(tempfile.mkdtemp(prefix="alpr_streaming_"))
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(root, owner.pw_uid, owner.pw_gid)
    primary = Cluster(root / "primary", _free_port(), root / "primary.log")
    standby = Cluster(root / "standby", _free_port(), root / "standby.log")
    pair = StreamingPair(root, primary, standby)
    try:
        _run(BIN / "initdb", "-D", primary.data, "-U", "postgres", "--auth=trust", "-E", "UTF8")
        with (primary.data / "postgresql.conf").open("a") as conf:
            conf.write(PRIMARY_SETTINGS + settings + f"unix_socket_directories = '{root}'\n")
        primary.start()
        _run(
            BIN / "pg_basebackup",
            "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
            "-D", standby.data, "-R", "-X", "stream", "-c", "fast",
        )  # fmt: skip
        standby.start()
    except BaseException:
        pair.close()
        raise
    return pair
