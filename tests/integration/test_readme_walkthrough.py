"""The README's walk-throughs run as written, in order, from a fresh database (R01, R21, R31,
R40-R47, R53): the records section's block (`alpr db upgrade`, `alpr demo seed`, sign-ins with
codes from `alpr demo codes`, an agency and its agreement, a request evaluated, filed, decided,
fulfilled and verified, a plate's history with and without a sergeant's approval, an evidence
export and its check, a hold, sign-out), then the agency policy's block and the vehicle
descriptions' block. Each line is read from README.md and run through the command line as a
person pasting it into a terminal would; each must exit 0 and say what the README says it
does. A README line that stops running, or a command whose output stops matching its
description, fails here rather than in an officer's terminal.

The person's part is kept to what they must do: the README's `/tmp/records-demo` is a
temporary folder, `mou.pdf`, `letter.pdf`, `request.json` (the README's JSON) and `photo.jpg`
are their files, and a code asked at a prompt (a sign-in the README leaves to it) is typed
from the authenticator. The demo's reads are the 30 days before it was seeded and the
README's dates are those of a demo seeded on 7 December 2026, so the commands run at that
date. The production section needs Postgres roles: `test_database_roles.py` runs it."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyotp
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from alpr.cli import app
from alpr.data.models import User
from alpr.governance import runtime as runtime_module
from tests.recognition.conftest import dev_photos

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BASH = re.compile(r"^```bash\n(.*?)^```", re.S | re.M)
JSON = re.compile(r"^```json\n(.*?)^```", re.S | re.M)
# The README's dates are those of a demo seeded on the evening of 7 December 2026 (Pacific).
SEEDED_AT = datetime(2026, 12, 8, 2, 0, tzinfo=UTC)
README_DATA_DIR = "/tmp/records-demo"
CODE_OF = re.compile(r"\$\(code (\w+)\)")
FUNCTION = re.compile(r"^\w+\(\)\s*\{")
SECRETS = (
    "ALPR_PASSWORD",
    "ALPR_TOTP",
    "ALPR_APPROVER_PASSWORD",
    "ALPR_APPROVER_CODE",
    "ALPR_NEW_PASSWORD",
    "ALPR_ACTIVATION_CODE",
)


def _block(containing: str) -> list[str]:
    """The logical lines (continuations joined) of the README's bash block that holds
    ``containing``."""
    [block] = [b for b in BASH.findall(README) if containing in b]
    return block.replace("\\\n", " ").splitlines()


@dataclass(frozen=True)
class Ran:
    line: str
    argv: tuple[str, ...]
    exit_code: int
    stdout: str
    output: str  # standard output and error, as the terminal shows them

    def __str__(self) -> str:
        return f"alpr {shlex.join(self.argv)} -> exit {self.exit_code}\n{self.output}"


@dataclass
class Terminal:
    """A shell just capable of the README's lines: `export`, a function definition (the
    README's `code`, answered from `alpr demo codes` as its awk line does), variables set
    for one command, `$(code USER)`, `$VARIABLE`, `&&`, comments, and `alpr` itself."""

    data_dir: Path
    runner: CliRunner = field(default_factory=CliRunner)
    exported: dict[str, str] = field(default_factory=dict)
    sessions: set[str] = field(default_factory=set)  # who this terminal is signed in as
    ran: list[Ran] = field(default_factory=list)

    def run(self, line: str) -> list[Ran]:
        if FUNCTION.match(line.strip()):
            assert line.startswith("code() {") and "alpr demo codes" in line, line
            return []
        line = line.replace(README_DATA_DIR, str(self.data_dir))
        line = CODE_OF.sub(lambda m: self._demo_code(m.group(1)), line)
        line = re.sub(r"\$(\w+)", lambda m: self.exported[m.group(1)], line)
        done: list[Ran] = []
        words = shlex.split(line, comments=True)
        while words:
            segment = words[: words.index("&&")] if "&&" in words else words
            words = words[len(segment) + 1 :]
            done.extend(self._command(line, segment))
        self.ran.extend(done)
        return done

    def _command(self, line: str, words: list[str]) -> list[Ran]:
        if words[0] == "export":
            for assignment in words[1:]:
                name, value = assignment.split("=", 1)
                self.exported[name] = value
            return []
        given: dict[str, str] = {}
        while "=" in words[0]:
            name, value = words.pop(0).split("=", 1)
            given[name] = value
        assert words[0] == "alpr", f"not a command of the README's kind: {line}"
        argv = tuple(words[1:])
        who = argv[argv.index("--as") + 1] if "--as" in argv else None
        if argv[:1] == ("signin",):
            who = argv[1]
        if who is not None and who not in self.sessions and "ALPR_TOTP" not in given:
            given["ALPR_TOTP"] = self._typed_code(who)  # asked at the prompt
        env: dict[str, str | None] = dict.fromkeys(SECRETS)
        env |= {**self.exported, **given}
        result = self.runner.invoke(app, list(argv), env=env)
        if result.exit_code == 0 and who is not None:
            self.sessions.add(who)
        if argv[:1] == ("signout",):
            self.sessions.discard(argv[1])
        return [Ran(line, argv, result.exit_code, result.stdout, result.output)]

    def _demo_code(self, username: str) -> str:
        """``alpr demo codes | awk -v u=USER '$1 == u {print $2}'``."""
        listed = self.runner.invoke(app, ["demo", "codes"])
        assert listed.exit_code == 0, listed.output
        codes = [f[1] for f in map(str.split, listed.stdout.splitlines()) if f[0] == username]
        assert len(codes) == 1, listed.stdout
        return codes[0]

    def _typed_code(self, username: str) -> str:
        """The code the person's authenticator shows next (the one shown now may have been
        used by the README's `$(code USER)` a moment ago: each code is accepted once)."""
        with runtime_module.default_runtime().transaction() as session:
            secret = session.execute(
                select(User.totp_secret).where(User.username == username)
            ).scalar_one()
        return pyotp.TOTP(secret).at(datetime.now(UTC) + timedelta(seconds=30))


