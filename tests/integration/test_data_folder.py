"""The data folder holds plate images, release and evidence packages, the spool of reads, the
keys and a local database: it is the service account's alone (R48, R50)."""

from __future__ import annotations

import stat
from pathlib import Path

from alpr.governance.runtime import Runtime, build_runtime


def test_the_data_folder_is_closed_to_every_other_account(rt: Runtime, tmp_path: Path) -> None:
    """R48, R50: a plate crop written under a data folder as the umask leaves it (0755) could be
    read by any account on the server, with no justification and no access record. The
    folder is created for the service account alone, and one found open is closed."""
    fresh = tmp_path / "fresh" / "data"
    opened = tmp_path / "opened"
    opened.mkdir(mode=0o777)
    opened.chmod(0o755)
    for folder in (fresh, opened):
        built = build_runtime(rt.settings.model_copy(update={"data_dir": folder}))
        crop = built.images.path_for(built.images.put(b"\xff\xd8 plate crop of 7KQM482"))
        built.engine.dispose()
        assert crop.is_relative_to(folder)
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
