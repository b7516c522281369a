"""A sergeant's approval on the command line, on both databases (R21, R04, R20): ``alpr search
... --approved-by USER --approval-note TEXT`` and ``alpr holds add`` take it as the dashboard
does, through the same sign-in of the sergeant, their password and code read from
ALPR_APPROVER_PASSWORD and ALPR_APPROVER_CODE (never options). Beyond the bounds, a search
without approval, approved by the searcher, by a role that may not approve or with a wrong
code is refused (exit 3) and recorded; the wrong code is the sergeant's failed sign-in."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from alpr.cli import app
from alpr.data.models import AccessRecord, Read, Search, SignInAttempt
from alpr.governance.runtime import Runtime
from tests.conftest import TestUser, fresh_code
from tests.integration.builders import World, access_details

NOW = datetime.now(UTC).replace(microsecond=0)
LAT, LON = 37.6963, -122.4607
WHY = ["--purpose", "stolen_property", "--case-number", "26-04711"]
NOTE = "Catalytic converter thefts by this truck since the spring"
# A plate's reads over 200 days: beyond the policy's plate search window (90 days).
LONG = ["--start", (NOW - timedelta(days=200)).isoformat(), "--end", NOW.isoformat()]
REASON = ["--reason", "suspect car of the bank robbery series"]
HISTORY = ["search", "history", "7KQM482", *LONG, *WHY]
BY_BROOKS = ["--approved-by", "brooks", "--approval-note", NOTE]
SECRETS = ("ALPR_PASSWORD", "ALPR_TOTP", "ALPR_APPROVER_PASSWORD", "ALPR_APPROVER_CODE")


@dataclass(frozen=True)
class Alpr:
    """``alpr`` signed in as ``as_user`` (a code only the first time: the command-line session
    serves the next commands), with the approver's secrets in the environment as given."""

    run: Callable[..., tuple[int, str]]


@pytest.fixture
def alpr(cli_database: Runtime, monkeypatch: pytest.MonkeyPatch) -> Iterator[Alpr]:
    runner = CliRunner()
    signed: set[str] = set()

    def run(
        *args: str,
        as_user: TestUser,
        approver: TestUser | None = None,
        approver_code: str | None = None,
    ) -> tuple[int, str]:
        for name in SECRETS:
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("ALPR_PASSWORD", as_user.password)
        if as_user.username not in signed:
            monkeypatch.setenv("ALPR_TOTP", fresh_code(as_user.totp_secret))
            signed.add(as_user.username)
        if approver is not None:
            monkeypatch.setenv("ALPR_APPROVER_PASSWORD", approver.password)
            monkeypatch.setenv(
                "ALPR_APPROVER_CODE", approver_code or fresh_code(approver.totp_secret)
            )
        result = runner.invoke(app, [*args, "--as", as_user.username])
        return result.exit_code, result.output

    yield Alpr(run)


def _wrong_code(secret: str) -> str:
    otp = pyotp.TOTP(secret)
    step = otp.timecode(datetime.now(UTC))
    near = {otp.generate_otp(s) for s in range(step - 2, step + 3)}
    return next(c for c in (f"{n:06d}" for n in range(1000)) if c not in near)


def _searches(rt: Runtime) -> list[AccessRecord]:
    with rt.transaction() as session:
        return list(
            session.execute(
                select(AccessRecord)
                .where(AccessRecord.event.in_(("search", "hold")))
                .order_by(AccessRecord.id)
            ).scalars()
        )


@pytest.fixture
def world(rt: Runtime) -> dict[str, int]:
    """One plate read five months ago and yesterday: only a look back beyond the policy's
    window finds the first."""
    built = World(rt)
    built.camera("geneva", LAT, LON)
    return {
        "early": built.read("7KQM482", "geneva", NOW - timedelta(days=150), LAT, LON),
        "late": built.read("7KQM482", "geneva", NOW - timedelta(days=1), LAT, LON),
    }


