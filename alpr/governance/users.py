"""User administration: accounts, roles, MFA, passwords, lockouts, trainers and training
records, each an administered act in the access log (CJIS: permission changes and privileged
actions are logged, refusals too)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Protocol

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from alpr.data.models import (
    Agency,
    AgencyKind,
    RoleCode,
    RolePermission,
    SessionEnd,
    TrainingRecord,
    User,
)
from alpr.governance.access_log import Event
from alpr.governance.auth import activation_codes, totp
from alpr.governance.auth.passwords import check_new_password, hash_password
from alpr.governance.auth.sessions import end_user_sessions
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind
from alpr.governance.gateway import SYSTEM, Act, Actor, Done, administered
from alpr.governance.identity import inactive, is_locked
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
    is_trainer: bool
    disabled: bool
    locked: bool
    mfa_enrolled: bool
    training_current: bool
    training_lapses_on: date | None = None  # None: no training on record
    awaiting_activation: bool = False
    activated_by_creator: bool = False  # the installation's first accounts only
    # The last reset of its credentials: what it gave anew ("password", "second factor" or
    # both), who did it and when; None when they were issued at its creation.
    credentials_reset: str | None = None
    credentials_reset_by: str | None = None
    credentials_reset_at: datetime | None = None
    password_temporary: bool = False  # set by an administrator, not yet replaced by its owner

    def account_words(self, tz: tzinfo) -> str:
        """The account's state in words, short enough for the Users page's column: awaiting
        activation (after a reset: by whom and when; what was reset is under "Awaiting
        activation"), disabled, locked or active."""
        if self.awaiting_activation:
            if not self.credentials_reset:
                return "Awaiting activation"
            return "Awaiting activation: " + reset_by_words(
                self.credentials_reset_by, self.credentials_reset_at, tz
            )
        if self.disabled:
            return "Disabled"
        if self.locked:
            return "Locked"
        return "Active (activated by its creator)" if self.activated_by_creator else "Active"

    def training_words(self) -> str:
        """'Current until 2027-11-01', 'Lapsed on 2026-10-01: no ALPR data' or 'None on
        record: no ALPR data': about the account, for whoever lists it."""
        if self.training_lapses_on is None:
            return "None on record: no ALPR data"
        if self.training_current:
            return f"Current until {self.training_lapses_on:%Y-%m-%d}"
        return f"Lapsed on {self.training_lapses_on:%Y-%m-%d}: no ALPR data"

    def credentials_words(self) -> str:
        """'temporary password, second factor not enrolled yet'."""
        password = "temporary password" if self.password_temporary else "own password"
        factor = "enrolled" if self.mfa_enrolled else "not enrolled yet"
        return f"{password}, second factor {factor}"


def reset_by_words(by: str | None, at: datetime | None, tz: tzinfo) -> str:
    """'reset by okafor, 2026-11-21 09:12'."""
    when = f", {at.astimezone(tz):%Y-%m-%d %H:%M}" if at is not None else ""
    return f"reset by {by or SYSTEM}{when}"


class CredentialsResetFacts(Protocol):
    """An account's last credentials reset, as both account listings carry it."""

    @property
    def credentials_reset(self) -> str | None: ...
    @property
    def credentials_reset_by(self) -> str | None: ...
    @property
    def credentials_reset_at(self) -> datetime | None: ...


def reset_words(account: CredentialsResetFacts, tz: tzinfo) -> str:
    """'password reset by okafor, 2026-11-21 09:12' (empty for credentials never reset)."""
    what = account.credentials_reset
    if not what:
        return ""
    return (
        f"{what} {reset_by_words(account.credentials_reset_by, account.credentials_reset_at, tz)}"
    )


@dataclass(frozen=True)
class NewAccount:
    username: str
    provisioning_uri: str
    awaiting_activation: bool


@dataclass(frozen=True)
class AwaitingActivation:
    """An account nobody has activated yet, as the second person sees it."""

    username: str
    full_name: str
    title: str | None
    role: RoleCode
    is_contractor: bool
    created_by: str | None
    created_at: datetime
    # After a reset: what it gave anew, who did it and when (None: a new account).
    credentials_reset: str | None = None
    credentials_reset_by: str | None = None
    credentials_reset_at: datetime | None = None


def _user(session: Session, username: str) -> User:
    user = session.execute(
        select(User).where(User.username == username.strip().lower())
    ).scalar_one_or_none()
    if user is None:
        raise InvalidInput(f"no user named {username!r}")
    return user


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
    temporary_password: bool = True,
) -> NewAccount:
    """A new account, awaiting activation by a second person. The password an administrator
    gives it is temporary: its owner chooses their own at the first sign-in. Only accounts whose
    password is shared knowledge by design (the demo's) are made with ``temporary_password``
    False; the first Administrator of an empty database chose theirs."""
    name = username.strip().lower()
    if not name.isascii() or not name.replace(".", "").replace("_", "").isalnum():
        raise InvalidInput("a username uses letters, digits, dots and underscores only")
    try:
        role_code = RoleCode(role)
    except ValueError:
        raise InvalidInput(
            f"unknown role {role!r}; roles: {', '.join(r.value for r in RoleCode)}"
        ) from None

    def run(session: Session, who: Actor) -> Done[NewAccount]:
        if who.principal is None and (
            role_code is not RoleCode.ADMINISTRATOR or _has_administrator(session)
        ):
            raise Refusal(
                RefusalKind.SIGN_IN,
                "sign in as an ALPR Administrator to add users (--as); only the first "
                "Administrator of an empty database is added without one",
            )
        check_new_password(session, rt, password, username=name)
        if session.execute(select(User.id).where(User.username == name)).first():
            raise InvalidInput(f"a user named {name!r} already exists (no shared accounts)")
        agency = session.execute(
            select(Agency).where(Agency.name == agency_name)
        ).scalar_one_or_none()
        if agency is None:
            raise InvalidInput(f"unknown agency {agency_name!r}")
        if agency.kind not in (AgencyKind.CA_LOCAL_LE, AgencyKind.CA_STATE_LE):
            raise InvalidInput("users belong to a California law enforcement agency")
        secret = totp.new_secret()
        first = who.principal is None  # the first Administrator of an empty database
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
                created_by_id=who.user_id,
                credentials_issued_by_id=who.user_id,
                credentials_issued_at=rt.now(),
                activated_at=rt.now() if first else None,
                first_activated_at=rt.now() if first else None,
                password_temporary=temporary_password and not first,
            )
        )
        return Done(
            NewAccount(name, totp.provisioning_uri(secret, username=name), not first),
            detail=f"created user {name} with role {role_code.value}"
            + (" (contractor)" if is_contractor else "")
            + ("" if first else "; it awaits activation by a second person"),
        )

    return administered(
        rt, Act(actor, Permission.MANAGE_USERS, Event.USER_CHANGE, f"create user {name}"), run
    )


