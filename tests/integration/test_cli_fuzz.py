"""Every ``alpr`` command, found by walking the command tree (a new command is fuzzed without
anyone adding it here), fed generated input on SQLite and Postgres: dates near year 1 and 9999,
integers beyond 64 bits, over-long and unicode text, NUL bytes, deeply nested JSON and huge CSV
fields in the files it reads. Each run must end with exit 0, 2 (bad input) or 3 (refused), say
why in one line, print no traceback and no secret (password, TOTP secret, bcrypt hash), and a
rejected input must store nothing (R01, R10, R21, R22, R30, R50).

The run is bounded and derandomized: the same examples every time, a few per command."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyotp
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from typer._click import Command
from typer.core import TyperGroup
from typer.main import get_command
from typer.testing import CliRunner

from alpr.cli import app
from alpr.data.models import Agency, User
from alpr.governance.auth import passwords, totp
from alpr.governance.cameras import add_camera
from alpr.governance.hotlists import ensure_list
from alpr.governance.profiles import profiles
from alpr.governance.runtime import Runtime
from tests.conftest import TEST_PASSWORD, TestUser

EXAMPLES_PER_COMMAND = 8
ALLOWED_EXITS = {0, 2, 3}
NEW_ACCOUNT_SECRET = "JBSWY3DPEHPK3PXPNEWACCOUNTFUZZED"
# Tables whose rows a rejected command must leave as they were (sign-in attempts, searches and
# the access log record refusals, by design).
WATCHED_TABLES = (
    "users",
    "training_records",
    "cameras",
    "hot_lists",
    "hot_list_entries",
    "reads",
    "images",
    "plates",
    "legal_holds",
    "agencies",
    "sharing_agreements",
    "agreement_endings",
    "release_requests",
    "release_decisions",
    "policy_settings",
    "evidence_exports",
)
# Commands whose generated input is held to a safe value: they would otherwise run forever
# (a worker without --once), drop the schema under the rest of the run, or seed a demo agency
# of 200,000 reads.
PINNED: dict[str, dict[str, Any]] = {
    "worker run": {"once": True},
    "db downgrade": {"yes": False},
    "demo seed": {"if_empty": True, "reads": "1000"},
}


def _commands() -> list[tuple[str, Command]]:
    found: list[tuple[str, Command]] = []

    def walk(node: Command, path: list[str]) -> None:
        if isinstance(node, TyperGroup):
            for name, child in node.commands.items():
                walk(child, [*path, name])
        else:
            found.append((" ".join(path), node))

    walk(get_command(app), [])
    return found


COMMANDS = _commands()


@dataclass
class Tally:
    cases: int = 0
    tracebacks: int = 0
    by_exit: dict[int, int] = field(default_factory=dict)


TALLY = Tally()

EDGE_TIMES = [
    "9999-12-31T23:59:59-12:00",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01",
    "0001-01-01T00:00:00",
    "9999-12-31",
    "9999-12-31T23:59:59",
    "1999-12-31T23:00:00Z",
    "2101-01-01",
    "2026-02-30",
    "2026-11-20",
    "2026-11-19T22:40:00-08:00",
    "2026-11-20T10:00:00",
]
# Options that take a date or a time: mostly fed dates at the edges of the calendar.
TIME_OPTIONS = {"start", "end", "since", "expires", "effective", "on", "completed", "as_of"}
EDGE_INTS = [0, -1, 1, 2**31 - 1, 2**31, 2**63 - 1, 2**63, -(2**63) - 1, 10**30, -(10**40)]
NESTED_JSON = "[" * 100_000 + "]" * 100_000


def _good_words(agency: str) -> list[str]:
    return [
        "fuzzadmin",
        "fuzzinv",
        "administrator",
        "investigator",
        agency,
        "stolen_vehicle",
        "26-01234",
        "armed robbery PC 211 at 7-Eleven Geneva Ave 21 Nov about 22:40",
        "7ABC123",
        "7AB*",
        "cam-1",
        "stolen",
        "CA",
        "ca_local_le",
        "mou",
        "custom",
        "high",
        "base",
        "retention_days",
        "37.7,-122.4,500,2026-11-19T22:00:00,2026-11-19T23:00:00",
        "2026-11-19T22:00:00,1",
        "POLYGON((-122.5 37.7,-122.4 37.7,-122.4 37.8,-122.5 37.7))",
        *(p.name for p in profiles()),
    ]


def _texts(agency: str) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(_good_words(agency)),
        st.sampled_from(EDGE_TIMES),
        st.sampled_from([str(i) for i in EDGE_INTS]),
        st.text(max_size=40),
        st.integers(min_value=60, max_value=70).map(lambda n: "u" * n),
        st.sampled_from([201, 256, 5_000]).map(lambda n: "Ω" * n),
        st.text(max_size=10).map(lambda s: f"ab\x00{s}"),
        st.sampled_from([NESTED_JSON[:2_000] + NESTED_JSON[-2_000:], '{"a": [1, {"b": null}]}']),
    )


def _ints() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(EDGE_INTS), st.integers(min_value=-5, max_value=5), st.integers()
    ).map(str)


def _floats() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(["nan", "inf", "-inf", "1e309", "37.7", "-122.4", "500", "0", "-91"]),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
    )


def _json_value(agency: str) -> st.SearchStrategy[Any]:
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.sampled_from(EDGE_INTS),
        st.floats(allow_nan=False),
        _texts(agency),
    )
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            st.lists(children, max_size=3),
            st.dictionaries(
                st.sampled_from(["start", "end", "plates", "area", "lat", "lon", "radius_m"]),
                children,
                max_size=3,
            ),
        ),
        max_leaves=8,
    )


REQUEST_KEYS = [
    "requester_name",
    "requester_contact",
    "purpose",
    "description",
    "requested",
    "legal_basis",
    "immigration_related",
    "agency",
    "purpose_code",
    "agreement_id",
    "scope",
    "offense",
    "documents",
    "agency_kind",
    "agency_state",
]
READ_COLUMNS = ["plate", "captured_at", "lat", "lon", "confidence"]
HOTLIST_COLUMNS = ["plate", "state", "reason", "priority", "entered_date", "expiry", "case_number"]


class Files:
    """Input files for the commands that read one, written under the test's folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "a-folder").mkdir(exist_ok=True)
        big = "x" * 10_000_000
        self.fixed = [
            folder / "missing.csv",
            folder / "a-folder",
            self.write(
                "huge-field.csv", f"plate,captured_at,lat,lon,reason\n7ABC123,{big},1,2,r\n"
            ),
            self.write("nested.json", NESTED_JSON),
            self.write("nested.jsonl", NESTED_JSON + "\n"),
            self.write("nul.csv", "plate,reason\n7AB\x00C123,stolen\n"),
            self.write("binary.csv", "", data=bytes(range(256)) * 4),
            self.write("empty.csv", ""),
        ]

    def write(self, name: str, content: str, *, data: bytes | None = None) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:05d}-{name}"
        path.write_bytes(data if data is not None else content.encode("utf-8", "surrogatepass"))
        return path

    def strategy(self, agency: str) -> st.SearchStrategy[str]:
        cells = st.one_of(_texts(agency), _floats(), _ints())

        def table(columns: list[str], suffix: str) -> st.SearchStrategy[str]:
            rows = st.lists(
                st.lists(cells, min_size=len(columns), max_size=len(columns)), max_size=3
            )
            return rows.map(
                lambda rs: str(
                    self.write(
                        f"table.{suffix}",
                        ",".join(columns)
                        + "\n"
                        + "\n".join(
                            ",".join(c.replace(",", ";").replace("\n", " ") for c in r) for r in rs
                        ),
                    )
                )
            )

        requests = st.dictionaries(
            st.sampled_from(REQUEST_KEYS), _json_value(agency), max_size=8
        ).map(lambda d: str(self.write("request.json", json.dumps(d))))
        read_lines = st.lists(
            st.dictionaries(st.sampled_from(READ_COLUMNS), _json_value(agency), max_size=5),
            max_size=3,
        ).map(lambda rows: str(self.write("reads.jsonl", "\n".join(json.dumps(r) for r in rows))))
        return st.one_of(
            st.sampled_from([str(p) for p in self.fixed]),
            table(READ_COLUMNS, "csv"),
            table(HOTLIST_COLUMNS, "csv"),
            requests,
            read_lines,
        )


