"""``alpr`` run as a person runs it at a terminal: standard input and error on a
pseudo-terminal that is the process's controlling terminal (so hidden prompts read from it),
standard output on a pipe (as when it is redirected to a file or piped to ``jq``). Prompts are
answered in order, each once the terminal shows it and has stopped echoing (every prompt of the
command hides what is typed)."""

from __future__ import annotations

import os
import pty
import re
import select
import sys
import termios
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# An answer, or how to make it from what the terminal shows up to its prompt.
Answer = str | Callable[[str], str]


def _hiding(terminal: int) -> bool:
    """The terminal no longer echoes: the hidden prompt reads (typing before it would be
    shown, then discarded as the prompt turns echo off, as a person typing ahead finds)."""
    return not termios.tcgetattr(terminal)[3] & termios.ECHO


@dataclass(frozen=True)
class Typed:
    exit_code: int
    stdout: str
    terminal: str  # what the person saw: the prompts, the messages on standard error


def run_at_terminal(
    argv: Sequence[str], answers: Sequence[tuple[str, Answer]], *, timeout: float = 45
) -> Typed:
    """Run ``alpr ARGV`` in this checkout; for each ``(prompt, answer)`` in turn, wait until the
    terminal shows text matching the regular expression ``prompt`` and type the answer."""
    out_read, out_write = os.pipe()
    pid, terminal = pty.fork()
    if pid == 0:  # the child: a new session whose controlling terminal is the pty
        os.dup2(out_write, 1)
        os.chdir(ROOT)
        os.execv(sys.executable, [sys.executable, "-m", "alpr", *argv])  # noqa: S606  (no shell)
    os.close(out_write)
    screen, stdout, pending = b"", b"", list(answers)
    answered_to = 0  # what the terminal showed before the last answer
    deadline = time.monotonic() + timeout
    streams = [terminal, out_read]
    while streams:
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            raise AssertionError(f"alpr {' '.join(argv)} waited; the terminal showed:\n{screen!r}")
        ready, _, _ = select.select(streams, [], [], 0.2)
        for stream in ready:
            try:
                chunk = os.read(stream, 4096)
            except OSError:  # the pty closes with an error once the child has gone
                chunk = b""
            if not chunk:
                streams.remove(stream)
            elif stream == terminal:
                screen += chunk
            else:
                stdout += chunk
        if pending:
            shown = screen[answered_to:].decode(errors="replace")
            prompt, answer = pending[0]
            if re.search(prompt, shown) and _hiding(terminal):
                text = answer if isinstance(answer, str) else answer(shown)
                os.write(terminal, text.encode() + b"\n")
                answered_to = len(screen)
                pending.pop(0)
    os.close(out_read)
    _, status = os.waitpid(pid, 0)
    assert not pending, f"never asked {pending[0][0]!r}; the terminal showed:\n{screen!r}"
    return Typed(os.waitstatus_to_exitcode(status), stdout.decode(), screen.decode())