def _has_administrator(session: Session) -> bool:
    return (
        session.execute(
            select(User.id).where(User.role_code == RoleCode.ADMINISTRATOR).limit(1)
        ).first()
        is not None
    )


def _ever_activated(session: Session, *, besides: int | None) -> bool:
    """Whether any account other than ``besides`` was ever activated, whatever its role and
    whether or not it is disabled or awaits activation again now: then the installation is
    past its first accounts."""
    return (
        session.execute(
            select(User.id)
            .where(
                or_(User.activated_at.is_not(None), User.first_activated_at.is_not(None)),
                User.id.not_in([besides] if besides is not None else []),
            )
            .limit(1)
        ).first()
        is not None
    )


def _activators(session: Session) -> list[User]:
    """The accounts ever activated whose role may activate accounts."""
    return list(
        session.execute(
            select(User)
            .join(RolePermission, RolePermission.role_code == User.role_code)
            .where(
                RolePermission.permission == Permission.ACTIVATE_ACCOUNTS.value,
                or_(User.activated_at.is_not(None), User.first_activated_at.is_not(None)),
            )
            .order_by(User.username)
        ).scalars()
    )


def _what_to_do(session: Session, *, actor_id: int | None, account: User) -> str:
    """When nobody but the actor could activate ``account`` now: what would let someone."""
    activators = [u for u in _activators(session) if u.id not in (actor_id, account.id)]
    if any(inactive(u) is None for u in activators):
        return ""
    steps = []
    disabled = [u.username for u in activators if u.disabled_at is not None]
    locked = [u.username for u in activators if u.disabled_at is None and is_locked(u)]
    if disabled:
        steps.append(f"enable {_names(disabled)}")
    if locked:
        steps.append(f"unlock {_names(locked)}")
    members = session.execute(
        select(User.id)
        .where(
            User.activated_at.is_not(None),
            User.disabled_at.is_(None),
            User.id.not_in([i for i in (actor_id, account.id) if i is not None]),
        )
        .limit(1)
    ).first()
    if members is not None:
        steps.append(
            "give command staff's role to an active member of the department (Change role)"
        )
    if not steps:
        return (
            " Nobody else can activate accounts now, and no other account is active to be "
            "given command staff's role."
        )
    return (
        " Nobody else can activate accounts now: "
        + ", or ".join(steps)
        + "; they then activate it."
    )


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def activate_user(rt: Runtime, *, actor: Principal | None, username: str) -> str | None:
    """Activate an account that awaits activation (a new one, or one whose password or second
    factor was reset): a second person vouches that its holder is a member of the department
    and holds it alone. The person who issued its credentials (its creator, or whoever reset
    them) knows them, so they may not, unless they are the only account of the installation
    ever activated (its first accounts): that is recorded.

    When the account's password is temporary, returns the one-time activation code the
    activator gives its holder in person: the first sign-in needs it with the holder's own new
    password, so whoever set the temporary password cannot sign in as the holder."""

    def run(session: Session, who: Actor) -> Done[str | None]:
        user = _user(session, username)
        if user.activated_at is not None:
            raise InvalidInput(f"{user.username} is active already")
        by_issuer = who.user_id is not None and who.user_id == user.credentials_issued_by_id
        if by_issuer and _ever_activated(session, besides=who.user_id):
            raise Refusal(
                RefusalKind.RULE,
                _second_person(user) + _what_to_do(session, actor_id=who.user_id, account=user),
            )
        again = user.first_activated_at is not None
        user.activated_at = rt.now()
        user.activated_by_id = who.user_id
        user.first_activated_at = user.first_activated_at or user.activated_at
        code = None
        if user.password_temporary:
            code, user.activation_code_hash = activation_codes.new_code()
        issuer = _username(session, user.credentials_issued_by_id)
        return Done(
            code,
            detail=f"activated {user.username}"
            + (
                f" again after its {user.credentials_reset} reset by {issuer}"
                if again and user.credentials_reset
                else ""
            )
            + (
                " by its creator: no other account of the installation was ever activated"
                if by_issuer
                else ""
            )
            + ("; activation code given for its first sign-in" if code else ""),
        )

    return administered(
        rt,
        Act(
            actor,
            Permission.ACTIVATE_ACCOUNTS,
            Event.USER_CHANGE,
            f"activate user {username.strip().lower()}",
        ),
        run,
    )