@pytest.fixture
def terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Terminal]:
    """A fresh terminal in a folder holding the person's files, on no database yet, at the
    README's date."""
    from alpr.config import get_deployment
    from alpr.data.engine import engine_for

    def forget() -> None:
        get_deployment.cache_clear()
        runtime_module.default_runtime.cache_clear()
        engine_for.cache_clear()

    built = runtime_module.build_runtime
    monkeypatch.setattr(
        runtime_module,
        "build_runtime",
        lambda settings, *, owner=False: replace(
            built(settings, owner=owner), clock=lambda: SEEDED_AT
        ),
    )
    deployment = ("ALPR_DATABASE_URL", "ALPR_OWNER_DATABASE_URL", "ALPR_DATA_DIR")
    for name in (*deployment, "ALPR_ENVIRONMENT", "ALPR_TIMEZONE", *SECRETS):
        monkeypatch.delenv(name, raising=False)
    desk = tmp_path / "desk"
    desk.mkdir()
    (desk / "mou.pdf").write_bytes(b"%PDF-1.4 Coastside ALPR MOU, signed")
    (desk / "letter.pdf").write_bytes(b"%PDF-1.4 Pacifica PD's written request")
    [request] = JSON.findall(README)
    (desk / "request.json").write_text(request, encoding="utf-8")
    monkeypatch.chdir(desk)
    forget()
    yield Terminal(data_dir=tmp_path / "records-demo")
    if runtime_module.default_runtime.cache_info().currsize:
        runtime_module.default_runtime().engine.dispose()
    forget()


def _only(ran: list[Ran]) -> Ran:
    assert len(ran) == 1, ran
    assert ran[0].exit_code == 0, str(ran[0])
    return ran[0]


def _json(ran: list[Ran]) -> Any:
    return json.loads(_only(ran).stdout)


