"""Every command the README and docs/ show runs as written: each ``alpr`` line names a command
that exists, with options it takes; a whole command line of a code block parses as given
(required options and values of the right kind) and names who acts with ``--as`` whenever the
command acts as someone; the benchmarks and scripts named exist and take the options shown.
A command renamed, an option dropped or an example missing its ``--as`` fails here rather than
in an officer's terminal."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath

import pytest
import typer
from typer._click import core  # Typer vendors Click here
from typer._click.exceptions import ClickException
from typer.core import TyperGroup
from typer.testing import CliRunner

from alpr.cli import app

ROOT = Path(__file__).resolve().parents[2]
DOCS = (ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")))
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
INLINE = re.compile(r"`([^`]+)`")
SEPARATORS = frozenset("();<>|&{}")
ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
BENCH = re.compile(r"python (bench/\w+\.py)([^`]*)")
SCRIPT = re.compile(r"(?:\./)?((?:scripts|\.ci)/[\w.]+)")
# Only the first Administrator of an empty database is added without anyone signed in.
ACTS_WITHOUT_ANYONE = ("users", "add")


@dataclass(frozen=True)
class Shown:
    """A command as a document shows it: ``whole`` for a line of a code block, otherwise a
    mention in the text, which may leave out what the sentence around it says."""

    where: str
    argv: tuple[str, ...]
    whole: bool

    def __str__(self) -> str:
        return f"{self.where}: alpr {' '.join(self.argv)}"


def _commands_in(line: str) -> Iterator[tuple[str, ...]]:
    """The arguments of each ``alpr`` command on a shell line (after any variables set for it,
    inside a function body or a pipe); ``$(...)`` and redirections are not commands of it."""
    if not re.search(r"\balpr\b", line):
        return
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    segment: list[str] = []
    for word in [*lexer, ";"]:
        if set(word) <= SEPARATORS:
            program = next(
                (i for i, w in enumerate(segment) if not ASSIGNMENT.match(w) or _is_alpr(w)), None
            )
            if program is not None and _is_alpr(segment[program]):
                yield tuple(segment[program + 1 :])
            segment = []
        else:
            segment.append(word)


def _is_alpr(word: str) -> bool:
    """``alpr``, ``.venv/bin/alpr``, or a service file's ``ExecStart=/opt/alpr/.venv/bin/alpr``."""
    return PurePosixPath(word.rpartition("=")[2]).name == "alpr"


def _logical_lines(block: str) -> Iterator[tuple[int, str]]:
    """The block's lines with backslash continuations joined, each with its first line's
    offset in the block."""
    start, pending = 0, ""
    for number, line in enumerate(block.splitlines()):
        if not pending:
            start = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        yield start, pending + line
        pending = ""


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


@cache
def documented() -> tuple[Shown, ...]:
    shown: list[Shown] = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        name = doc.relative_to(ROOT).as_posix()
        for block in FENCE.finditer(text):
            if block.group(1) in ("json", "sql", "text"):
                continue
            first = _line_of(text, block.start(2))
            for offset, line in _logical_lines(block.group(2)):
                shown.extend(
                    Shown(f"{name}:{first + offset}", argv, whole=True)
                    for argv in _commands_in(line)
                    if argv
                )
        prose = FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), text)
        for span in INLINE.finditer(prose):
            words = span.group(1).split()
            if len(words) > 1 and _is_alpr(words[0]):
                shown.extend(
                    Shown(f"{name}:{_line_of(prose, span.start())}", argv, whole=False)
                    for argv in _commands_in(" ".join(words))
                )
    return tuple(shown)


ROOT_COMMAND = typer.main.get_command(app)
CONTEXT = core.Context(ROOT_COMMAND)


def _resolve(argv: tuple[str, ...]) -> tuple[list[str], core.Command, list[str]]:
    """The command path the arguments name, the command, and the arguments left for it."""
    command: core.Command = ROOT_COMMAND
    path: list[str] = []
    rest = list(argv)
    while isinstance(command, TyperGroup) and rest and not rest[0].startswith("-"):
        sub = command.get_command(CONTEXT, rest[0])
        if sub is None:
            break
        path.append(rest.pop(0))
        command = sub
    return path, command, rest


def _options(command: core.Command) -> set[str]:
    return {o for p in command.params for o in (*p.opts, *p.secondary_opts)} | {"--help"}