def _second_person(user: User) -> str:
    """Why the one who issued ``user``'s credentials does not activate it, and who does."""
    who = "another ALPR Administrator or a member of command staff"
    if user.credentials_reset is None:
        return (
            f"You created {user.username}, so a second person activates it: {who}, who "
            f"vouches that {user.full_name} is a member of the department."
        )
    again = " again" if user.first_activated_at is not None else ""
    confirms = []
    if "password" in user.credentials_reset:
        confirms.append("the new password reached them alone")
    if "second factor" in user.credentials_reset:
        confirms.append("they alone enrol its new authenticator at their next sign-in")
    return (
        f"You reset {user.username}'s {user.credentials_reset}, so a second person activates "
        f"it{again}: {who}, who confirms {user.username} is {user.full_name}'s: "
        + ", and ".join(confirms)
        + "."
    )


def _username(session: Session, user_id: int | None) -> str:
    if user_id is None:
        return SYSTEM
    return session.execute(select(User.username).where(User.id == user_id)).scalar_one()


def awaiting_activation(rt: Runtime, *, actor: Principal) -> list[AwaitingActivation]:
    """The accounts that await activation (new ones, and those whose password or second
    factor was reset), oldest first."""
    creator = aliased(User)
    issuer = aliased(User)

    def run(session: Session, _who: Actor) -> Done[list[AwaitingActivation]]:
        rows = session.execute(
            select(User, creator.username, issuer.username)
            .outerjoin(creator, creator.id == User.created_by_id)
            .outerjoin(issuer, issuer.id == User.credentials_issued_by_id)
            .where(User.activated_at.is_(None))
            .order_by(User.created_at, User.username)
        ).all()
        return Done(
            [
                AwaitingActivation(
                    u.username,
                    u.full_name,
                    u.title,
                    u.role_code,
                    u.is_contractor,
                    by,
                    u.created_at,
                    u.credentials_reset,
                    (reset_by or SYSTEM) if u.credentials_reset else None,
                    u.credentials_issued_at if u.credentials_reset else None,
                )
                for u, by, reset_by in rows
            ]
        )

    return administered(
        rt,
        Act(
            actor,
            Permission.ACTIVATE_ACCOUNTS,
            Event.USER_CHANGE,
            "list accounts awaiting activation",
            view=True,
        ),
        run,
    )


