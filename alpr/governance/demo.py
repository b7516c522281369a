"""The demo agency: deterministic reads, cameras, hot lists and incidents, plus one trained
demo user per role, under the Daly City policy profile. Only for a local installation."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from alpr.data.demo import DemoSummary, seed_demo_data
from alpr.data.demo.places import places_geojson
from alpr.data.models import HotListEntry, Read, User
from alpr.governance.auth import totp
from alpr.governance.errors import InvalidInput
from alpr.governance.hotlists import retro_hits
from alpr.governance.identity import principal_for
from alpr.governance.installation import environment
from alpr.governance.places import import_places
from alpr.governance.policy import set_policy
from alpr.governance.principal import Principal
from alpr.governance.profiles import apply_profile, profile
from alpr.governance.runtime import Runtime
from alpr.governance.training import TRAINING_TOPICS
from alpr.governance.users import activate_user, create_user, record_training

DEMO_AGENCY = "Demo City Police Department"
DEMO_PROFILE = "daly-city"
DEMO_PASSWORD = "Demo-City-ALPR-2026"  # noqa: S105  (published demo credential)
DEMO_PLACES = "Demo City street centre lines and address points"
DEMO_USERS = (
    ("detective", "investigator", "Det. Maria Alvarez", "Detective"),
    ("officer", "patrol", "Ofc. James Chen", "Police Officer"),
    ("sergeant", "sergeant", "Sgt. Dana Brooks", "Sergeant"),
    ("clerk", "records_clerk", "Pat Nguyen", "Records Specialist"),
    ("commander", "command", "Capt. Robert Ellis", "Captain"),
    ("admin", "administrator", "Lt. Sarah Okafor", "Lieutenant, ALPR Program"),
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    totp_uri: str


@dataclass(frozen=True)
class DemoResult:
    summary: DemoSummary
    accounts: tuple[DemoAccount, ...]


def _refuse_outside_local(rt: Runtime) -> None:
    with rt.transaction() as session:
        where = environment(session, rt)
    if where != "local":
        raise InvalidInput("the demo agency is only for a local installation, not production")


def _demo_secret(username: str) -> str:
    digest = hashlib.sha256(f"alpr-demo-totp:{username}".encode()).digest()
    return base64.b32encode(digest[:20]).decode()


def _activate_accounts(rt: Runtime, *, administrator: Principal | None, now: datetime) -> None:
    """The commander is activated by the administrator (nobody else could yet), and the rest
    by the commander, as a new installation's accounts are."""
    activate_user(rt, actor=administrator, username="commander")
    with rt.transaction() as session:
        user = session.execute(select(User).where(User.username == "commander")).scalar_one()
        commander = principal_for(session, user, authenticated_at=now, client_addr=None)
    for username, role, _, _ in DEMO_USERS:
        if role not in ("administrator", "command"):
            activate_user(rt, actor=commander, username=username)


def is_seeded(rt: Runtime) -> bool:
    with rt.transaction() as session:
        return bool(session.execute(select(func.count()).select_from(Read)).scalar_one())


def seed_demo(rt: Runtime, *, reads: int, seed: int = 7) -> DemoResult:
    """Seed the demo agency into an empty, upgraded database."""
    _refuse_outside_local(rt)
    if reads < 1000:
        raise InvalidInput("--reads must be at least 1000")
    if is_seeded(rt):
        raise InvalidInput("this database already holds reads; the demo seeds an empty database")
    with rt.transaction() as session:
        if session.execute(select(func.count()).select_from(User)).scalar_one():
            raise InvalidInput(
                "this database already has accounts; the demo seeds an empty database"
            )
    now = rt.now()
    apply_profile(rt, actor=None, name=DEMO_PROFILE)
    set_policy(
        rt,
        actor=None,
        key="agency_name",
        value=DEMO_AGENCY,
        legal_basis="Demo agency: a fictional department under the "
        f"{profile(DEMO_PROFILE).department}'s policy profile",
    )
    administrator: Principal | None = None  # the first is added by set-up, the rest by them
    for username, role, full_name, title in sorted(
        DEMO_USERS, key=lambda user: user[1] != "administrator"
    ):
        create_user(
            rt,
            actor=administrator,
            username=username,
            full_name=full_name,
            role=role,
            agency_name=DEMO_AGENCY,
            password=DEMO_PASSWORD,
            title=title,
            temporary_password=False,
        )
        record_training(
            rt,
            actor=None,
            username=username,
            course="ALPR operator course (department-approved)",
            completed_on=(now - timedelta(days=60)).date(),
            topics=TRAINING_TOPICS,
        )
        with rt.transaction() as session:
            user = session.execute(select(User).where(User.username == username)).scalar_one()
            user.totp_secret = _demo_secret(username)
            if administrator is None:
                administrator = principal_for(session, user, authenticated_at=now, client_addr=None)
    _activate_accounts(rt, administrator=administrator, now=now)
    accounts = [
        DemoAccount(
            username, role, totp.provisioning_uri(_demo_secret(username), username=username)
        )
        for username, role, _, _ in DEMO_USERS
    ]
    for key, value in (
        ("administrator_name", "Capt. Robert Ellis"),
        ("designee_name", "Lt. Sarah Okafor"),
    ):
        set_policy(
            rt,
            actor=None,
            key=key,
            value=value,
            legal_basis="Demo agency: designated by the department",
        )
    import_places(rt, actor=administrator, data=places_geojson(), fmt="geojson", source=DEMO_PLACES)
    summary = seed_demo_data(rt.engine, image_store=rt.images, reads=reads, seed=seed, now=now)
    with rt.transaction() as session:
        entries = list(session.execute(select(HotListEntry.id)).scalars())
        retro_hits(session, rt, entry_ids=entries)
    return DemoResult(summary=summary, accounts=tuple(accounts))


def demo_codes(rt: Runtime) -> dict[str, str]:
    """Current TOTP codes of the demo accounts, so a local demo needs no phone: only those
    this database holds with the demo's second factor (a reset one enrols anew)."""
    _refuse_outside_local(rt)
    names = [username for username, *_ in DEMO_USERS]
    with rt.transaction() as session:
        secrets = {
            row.username: row.totp_secret
            for row in session.execute(
                select(User.username, User.totp_secret).where(User.username.in_(names))
            )
        }
    codes = {
        name: totp.current_code(_demo_secret(name))
        for name in names
        if secrets.get(name) == _demo_secret(name)
    }
    if not codes:
        raise InvalidInput(
            "this database holds no demo account: `alpr demo seed` creates them in an empty "
            "database"
        )
    return codes