def test_the_documents_show_commands_of_every_kind() -> None:
    shown = documented()
    assert sum(s.whole for s in shown) > 40 and sum(not s.whole for s in shown) > 30
    paths = {" ".join(_resolve(s.argv)[0]) for s in shown}
    assert {"releases fulfil", "search vehicle", "db maintain", "policy set", "signin"} <= paths
    # The cron line's service account is not a command, its `.venv/bin/alpr` is.
    assert not any(s.argv and s.argv[0] == "cd" for s in shown)


@pytest.mark.parametrize("shown", documented(), ids=str)
def test_each_documented_command_exists_with_the_options_shown(shown: Shown) -> None:
    path, command, rest = _resolve(shown.argv)
    unknown = {w.split("=")[0] for w in rest if w.startswith("--")} - _options(command)
    assert not unknown, f"{shown}: no option {', '.join(sorted(unknown))}"
    if isinstance(command, TyperGroup):
        words = [w for w in rest if not w.startswith("-")]
        assert not words, f"{shown}: no command {words[0]!r} in `alpr {' '.join(path)}`"
        assert not shown.whole or rest == ["--help"], f"{shown}: names no command to run"
        return
    if not shown.whole:
        return
    try:
        command.make_context(" ".join(path), list(rest))
    except ClickException as problem:
        pytest.fail(f"{shown}: {problem.format_message()}")
    acts_as_someone = any(p.name == "as_user" for p in command.params)
    if acts_as_someone and tuple(path) != ACTS_WITHOUT_ANYONE:
        assert "--as" in rest, f"{shown}: refused (exit 3) without --as USER"


def test_each_documented_command_answers_help() -> None:
    paths = sorted({tuple(_resolve(s.argv)[0]) for s in documented()})
    runner = CliRunner()
    for path in paths:
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output, (path, result.output)


def test_no_command_asks_for_who_acts_as_a_usage_mistake() -> None:
    """R01: a command run without ``--as`` is a refusal (exit 3, "name who acts with --as
    USER"), as the README and docs/authentication.md say, never Click's "Missing option"
    (exit 2): ``--as`` is checked by the command, never required by the parser."""

    def leaves(command: core.Command) -> Iterator[core.Command]:
        if isinstance(command, TyperGroup):
            for name in command.list_commands(CONTEXT):
                sub = command.get_command(CONTEXT, name)
                assert sub is not None
                yield from leaves(sub)
        else:
            yield command

    required = [
        c.name for c in leaves(ROOT_COMMAND) for p in c.params if p.name == "as_user" and p.required
    ]
    assert not required


def test_the_readme_lists_every_command_group() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = readme.split("`alpr --help` lists ", 1)[1].split(";", 1)[0]
    assert set(re.findall(r"`([a-z-]+)`", listed)) == set(ROOT_COMMAND.list_commands(CONTEXT))


def _benchmarks() -> dict[str, set[str]]:
    """Each benchmark the documents run, with every option they give it."""
    runs: dict[str, set[str]] = {}
    for doc in DOCS:
        text = " ".join(doc.read_text(encoding="utf-8").split())
        for script, args in BENCH.findall(text):
            runs.setdefault(script, set()).update(re.findall(r"--[a-z][a-z-]*", args))
    return runs


def test_each_documented_benchmark_takes_the_options_shown() -> None:
    runs = _benchmarks()
    assert {"bench/recognition.py", "bench/queries.py", "bench/pages.py"} <= set(runs)
    for script, options in runs.items():
        result = subprocess.run(
            [sys.executable, script, "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, (script, result.stderr)
        missing = {o for o in options if not re.search(rf"{o}\b", result.stdout)}
        assert not missing, f"{script} takes no {', '.join(sorted(missing))}"


def test_each_documented_script_exists() -> None:
    named = {
        match
        for doc in DOCS
        for match in SCRIPT.findall(doc.read_text(encoding="utf-8"))
        if not match.endswith("/")
    }
    assert {"scripts/run.sh", "scripts/test.sh", "scripts/postgres_settings.sql"} <= named
    for script in named:
        path = ROOT / script
        assert path.is_file(), script
        if path.suffix in (".sh", ""):
            assert path.stat().st_mode & 0o111, f"{script} is not executable"