def _account_act(
    rt: Runtime,
    *,
    actor: Principal | None,
    username: str,
    event: Event,
    verb: str,
    change: Callable[[Session, User], str | None],
    ends: SessionEnd | None = None,
) -> None:
    """One change to an account; ``change`` returns what it did in words (or None for ``verb``)
    and ``ends`` the reason the account's sessions end, if they do."""

    def run(session: Session, _who: Actor) -> Done[None]:
        user = _user(session, username)
        detail = change(session, user) or f"{verb} {user.username}"
        if ends is not None:
            ended = end_user_sessions(session, rt, user_id=user.id, reason=ends)
            detail += f" ({ended} sessions ended)" if ended else ""
        return Done(None, detail=detail)

    administered(
        rt, Act(actor, Permission.MANAGE_USERS, event, f"{verb} {username.strip().lower()}"), run
    )


def unlock_user(rt: Runtime, *, actor: Principal | None, username: str) -> None:
    def change(_session: Session, user: User) -> None:
        if not is_locked(user):
            raise InvalidInput(f"{user.username} is not locked")
        user.unlocked_at = rt.now()

    _account_act(
        rt, actor=actor, username=username, event=Event.UNLOCK, verb="unlock", change=change
    )


def disable_user(rt: Runtime, *, actor: Principal | None, username: str) -> None:
    def change(_session: Session, user: User) -> None:
        user.disabled_at = user.disabled_at or rt.now()

    _account_act(
        rt,
        actor=actor,
        username=username,
        event=Event.USER_CHANGE,
        verb="disable",
        change=change,
        ends=SessionEnd.DISABLED,
    )


def enable_user(rt: Runtime, *, actor: Principal | None, username: str) -> None:
    def change(_session: Session, user: User) -> None:
        user.disabled_at = None

    _account_act(
        rt, actor=actor, username=username, event=Event.USER_CHANGE, verb="enable", change=change
    )


RESET_AWAITS = "; it awaits activation by a second person"