def _option_values(param: Any, agency: str, files: Files) -> st.SearchStrategy[list[str]]:
    """What one parameter contributes to the command line."""
    kind = param.bare_type()
    if kind is bool:
        if param.secondary_opts:
            choices = [[param.opts[0]], [param.secondary_opts[0]]]
            return st.sampled_from(choices if param.required else [[], *choices])
        return st.sampled_from([[], [param.opts[0]]])
    name = str(param.bare_type())
    if kind is int or "int" in name:
        values = _ints()
    elif kind is float:
        values = _floats()
    elif kind is Path or "Path" in name:
        values = st.one_of(files.strategy(agency), _texts(agency))
    elif param.name in TIME_OPTIONS:
        values = st.one_of(st.sampled_from(EDGE_TIMES), _texts(agency))
    else:
        values = _texts(agency)
    is_option = param.param_type_name == "option"
    count = (
        st.integers(min_value=0 if not param.required else 1, max_value=3)
        if param.multiple or getattr(param, "nargs", 1) == -1
        else st.just(1)
        if param.required
        else st.integers(min_value=0, max_value=1)
    )
    return count.flatmap(
        lambda n: st.lists(values, min_size=n, max_size=n).map(
            lambda vs: [part for v in vs for part in ([param.opts[0], v] if is_option else [v])]
        )
    )


def _argv(path: str, command: Command, agency: str, files: Files) -> st.SearchStrategy[list[str]]:
    pinned = PINNED.get(path, {})
    parts = []
    for param in command.params:
        if param.name in pinned:
            value = pinned[param.name]
            flag = [param.opts[0]] if value is True else []
            parts.append(st.just(flag if isinstance(value, bool) else [param.opts[0], value]))
        else:
            parts.append(_option_values(param, agency, files))
    return st.tuples(*parts).map(lambda ps: [*path.split(), *(p for part in ps for p in part)])