def test_a_search_beyond_the_bounds_runs_with_a_sergeants_approval_on_its_record(
    rt: Runtime,
    alpr: Alpr,
    world: dict[str, int],
    make_user: Callable[..., TestUser],
) -> None:
    """R21, R20: without approval the look back over 200 days is refused (exit 3) and recorded;
    with the sergeant's, it runs, and its search and access record name the sergeant and
    the note."""
    detective = make_user("rivera", "investigator")
    sergeant = make_user("brooks", "sergeant")
    code, out = alpr.run(*HISTORY, as_user=detective)
    assert code == 3 and out.startswith("refused (bounds)") and "sergeant approve" in out, out
    [refused] = _searches(rt)
    assert refused.outcome == "refused" and refused.username == "rivera"

    code, out = alpr.run(*HISTORY, *BY_BROOKS, "--json", as_user=detective, approver=sergeant)
    assert code == 0, out
    assert f'"id": {world["early"]}' in out and f'"id": {world["late"]}' in out
    allowed = _searches(rt)[-1]
    assert allowed.outcome == "allowed" and allowed.username == "rivera"
    assert allowed.query is not None
    assert allowed.query["approved_by"] == "brooks" and allowed.query["approval_note"] == NOTE
    with rt.transaction() as session:
        search = session.get(Search, allowed.search_id)
        assert search is not None and search.approval_note == NOTE
        assert search.approved_by_id == sergeant.principal.user_id


def test_a_searcher_cannot_approve_their_own_search(
    rt: Runtime, alpr: Alpr, world: dict[str, int], make_user: Callable[..., TestUser]
) -> None:
    """R04, R21: a sergeant beyond the bounds names themself as the approver, with their own
    right password and code: refused (exit 3) and recorded; nothing is returned."""
    sergeant = make_user("brooks", "sergeant")
    code, out = alpr.run(
        *HISTORY,
        *BY_BROOKS,
        as_user=sergeant,
        approver=sergeant,
    )
    assert code == 3 and "cannot be approved by the person running it" in out, out
    assert len(out.strip().splitlines()) == 1
    [record] = _searches(rt)
    assert record.outcome == "refused" and record.result_count == 0


@pytest.mark.parametrize("who", ["self", "colleague"])
def test_an_approval_a_search_within_the_bounds_never_needed_is_not_on_its_record(
    rt: Runtime,
    alpr: Alpr,
    world: dict[str, int],
    make_user: Callable[..., TestUser],
    who: str,
) -> None:
    """R20, R21, R22: within the bounds the gateway checks no approval, so none is recorded: a
    detective who names themself, or a colleague who may not approve, as the approver of a
    search of the last week gets no record saying it was approved beyond the bounds by them."""
    detective = make_user("rivera", "investigator")
    approver = detective if who == "self" else make_user("okafor", "investigator")
    week = ["--start", (NOW - timedelta(days=7)).isoformat(), "--end", NOW.isoformat()]
    code, out = alpr.run(
        "search",
        "history",
        "7KQM482",
        *week,
        *WHY,
        "--approved-by",
        approver.username,
        "--approval-note",
        NOTE,
        as_user=detective,
        approver=approver,
    )
    assert code == 0, out
    [record] = _searches(rt)
    assert record.outcome == "allowed" and record.query is not None
    assert "approved_by" not in record.query and "approval_note" not in record.query
    with rt.transaction() as session:
        search = session.get(Search, record.search_id)
        assert search is not None
        assert (search.approved_by_id, search.approval_note) == (None, None)


def test_a_role_that_may_not_approve_is_refused(
    rt: Runtime, alpr: Alpr, world: dict[str, int], make_user: Callable[..., TestUser]
) -> None:
    """R04: a colleague of the searcher, signed in rightly, who is not a sergeant cannot
    approve: refused (exit 3) saying whose role it is, and recorded."""
    detective = make_user("rivera", "investigator")
    colleague = make_user("okafor", "investigator")
    code, out = alpr.run(
        "search",
        "plate",
        "7KQM48?",
        *LONG,
        *WHY,
        "--approved-by",
        "okafor",
        "--approval-note",
        NOTE,
        as_user=detective,
        approver=colleague,
    )
    assert code == 3 and out.startswith("refused (permission): The approver's role"), out
    [record] = _searches(rt)
    assert record.outcome == "refused" and "search.approve_broad" in (record.detail or "")


