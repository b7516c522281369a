"""User administration: accounts, roles, MFA, lockouts and training records, each change
in the access log (CJIS: permission changes and privileged actions are logged)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from alpr.data.models import Agency, AgencyKind, RoleCode, TrainingRecord, User
from alpr.governance import access_log
from alpr.governance.access_log import Event, Outcome
from alpr.governance.actors import check_actor
from alpr.governance.auth import totp
from alpr.governance.auth.passwords import check_password_rules, hash_password
from alpr.governance.errors import InvalidInput
from alpr.governance.identity import is_locked
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime
from alpr.governance.training import training_status


@dataclass(frozen=True)
class UserSummary:
    id: int
    username: str
    full_name: str
    title: str | None
    unit: str | None
    role: RoleCode
    agency: str
    is_contractor: bool
    disabled: bool
    locked: bool
    mfa_enrolled: bool
    training_current: bool
    training_note: str


@dataclass(frozen=True)
class NewAccount:
    username: str
    provisioning_uri: str


def _user(session: Session, username: str) -> User:
    user = session.execute(
        select(User).where(User.username == username.strip().lower())
    ).scalar_one_or_none()
    if user is None:
        raise InvalidInput(f"no user named {username!r}")
    return user


def _log(
    session: Session,
    rt: Runtime,
    *,
    actor: Principal | None,
    name: str,
    event: Event,
    detail: str,
) -> None:
    access_log.append(
        session,
        at=rt.now(),
        event=event,
        outcome=Outcome.SUCCESS,
        principal=actor,
        username=name,
        detail=detail,
    )


def create_user(
    rt: Runtime,
    *,
    actor: Principal | None,
    username: str,
    full_name: str,
    role: str,
    agency_name: str,
    password: str,
    title: str | None = None,
    unit: str | None = None,
    is_contractor: bool = False,
) -> NewAccount:
    name = username.strip().lower()
    if not name.isascii() or not name.replace(".", "").replace("_", "").isalnum():
        raise InvalidInput("a username uses letters, digits, dots and underscores only")
    try:
        role_code = RoleCode(role)
    except ValueError:
        raise InvalidInput(
            f"unknown role {role!r}; roles: {', '.join(r.value for r in RoleCode)}"
        ) from None
    try:
        check_password_rules(password, username=name, min_length=rt.settings.password_min_length)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    with rt.transaction() as session:
        actor, actor_name = check_actor(session, rt, actor, Permission.MANAGE_USERS)
        if session.execute(select(User.id).where(User.username == name)).first():
            raise InvalidInput(f"a user named {name!r} already exists (no shared accounts, R01)")
        agency = session.execute(
            select(Agency).where(Agency.name == agency_name)
        ).scalar_one_or_none()
        if agency is None:
            raise InvalidInput(f"unknown agency {agency_name!r}")
        if agency.kind not in (AgencyKind.CA_LOCAL_LE, AgencyKind.CA_STATE_LE):
            raise InvalidInput("users belong to a California law enforcement agency")
        secret = totp.new_secret()
        session.add(
            User(
                username=name,
                full_name=full_name,
                title=title,
                unit=unit,
                agency_id=agency.id,
                role_code=role_code,
                is_contractor=is_contractor,
                password_hash=hash_password(password),
                totp_secret=secret,
                created_at=rt.now(),
            )
        )
        _log(
            session,
            rt,
            actor=actor,
            name=actor_name,
            event=Event.USER_CHANGE,
            detail=f"created user {name} with role {role_code.value}"
            + (" (contractor)" if is_contractor else ""),
        )
    return NewAccount(name, totp.provisioning_uri(secret, username=name))


def _change(
    rt: Runtime,
    *,
    actor: Principal | None,
    username: str,
    event: Event,
    verb: str,
    permission: Permission = Permission.MANAGE_USERS,
) -> User:
    with rt.transaction() as session:
        actor, actor_name = check_actor(session, rt, actor, permission)
        user = _user(session, username)
        now = rt.now()
        if verb == "unlock":
            if not is_locked(user):
                raise InvalidInput(f"{user.username} is not locked")
            user.unlocked_at = now
        elif verb == "disable":
            user.disabled_at = user.disabled_at or now
        elif verb == "enable":
            user.disabled_at = None
        elif verb == "reset_mfa":
            user.totp_secret = None
            user.mfa_enrolled_at = None
        _log(
            session, rt, actor=actor, name=actor_name, event=event, detail=f"{verb} {user.username}"
        )
        return user


def unlock_user(rt: Runtime, *, actor: Principal | None, username: str) -> None:
    _change(rt, actor=actor, username=username, event=Event.UNLOCK, verb="unlock")


def disable_user(rt: Runtime, *, actor: Principal | None, username: str) -> None:
    _change(rt, actor=actor, username=username, event=Event.USER_CHANGE, verb="disable")


def enable_user(rt: Runtime, *, actor: Principal | None, username: str) -> None:
    _change(rt, actor=actor, username=username, event=Event.USER_CHANGE, verb="enable")


def reset_mfa(rt: Runtime, *, actor: Principal | None, username: str) -> None:
    _change(rt, actor=actor, username=username, event=Event.USER_CHANGE, verb="reset_mfa")


def change_role(rt: Runtime, *, actor: Principal | None, username: str, role: str) -> None:
    try:
        role_code = RoleCode(role)
    except ValueError:
        raise InvalidInput(f"unknown role {role!r}") from None
    with rt.transaction() as session:
        actor, actor_name = check_actor(session, rt, actor, Permission.MANAGE_USERS)
        user = _user(session, username)
        old = user.role_code
        user.role_code = role_code
        _log(
            session,
            rt,
            actor=actor,
            name=actor_name,
            event=Event.PERMISSION_CHANGE,
            detail=f"role of {user.username}: {old.value} -> {role_code.value}",
        )


def record_training(
    rt: Runtime,
    *,
    actor: Principal | None,
    username: str,
    course: str,
    completed_on: date,
    topics: Sequence[str] = (),
) -> None:
    if completed_on > rt.now().astimezone(rt.settings.tz).date():
        raise InvalidInput("a training completion date cannot be in the future")
    if not course.strip():
        raise InvalidInput("name the course")
    with rt.transaction() as session:
        actor, actor_name = check_actor(session, rt, actor, Permission.MANAGE_TRAINING)
        user = _user(session, username)
        session.add(
            TrainingRecord(
                user_id=user.id,
                course=course.strip(),
                completed_on=completed_on,
                topics=list(topics),
                recorded_by_id=actor.user_id if actor else None,
                recorded_at=rt.now(),
            )
        )
        _log(
            session,
            rt,
            actor=actor,
            name=actor_name,
            event=Event.TRAINING_CHANGE,
            detail=f"training of {user.username}: {course.strip()} on {completed_on.isoformat()}",
        )


@dataclass(frozen=True)
class TrainingEntry:
    username: str
    course: str
    completed_on: date
    topics: tuple[str, ...]
    recorded_by: str | None


def list_training(rt: Runtime, *, actor: Principal) -> list[TrainingEntry]:
    with rt.transaction() as session:
        check_actor(session, rt, actor, Permission.MANAGE_TRAINING)
        trainee = aliased(User)
        recorder = aliased(User)
        rows = session.execute(
            select(trainee.username, TrainingRecord, recorder.username)
            .join(trainee, trainee.id == TrainingRecord.user_id)
            .outerjoin(recorder, recorder.id == TrainingRecord.recorded_by_id)
            .order_by(TrainingRecord.completed_on.desc())
        )
        return [
            TrainingEntry(
                username=name,
                course=record.course,
                completed_on=record.completed_on,
                topics=tuple(record.topics),
                recorded_by=by,
            )
            for name, record, by in rows
        ]


def my_training(rt: Runtime, *, principal: Principal) -> str:
    """The signed-in person's own training status, in words."""
    with rt.transaction() as session:
        policy = rt.policy(session)
        return training_status(
            session,
            user_id=principal.user_id,
            today=rt.now().astimezone(policy.tz).date(),
            validity_days=policy.training_validity_days,
        ).message


def list_users(rt: Runtime, *, actor: Principal) -> list[UserSummary]:
    today = rt.now().astimezone(rt.settings.tz).date()
    with rt.transaction() as session:
        check_actor(session, rt, actor, Permission.MANAGE_USERS)
        users = session.execute(select(User).order_by(User.username)).scalars().all()
        summaries = []
        for user in users:
            status = training_status(
                session,
                user_id=user.id,
                today=today,
                validity_days=rt.settings.training_validity_days,
            )
            summaries.append(
                UserSummary(
                    id=user.id,
                    username=user.username,
                    full_name=user.full_name,
                    title=user.title,
                    unit=user.unit,
                    role=user.role_code,
                    agency=user.agency.name,
                    is_contractor=user.is_contractor,
                    disabled=user.disabled_at is not None,
                    locked=is_locked(user),
                    mfa_enrolled=user.mfa_enrolled_at is not None,
                    training_current=status.current,
                    training_note=status.message,
                )
            )
        return summaries