def test_the_readme_walk_throughs_run_as_written_from_a_fresh_database(terminal: Terminal) -> None:
    lines = iter(_block("alpr demo seed"))
    run = terminal.run

    def next_line(starting: str) -> str:
        """The README's next command line, which starts so; on the way, the definition of its
        `code` helper is taken and comment lines read."""
        line = next(lines).strip()
        while not line or line.startswith("#") or FUNCTION.match(line):
            assert run(line) == []
            line = next(lines).strip()
        assert line.startswith(starting), (starting, line)
        return line

    assert run(next_line("export ALPR_DATA_DIR=")) == []
    upgraded, seeded = run(next_line("alpr db upgrade && alpr demo seed"))
    assert upgraded.exit_code == 0 and upgraded.stdout.startswith("upgraded: empty -> ")
    assert "`alpr policy profile apply NAME --as USER`" in upgraded.stdout
    assert seeded.exit_code == 0, str(seeded)
    assert seeded.stdout.startswith("seeded 5000 reads from 47 cameras")
    vehicle_search = next(
        line for line in _block("alpr search vehicle") if "search vehicle" in line
    )
    shooting = re.search(r"26-04711  shooting at .*", seeded.stdout)
    assert shooting, seeded.stdout
    # The vehicle descriptions' example searches the scene and the evening the demo prints.
    for option in re.findall(r"--(?:lat|lon|start|end) \S+", shooting.group(0)):
        assert option in vehicle_search, (option, vehicle_search)

    assert run(next_line("export ALPR_PASSWORD=")) == []
    signed = _only(run(next_line("ALPR_TOTP=$(code clerk) alpr signin clerk")))
    assert signed.stdout == "signed in as clerk (records_clerk)\n"
    added = _only(run(next_line("alpr agencies add")))
    assert re.fullmatch(
        r"agency \d+ added: Pacifica Police Department \(California local law enforcement, "
        r"California\)\n",
        added.stdout,
    )
    recorded = _only(run(next_line("alpr agreements add")))
    assert (
        recorded.stdout.startswith("agreement ") and "in force until 2027-12-31" in recorded.stdout
    )
    listed = _only(run(next_line("alpr agencies list")))  # kinds and states in words, in force
    assert (
        "Pacifica Police Department  (California local law enforcement, California); "
        "agreement: Coastside ALPR MOU, in force until 2027-12-31" in listed.stdout
    )
    evaluated = _json(run(next_line("alpr releases evaluate")))
    assert evaluated["decision"] == "eligible" and "R47" in evaluated["requirements"]
    filed = _only(run(next_line("alpr releases file")))
    assert filed.stdout.startswith("request 1 filed: its scope selects 5 reads\nELIGIBLE\n")
    decided = _only(run(next_line("ALPR_TOTP=$(code commander) alpr releases decide 1")))
    assert decided.stdout.startswith("request 1 approved\nELIGIBLE\n")
    fulfilled = _only(run(next_line("alpr releases fulfil 1")))
    package = terminal.data_dir / "releases" / "request-1"
    assert fulfilled.stdout.startswith(f"request 1: plate-level package of 5 reads in {package};")
    verify_line = next_line("alpr releases verify")
    assert _only(run(verify_line)).stdout == "package intact\n"
    history = _only(run(next_line("ALPR_TOTP=$(code detective) alpr search history 7KQM482")))
    assert history.stdout.startswith("search 1: 5 reads\n")
    assert history.stdout.count("7KQM482") == 5
    # in the agency's time, as the scene's evening was given: the shooting was about 22:40
    assert "\n2026-12-01 22:37:00 PST  7KQM482 " in history.stdout
    approved = _only(run(next_line("ALPR_APPROVER_PASSWORD=$ALPR_PASSWORD")))
    assert approved.stdout.startswith("search 2: 5 reads\n")
    exported = _only(run(next_line("ALPR_TOTP=$(code detective) alpr evidence export")))
    assert re.match(
        r"export 1: 5 reads, \d+ files in evidence-26-04711; manifest sha256 ", exported.stdout
    )
    assert (
        _only(run(next_line("alpr evidence verify evidence-26-04711"))).stdout == "package intact\n"
    )
    held = _only(run(next_line("ALPR_TOTP=$(code admin) alpr holds add")))
    assert held.stdout == "hold 1 placed\n"
    assert _only(run(next_line("alpr signout clerk"))).stdout == "signed out clerk\n"
    assert [line for line in lines if line.strip()] == []

    # "exit 1 names every changed file"
    reads = package / "reads.csv"
    reads.write_text(reads.read_text(encoding="utf-8") + "7KQM482,forged\n", encoding="utf-8")
    [changed] = run(verify_line)
    assert changed.exit_code == 1 and "CHANGED: reads.csv was changed" in changed.output

    for line in _block("alpr policy profile list"):
        _only(run(line))
    profiles, shown, applied, changed_value, in_force, history_of = terminal.ran[-6:]
    assert "santa-clara" in profiles.stdout and len(profiles.stdout.splitlines()) == 5
    assert shown.stdout.startswith("Santa Clara Police Department")
    assert applied.stdout.startswith("applied santa-clara: ")
    assert changed_value.stdout == "lockout_attempts: 5 -> 3 (Chief's directive 2026-14)\n"
    assert "lockout_attempts = 3  [Chief's directive 2026-14]" in in_force.stdout
    assert "lockout_attempts: 5 -> 3  by admin  (Chief's directive 2026-14)" in history_of.stdout

    shutil.copy(dev_photos("us")[0].path, Path("photo.jpg"))
    recognized, described = (run(line) for line in _block("alpr search vehicle"))
    [photo] = _json(recognized)
    assert photo["file"] == "photo.jpg" and photo["plates"]
    assert {"type", "colour", "box"} <= set(photo["plates"][0]["vehicle"])
    found = _json(described)["reads"]
    assert found and {r["plate"] for r in found} == {"7KQM482"}
    assert all(r["match"] == "described" and r["vehicle"]["type"] == "pickup_truck" for r in found)