def test_a_wrong_code_is_the_sergeants_failed_sign_in(
    rt: Runtime, alpr: Alpr, world: dict[str, int], make_user: Callable[..., TestUser]
) -> None:
    """R04, R20: the sergeant's right password with a wrong authenticator code approves
    nothing: refused (exit 3), no search runs, and the attempt counts as a failed sign-in of
    the sergeant (towards their lockout) in the access log."""
    detective = make_user("rivera", "investigator")
    sergeant = make_user("brooks", "sergeant")
    code, out = alpr.run(
        *HISTORY,
        *BY_BROOKS,
        as_user=detective,
        approver=sergeant,
        approver_code=_wrong_code(sergeant.totp_secret),
    )
    assert code == 3, out
    assert out.startswith("refused (sign_in): The sergeant's approval was not given"), out
    assert not [r for r in _searches(rt) if r.outcome == "allowed"]
    assert ("sign_in", "failure", "totp failed") in access_details(rt, "brooks")
    with rt.transaction() as session:
        attempts = session.execute(
            select(SignInAttempt.success, SignInAttempt.stage).where(
                SignInAttempt.user_id == sergeant.principal.user_id
            )
        ).all()
    assert [tuple(a) for a in attempts] == [(False, "totp")]


def test_the_sergeants_secrets_are_never_options(
    rt: Runtime, alpr: Alpr, world: dict[str, int], make_user: Callable[..., TestUser]
) -> None:
    """The sergeant's password and code come from the environment or a hidden prompt: there is
    no option for them (they would stay in the shell's history and in ``ps``); without them
    and without a terminal the approval is refused (exit 3); a note without a sergeant is bad
    input (exit 2)."""
    detective = make_user("rivera", "investigator")
    make_user("brooks", "sergeant")
    code, out = alpr.run(*HISTORY, *BY_BROOKS, as_user=detective)
    assert code == 3 and "ALPR_APPROVER_PASSWORD" in out, out
    code, out = alpr.run(*HISTORY, "--approver-password", "x", as_user=detective)
    assert code == 2 and "No such option" in out, out
    code, out = alpr.run(*HISTORY, "--approval-note", NOTE, as_user=detective)
    assert code == 2 and "--approved-by" in out, out
    assert not [r for r in _searches(rt) if r.outcome == "allowed"]


def test_a_hold_over_a_long_period_is_placed_with_a_sergeants_approval(
    rt: Runtime, alpr: Alpr, world: dict[str, int], make_user: Callable[..., TestUser]
) -> None:
    """R31, R21: a plate held over 200 days needs a sergeant's approval, as a search of it
    would: refused (exit 3) without, placed with it, the access record naming the sergeant
    and the note; a breadth no approval allows (a plate with too few known characters) is
    refused whoever approves."""
    detective = make_user("rivera", "investigator")
    sergeant = make_user("brooks", "sergeant")
    hold = ["holds", "add", *WHY, *REASON, *LONG]

    code, out = alpr.run(*hold, "--plate", "7KQM482", as_user=detective)
    assert code == 3 and "sergeant approve" in out, out

    code, out = alpr.run(*hold, "--plate", "7K*", *BY_BROOKS, as_user=detective, approver=sergeant)
    assert code == 3 and "cannot cover this much" in out, out

    code, out = alpr.run(
        *hold, "--plate", "7KQM482", *BY_BROOKS, as_user=detective, approver=sergeant
    )
    assert code == 0 and out.startswith("hold "), out
    placed = _searches(rt)[-1]
    assert placed.outcome == "allowed" and placed.query is not None
    assert placed.query["approved_by"] == "brooks" and placed.query["approval_note"] == NOTE
    with rt.transaction() as session:
        kept = set(session.execute(select(Read.id).where(Read.retained)).scalars())
    assert kept == {world["early"], world["late"]}