def _reissue(session: Session, rt: Runtime, user: User, *, by: int | None, what: str) -> None:
    """Credentials issued anew (``what``: "password" or "second factor") by ``by``: whoever
    did it knows them, so the account awaits activation by a second person again, exactly
    like a new account, and the one who reset them may not be that person."""
    if by is not None and by == user.id:
        raise Refusal(
            RefusalKind.RULE,
            f"Nobody resets their own {what}: another ALPR Administrator does it, and a "
            "second person then activates the account again.",
        )
    if user.activated_at is None and user.credentials_issued_by_id not in (None, by):
        issuer = _username(session, user.credentials_issued_by_id)
        how = (
            f"{issuer} reset its {user.credentials_reset}"
            if user.credentials_reset
            else f"{issuer} created it"
        )
        raise Refusal(
            RefusalKind.RULE,
            f"{user.username} awaits activation after {how}: someone other than {issuer} "
            f"activates it first, or {issuer} resets its {what} too. Otherwise {issuer}, who "
            "knows part of its credentials, could activate it once you have reset the rest.",
        )
    if user.activated_at is not None and user.first_activated_at is None:
        user.first_activated_at = user.activated_at
    earlier = (
        set((user.credentials_reset or "").split(" and ")) - {""}
        if user.activated_at is None
        else set()
    )
    user.credentials_reset = " and ".join(
        part for part in ("password", "second factor") if part in earlier | {what}
    )
    user.credentials_issued_by_id = by
    user.credentials_issued_at = rt.now()
    user.activation_code_hash = None
    user.activated_at = None
    user.activated_by_id = None


def reset_mfa(rt: Runtime, *, actor: Principal | None, username: str) -> None:
    """Clear an account's second factor: its next sign-in enrols a new authenticator, once a
    second person has activated the account again."""

    def change(session: Session, user: User) -> str:
        _reissue(session, rt, user, by=actor.user_id if actor else None, what="second factor")
        user.totp_secret = None
        user.mfa_enrolled_at = None
        return f"reset_mfa {user.username}{RESET_AWAITS}"

    _account_act(
        rt,
        actor=actor,
        username=username,
        event=Event.USER_CHANGE,
        verb="reset_mfa",
        change=change,
        ends=SessionEnd.MFA_RESET,
    )


def reset_password(rt: Runtime, *, actor: Principal | None, username: str, password: str) -> None:
    """Give an account a temporary password: it signs in again once a second person has
    activated it again, and its owner then chooses their own before any session opens."""

    def change(session: Session, user: User) -> str:
        check_new_password(session, rt, password, username=user.username)
        _reissue(session, rt, user, by=actor.user_id if actor else None, what="password")
        user.password_hash = hash_password(password)
        user.password_temporary = True
        return f"reset_password {user.username}{RESET_AWAITS}"

    _account_act(
        rt,
        actor=actor,
        username=username,
        event=Event.USER_CHANGE,
        verb="reset_password",
        change=change,
        ends=SessionEnd.PASSWORD_RESET,
    )


def change_role(rt: Runtime, *, actor: Principal | None, username: str, role: str) -> None:
    try:
        role_code = RoleCode(role)
    except ValueError:
        raise InvalidInput(f"unknown role {role!r}") from None

    def change(_session: Session, user: User) -> str:
        if actor is not None and actor.user_id == user.id:
            raise Refusal(
                RefusalKind.RULE,
                "Nobody changes their own role: another ALPR Administrator does it, and the "
                "change is in the access log.",
            )
        old = user.role_code
        user.role_code = role_code
        return f"role of {user.username}: {old.value} -> {role_code.value}"

    _account_act(
        rt,
        actor=actor,
        username=username,
        event=Event.PERMISSION_CHANGE,
        verb="change_role",
        change=change,
        ends=SessionEnd.ROLE_CHANGED,
    )


