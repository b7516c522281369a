"""Every ``alpr`` command and group answers ``--help`` with its usage: a command whose module
fails to import, or whose options cannot be built, is found here rather than by an operator."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import typer
from typer._click import core  # Typer vendors Click here
from typer.core import TyperGroup
from typer.testing import CliRunner

from alpr.cli import app


def _commands() -> Iterator[list[str]]:
    root = typer.main.get_command(app)
    context = core.Context(root)

    def walk(command: core.Command, path: list[str]) -> Iterator[list[str]]:
        yield path
        if isinstance(command, TyperGroup):
            for name in command.list_commands(context):
                sub = command.get_command(context, name)
                assert sub is not None, name
                yield from walk(sub, [*path, name])

    yield from walk(root, [])


COMMANDS = list(_commands())


def test_the_command_tree_is_whole() -> None:
    named = {" ".join(path) for path in COMMANDS}
    assert {"search canvass", "releases fulfil", "evidence verify", "purge", "db maintain"} <= named
    assert len(COMMANDS) > 60


@pytest.mark.parametrize("path", COMMANDS, ids=lambda path: " ".join(path) or "alpr")
def test_each_command_answers_help(path: list[str]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("path", COMMANDS, ids=lambda path: " ".join(path) or "alpr")
def test_no_help_text_is_lost_to_markup(path: list[str]) -> None:
    """Help is read as markdown, where ``<data dir>`` is an HTML tag and vanishes ("default
    /import"): no command's or option's help holds one."""
    command: core.Command = typer.main.get_command(app)
    for name in path:
        assert isinstance(command, TyperGroup)
        sub = command.get_command(core.Context(command), name)
        assert sub is not None
        command = sub
    texts = [command.help or "", *(getattr(p, "help", None) or "" for p in command.params)]
    assert not [t for t in texts if re.search(r"<[A-Za-z][^>]*>", t)]
