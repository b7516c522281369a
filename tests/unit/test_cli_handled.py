"""How a command's failures end: a reader that stops early (`alpr ... | head`) is not a
usage mistake; a path that cannot be read is, in one line (exit 2)."""

from __future__ import annotations

import pytest
import typer

from alpr.commands.common import handled


def test_a_reader_gone_is_left_to_end_quietly_not_called_bad_input() -> None:
    with pytest.raises(BrokenPipeError), handled():
        raise BrokenPipeError(32, "Broken pipe")


def test_an_unreadable_path_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(typer.Exit) as ended, handled():
        raise PermissionError(13, "Permission denied", "/srv/alpr/reads.csv")
    assert ended.value.exit_code == 2
    assert capsys.readouterr().err.strip() == "error: Permission denied: /srv/alpr/reads.csv"