def designate_trainer(
    rt: Runtime, *, actor: Principal | None, username: str, trainer: bool
) -> None:
    """Designate an operator as a trainer who records the training of others (R05), or end
    the designation."""

    def change(_session: Session, user: User) -> str:
        user.is_trainer = trainer
        return f"{user.username} {'designated' if trainer else 'no longer'} a trainer"

    _account_act(
        rt,
        actor=actor,
        username=username,
        event=Event.PERMISSION_CHANGE,
        verb="designate_trainer",
        change=change,
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
    """Record completed training: by the ALPR Administrator or a designated trainer (R05),
    never by trainers for themselves."""
    if completed_on > rt.now().astimezone(rt.settings.tz).date():
        raise InvalidInput("a training completion date cannot be in the future")
    if not course.strip():
        raise InvalidInput("name the course")

    def run(session: Session, who: Actor) -> Done[None]:
        user = _user(session, username)
        if who.user_id == user.id:
            raise Refusal(RefusalKind.RULE, "Nobody records their own training.")
        session.add(
            TrainingRecord(
                user_id=user.id,
                course=course.strip(),
                completed_on=completed_on,
                topics=list(topics),
                recorded_by_id=who.user_id,
                recorded_at=rt.now(),
            )
        )
        return Done(
            None,
            detail=f"training of {user.username}: {course.strip()} on {completed_on.isoformat()}",
        )

    administered(
        rt,
        Act(
            actor,
            (Permission.MANAGE_TRAINING, Permission.RECORD_TRAINING),
            Event.TRAINING_CHANGE,
            f"record training of {username.strip().lower()}",
        ),
        run,
    )


@dataclass(frozen=True)
class TrainingEntry:
    username: str
    course: str
    completed_on: date
    topics: tuple[str, ...]
    recorded_by: str | None


def list_training(rt: Runtime, *, actor: Principal) -> list[TrainingEntry]:
    def run(session: Session, _who: Actor) -> Done[list[TrainingEntry]]:
        trainee = aliased(User)
        recorder = aliased(User)
        rows = session.execute(
            select(trainee.username, TrainingRecord, recorder.username)
            .join(trainee, trainee.id == TrainingRecord.user_id)
            .outerjoin(recorder, recorder.id == TrainingRecord.recorded_by_id)
            .order_by(TrainingRecord.completed_on.desc())
        )
        return Done(
            [
                TrainingEntry(
                    username=name,
                    course=record.course,
                    completed_on=record.completed_on,
                    topics=tuple(record.topics),
                    recorded_by=by,
                )
                for name, record, by in rows
            ]
        )

    return administered(
        rt,
        Act(
            actor,
            (Permission.MANAGE_TRAINING, Permission.RECORD_TRAINING),
            Event.TRAINING_CHANGE,
            "list training records",
            view=True,
        ),
        run,
    )


def my_training(rt: Runtime, *, principal: Principal) -> str:
    """The signed-in person's own training status, in words."""
    with rt.transaction() as session:
        policy = rt.policy(session)
        return training_status(
            session,
            user_id=principal.user_id,
            today=rt.now().astimezone(rt.settings.tz).date(),
            validity_days=policy.training_validity_days,
        ).message


def list_users(rt: Runtime, *, actor: Principal) -> list[UserSummary]:
    today = rt.now().astimezone(rt.settings.tz).date()

    def run(session: Session, _who: Actor) -> Done[list[UserSummary]]:
        validity = rt.policy(session).training_validity_days
        users = session.execute(select(User).order_by(User.username)).scalars().all()
        names: dict[int | None, str] = {u.id: u.username for u in users}
        summaries = []
        for user in users:
            status = training_status(session, user_id=user.id, today=today, validity_days=validity)
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
                    is_trainer=user.is_trainer,
                    disabled=user.disabled_at is not None,
                    locked=is_locked(user),
                    mfa_enrolled=user.mfa_enrolled_at is not None,
                    training_current=status.current,
                    training_lapses_on=status.lapses_on,
                    awaiting_activation=user.activated_at is None,
                    activated_by_creator=user.activated_by_id is not None
                    and user.activated_by_id == user.credentials_issued_by_id,
                    credentials_reset=user.credentials_reset,
                    credentials_reset_by=names.get(user.credentials_issued_by_id, SYSTEM)
                    if user.credentials_reset
                    else None,
                    credentials_reset_at=user.credentials_issued_at
                    if user.credentials_reset
                    else None,
                    password_temporary=user.password_temporary,
                )
            )
        return Done(summaries)

    return administered(
        rt,
        Act(actor, Permission.MANAGE_USERS, Event.USER_CHANGE, "list users", view=True),
        run,
    )