@dataclass
class Bench:
    rt: Runtime
    users: dict[str, TestUser]
    agency: str
    files: Files
    runner: CliRunner = field(default_factory=CliRunner)

    def counts(self) -> dict[str, int]:
        with self.rt.engine.connect() as conn:
            row = conn.execute(
                text(
                    "SELECT "
                    + ", ".join(f"(SELECT count(*) FROM {t}) AS {t}" for t in WATCHED_TABLES)
                )
            ).one()
        stored = self.rt.settings.image_dir
        images = sum(1 for p in stored.rglob("*") if p.is_file()) if stored.exists() else 0
        return {**row._asdict(), "image_files": images}

    def secrets(self) -> list[str]:
        with self.rt.engine.connect() as conn:
            rows = conn.execute(select(User.totp_secret, User.password_hash)).all()
        return [TEST_PASSWORD, NEW_ACCOUNT_SECRET, "$2b$"] + [v for r in rows for v in r if v]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Files:
    return Files(tmp_path_factory.mktemp("fuzz-inputs"))


@pytest.fixture
def bench(
    cli_database: Runtime,
    files: Files,
    make_user: Callable[..., TestUser],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> Iterator[Bench]:
    rt = cli_database
    # bcrypt at its cheapest so a sign-in costs milliseconds, not a quarter second
    monkeypatch.setattr(passwords, "BCRYPT_ROUNDS", 4)
    passwords._dummy_hash.cache_clear()
    monkeypatch.setattr(totp, "new_secret", lambda: NEW_ACCOUNT_SECRET)
    fast_hash = passwords.hash_password(TEST_PASSWORD)
    users = {
        "fuzzadmin": make_user("fuzzadmin", "administrator"),
        "fuzzinv": make_user("fuzzinv", "investigator"),
    }
    with rt.transaction() as session:
        for user in session.scalars(select(User)):
            user.password_hash = fast_hash
        agency = session.scalars(select(Agency.name).where(Agency.is_home.is_(True))).one()
    add_camera(rt, actor=None, name="cam-1", lat=37.7, lon=-122.4, heading=90, mobile=False)
    ensure_list(rt, actor=None, name="stolen", kind="stolen_vehicle")
    empty_models = tmp_path / "no-models"
    empty_models.mkdir()
    monkeypatch.setenv("ALPR_MODEL_DIR", str(empty_models))
    monkeypatch.setenv("ALPR_PASSWORD", TEST_PASSWORD)
    monkeypatch.chdir(tmp_path)
    yield Bench(rt, users, agency, files)
    passwords._dummy_hash.cache_clear()


def _check(bench: Bench, argv: list[str], stdin: str) -> None:
    before = bench.counts()
    env = {"ALPR_TOTP": pyotp.TOTP(bench.users["fuzzadmin"].totp_secret).now()}
    if "fuzzinv" in argv:
        env["ALPR_TOTP"] = bench.users["fuzzinv"].code()
    result = bench.runner.invoke(app, argv, input=stdin, env=env)
    TALLY.cases += 1
    TALLY.by_exit[result.exit_code] = TALLY.by_exit.get(result.exit_code, 0) + 1
    shown = f"alpr {argv!r} -> exit {result.exit_code}\n{result.output[-2000:]}"
    crashed = (
        result.exception is not None and not isinstance(result.exception, SystemExit)
    ) or "Traceback" in result.output
    if crashed or result.exit_code not in ALLOWED_EXITS:
        TALLY.tracebacks += int(crashed or "incident" in result.output)
        pytest.fail(f"unclean end: {shown}")
    if result.exit_code == 0:
        return
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert errors, f"no reason given: {shown}"
    assert len(errors) == 1, f"more than one line: {shown}"
    leaked = [s for s in bench.secrets() if s in result.output]
    assert not leaked, f"a secret was printed: {shown}"
    assert bench.counts() == before, f"a rejected input stored something: {shown}"


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_every_command_ends_cleanly_on_generated_input(
    bench: Bench, path: str, command: Command
) -> None:
    """R01, R10, R21, R22, R30, R50: generated input ends in exit 0, 2 or 3 with one line."""

    @settings(
        max_examples=EXAMPLES_PER_COMMAND,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(
        argv=_argv(path, command, bench.agency, bench.files),
        stdin=st.one_of(st.just(TEST_PASSWORD + "\n"), st.text(max_size=30)),
    )
    def run(argv: list[str], stdin: str) -> None:
        _check(bench, argv, stdin)

    run()


def test_fuzz_tally_is_reported() -> None:
    """The counts for the record: cases run and tracebacks (0)."""
    print(f"\nfuzz cases: {TALLY.cases}, tracebacks: {TALLY.tracebacks}, exits: {TALLY.by_exit}")
    assert TALLY.tracebacks == 0
    if os.environ.get("ALPR_FUZZ_TALLY"):
        Path(os.environ["ALPR_FUZZ_TALLY"]).write_text(json.dumps(TALLY.__dict__))
