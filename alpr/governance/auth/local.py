"""Local sign-in: password, then TOTP; the policy's number of failures within its lockout window
lock the account (and end its sessions) until an administrator unlocks it. Every attempt is in
the access log."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alpr.data.models import SessionEnd, SignInAttempt, User
from alpr.governance import access_log
from alpr.governance.access_log import Event, Outcome
from alpr.governance.auth import activation_codes, totp
from alpr.governance.auth.outcomes import sign_in_failed, signed_in
from alpr.governance.auth.passwords import check_new_password, hash_password, verify_password
from alpr.governance.auth.sessions import end_user_sessions
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind
from alpr.governance.identity import inactive, is_locked
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime
from alpr.policy import Policy

USERNAME_MAX = 64  # the column's length
IMPOSSIBLE_USERNAME = (
    f"No account has that username: a username is at most {USERNAME_MAX} letters, digits, "
    "dots and underscores."
)


NOW_LOCKED = (
    "Too many failed sign-ins: this account is now locked. Only an ALPR Administrator can "
    "unlock it."
)


def password_failure(policy: Policy) -> str:
    """The one answer to every refused password step, whether the account exists, is locked or
    was just locked: it states the lockout rule without saying anything about the account."""
    return (
        f"Wrong username or password. After {policy.lockout_attempts} failed sign-ins within "
        f"{policy.lockout_window_minutes} minutes an account is locked until an ALPR "
        "Administrator unlocks it."
    )


@dataclass(frozen=True)
class MfaChallenge:
    """The password was right; the TOTP code (or enrolment) comes next."""

    user_id: int
    username: str
    needs_enrolment: bool
    provisioning_uri: str | None


@dataclass(frozen=True)
class PasswordChange:
    """Password (and code) were right at ``proven_at``, but the password is one an
    administrator set: its owner chooses their own before any session opens, within the
    policy's idle limit (a sign-in left waiting is no safer than a session left open)."""

    user_id: int
    username: str
    proven_at: datetime
    # The account was activated with a one-time code for its holder: it comes with the new
    # password, so whoever set the temporary one cannot finish this sign-in alone.
    needs_code: bool = False


ACTIVATION_CODE = (
    "Type too the activation code the person who activated your account gave you: it shows the "
    "account reached you, not only whoever set its first password."
)

CHOOSE_YOUR_OWN = (
    "Your password was set by an ALPR Administrator, who knows it: choose your own now. "
    "The one you were given stops working."
)


def _find_user(session: Session, username: str) -> User | None:
    return session.execute(
        select(User).where(User.username == username.strip().lower())
    ).scalar_one_or_none()


def _locked_row(session: Session, user_id: int) -> User | None:
    """The account, its row locked until the transaction ends (Postgres; SQLite transactions
    take the database's write lock when they begin): the attempts on one account are decided
    one after another, so a burst cannot overtake its own lockout."""
    return session.execute(
        select(User)
        .where(User.id == user_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def _fail(
    session: Session,
    rt: Runtime,
    *,
    username: str,
    user: User | None,
    stage: str,
    client_addr: str | None,
    message: str,
    reason: str | None = None,
    on_lockout: str | None = None,
) -> Refusal:
    """Record a failed attempt (and a lockout when it is the last one allowed), in the
    transaction that holds the account's row; ``reason`` says why, when it was not the
    password or code itself, and ``on_lockout`` the answer when this attempt locks the account
    (None: ``message`` all the same)."""
    now = rt.now()
    policy = rt.policy(session)
    session.add(
        SignInAttempt(
            username=username,
            user_id=user.id if user else None,
            at=now,
            success=False,
            stage=stage,
            client_addr=client_addr,
        )
    )
    sign_in_failed(
        session,
        at=now,
        username=username,
        client_addr=client_addr,
        detail=f"{stage} failed" + (f": {reason}" if reason else ""),
    )
    if user is not None and not is_locked(user):
        session.flush()
        since = now - timedelta(minutes=policy.lockout_window_minutes)
        if user.unlocked_at is not None and user.unlocked_at > since:
            since = user.unlocked_at
        failures = session.execute(
            select(func.count()).where(
                SignInAttempt.user_id == user.id,
                SignInAttempt.success.is_(False),
                SignInAttempt.at > since,
            )
        ).scalar_one()
        if failures >= policy.lockout_attempts:
            user.locked_at = now
            access_log.append(
                session,
                at=now,
                event=Event.LOCKOUT,
                outcome=Outcome.SUCCESS,
                username=username,
                client_addr=client_addr,
                detail=f"locked after {failures} failed sign-ins within "
                f"{policy.lockout_window_minutes} minutes",
            )
            end_user_sessions(session, rt, user_id=user.id, reason=SessionEnd.LOCKED)
            message = on_lockout or message
    return Refusal(RefusalKind.SIGN_IN, message)


def _succeed(rt: Runtime, session: Session, user: User, client_addr: str | None) -> Principal:
    now = rt.now()
    mfa = rt.policy(session).require_mfa
    session.add(
        SignInAttempt(
            username=user.username,
            user_id=user.id,
            at=now,
            success=True,
            stage="complete",
            client_addr=client_addr,
        )
    )
    return signed_in(
        session,
        user,
        at=now,
        client_addr=client_addr,
        how="local password" + (" + TOTP" if mfa else ""),
    )


def _signed_in_or_change(
    rt: Runtime, session: Session, user: User, client_addr: str | None
) -> Principal | PasswordChange:
    if user.password_temporary:
        return PasswordChange(
            user_id=user.id,
            username=user.username,
            proven_at=rt.now(),
            needs_code=user.activation_code_hash is not None,
        )
    return _succeed(rt, session, user, client_addr)


def refuse_impossible_username(rt: Runtime, *, username: str, client_addr: str | None) -> None:
    """A name no account can have (too long for the column, control characters) is refused
    before any password is asked; the attempt is recorded all the same, under the name's
    first characters with the unprintable ones replaced."""
    name = username.strip().lower()
    if len(name) <= USERNAME_MAX and name.isprintable():
        return
    shown = "".join(c if c.isprintable() else "?" for c in name)[:USERNAME_MAX]
    with rt.transaction() as session:
        refusal = _fail(
            session,
            rt,
            username=shown,
            user=None,
            stage="password",
            client_addr=client_addr,
            message=IMPOSSIBLE_USERNAME,
            reason=f"a username of {len(name)} characters, or with control characters",
        )
    raise refusal


def check_password(
    rt: Runtime, *, username: str, password: str, client_addr: str | None = None
) -> MfaChallenge | PasswordChange | Principal:
    """First step. Returns the MFA challenge, or when MFA is turned off the principal (or the
    password change a temporary password asks for first).

    The password is checked (slowly, by bcrypt) first; the answer is then decided holding the
    account's row, so a right password that arrives after the lockout is refused too."""
    refuse_impossible_username(rt, username=username, client_addr=client_addr)
    name = username.strip().lower()
    with rt.transaction() as session:
        found = _find_user(session, name)
        checked_hash = found.password_hash if found else None
        user_id = found.id if found else None
    password_ok = verify_password(password, checked_hash)
    with rt.transaction() as session:
        user = _locked_row(session, user_id) if user_id is not None else None
        password_ok = password_ok and user is not None and user.password_hash == checked_hash
        blocked = inactive(user) if user is not None else None
        if user is not None and password_ok and blocked is None:
            if not rt.policy(session).require_mfa:
                return _signed_in_or_change(rt, session, user, client_addr)
            needs_enrolment = user.mfa_enrolled_at is None
            if needs_enrolment and user.totp_secret is None:
                user.totp_secret = totp.new_secret()
            assert user.totp_secret is not None
            return MfaChallenge(
                user_id=user.id,
                username=user.username,
                needs_enrolment=needs_enrolment,
                provisioning_uri=totp.provisioning_uri(user.totp_secret, username=user.username)
                if needs_enrolment
                else None,
            )
        # Only whoever knows the password of a disabled account is told so; a locked account
        # answers like an unknown name whatever the password, so guessing past the lockout
        # learns nothing.
        told = blocked if user and blocked and password_ok and not is_locked(user) else None
        refusal = _fail(
            session,
            rt,
            username=name,
            user=user,
            stage="password",
            client_addr=client_addr,
            message=told.message if told else password_failure(rt.policy(session)),
            reason=blocked.message if blocked else None,
        )
    raise refusal


def check_totp(
    rt: Runtime, *, challenge: MfaChallenge, code: str, client_addr: str | None = None
) -> Principal | PasswordChange:
    """Second step: the code from the authenticator app (also completes enrolment). Each code
    is accepted once: its time-step is stored, and that step and earlier ones are spent."""
    with rt.transaction() as session:
        user = _locked_row(session, challenge.user_id)
        blocked = inactive(user) if user is not None else None
        step = (
            totp.accepted_step(user.totp_secret, code, after=user.totp_last_step)
            if user is not None and blocked is None and user.totp_secret
            else None
        )
        if user is not None and step is not None:
            user.totp_last_step = step
            if user.mfa_enrolled_at is None:
                user.mfa_enrolled_at = rt.now()
            return _signed_in_or_change(rt, session, user, client_addr)
        refusal = _fail(
            session,
            rt,
            username=challenge.username,
            user=user,
            stage="totp",
            client_addr=client_addr,
            message=blocked.message
            if blocked
            else "That code is not valid or was used already; wait for the next code.",
            reason=blocked.message if blocked else None,
            on_lockout=NOW_LOCKED,
        )
    raise refusal


def _set_own_password(
    session: Session,
    rt: Runtime,
    user: User,
    password: str,
    *,
    same: str,
    client_addr: str | None,
    detail: str,
) -> None:
    """The account's password, chosen by its owner: it follows the password rules and is not
    the password it replaces (``same`` says so); in the access log as ``detail``."""
    check_new_password(session, rt, password, username=user.username)
    if verify_password(password, user.password_hash):
        raise InvalidInput(same)
    user.password_hash = hash_password(password)
    user.password_temporary = False
    access_log.append(
        session,
        at=rt.now(),
        event=Event.USER_CHANGE,
        outcome=Outcome.SUCCESS,
        username=user.username,
        client_addr=client_addr,
        detail=detail,
    )


def change_password(
    rt: Runtime,
    *,
    principal: Principal,
    current: str,
    new: str,
    client_addr: str | None = None,
) -> int:
    """A signed-in person's new password in place of their current one, which they give
    again: a wrong one is a failed sign-in (it counts towards the lockout, so an open session
    left unattended does not let anyone guess it). Every session of the account then ends,
    this one too, so whoever knew the old password is signed out; returns how many ended."""
    with rt.transaction() as session:
        checked_hash = session.execute(
            select(User.password_hash).where(User.id == principal.user_id)
        ).scalar_one_or_none()
    if checked_hash is None:
        raise Refusal(
            RefusalKind.RULE,
            "This account signs in through the agency's single sign-on: its password is "
            "changed there.",
        )
    right = verify_password(current, checked_hash)
    with rt.transaction() as session:
        user = _locked_row(session, principal.user_id)
        blocked = inactive(user) if user is not None else None
        if user is None or blocked is not None:
            raise Refusal(RefusalKind.SIGN_IN, blocked.message if blocked else "Sign in again.")
        if not right or user.password_hash != checked_hash:
            refusal = _fail(
                session,
                rt,
                username=user.username,
                user=user,
                stage="password change",
                client_addr=client_addr,
                message="That is not your current password; nothing was changed.",
                reason="the current password given was wrong",
                on_lockout=NOW_LOCKED,
            )
        else:
            _set_own_password(
                session,
                rt,
                user,
                new,
                same="The new password is the one you have now; choose another.",
                client_addr=client_addr,
                detail=f"{user.username} changed their own password",
            )
            return end_user_sessions(session, rt, user_id=user.id, reason=SessionEnd.PASSWORD_RESET)
    raise refusal


def choose_password(
    rt: Runtime,
    *,
    change: PasswordChange,
    password: str,
    activation_code: str | None = None,
    client_addr: str | None = None,
) -> Principal:
    """The owner's own password in place of the temporary one; the sign-in then completes.
    It follows the password rules and is not the temporary password again. When the account
    was activated with a code for its holder, that code comes too: a missing or wrong one is a
    failed sign-in (it counts towards the lockout) and the sign-in starts again."""
    right_code = None
    with rt.transaction() as session:
        code_hash = session.execute(
            select(User.activation_code_hash).where(User.id == change.user_id)
        ).scalar_one_or_none()
    if code_hash is not None:
        right_code = activation_code is not None and activation_codes.matches(
            activation_code, code_hash
        )
    with rt.transaction() as session:
        user = _locked_row(session, change.user_id)
        blocked = inactive(user) if user is not None else None
        minutes = rt.policy(session).idle_timeout_minutes
        if user is None or blocked is not None or not user.password_temporary:
            raise Refusal(
                RefusalKind.SIGN_IN,
                blocked.message if blocked else "Sign in again: this sign-in has ended.",
            )
        if rt.now() - change.proven_at > timedelta(minutes=minutes):
            raise Refusal(
                RefusalKind.SIGN_IN,
                f"Sign in again: this sign-in waited more than {minutes} minutes for your new "
                "password.",
            )
        if user.activation_code_hash != code_hash or right_code is False:
            refusal = _fail(
                session,
                rt,
                username=user.username,
                user=user,
                stage="activation code",
                client_addr=client_addr,
                message="That is not the activation code given for this account: sign in again "
                "and type the code the person who activated it gave you.",
                reason="the activation code was missing or wrong",
                on_lockout=NOW_LOCKED,
            )
        else:
            _set_own_password(
                session,
                rt,
                user,
                password,
                same="Choose a password other than the one you were given.",
                client_addr=client_addr,
                detail=f"{user.username} chose their own password in place of a temporary one",
            )
            user.activation_code_hash = None
            return _succeed(rt, session, user, client_addr)
    raise refusal


def sign_in(
    rt: Runtime,
    *,
    username: str,
    password: str,
    code: str | None,
    ask_code: Callable[[MfaChallenge], str | None] | None = None,
    new_password: Callable[[], str | None] | None = None,
    activation_code: Callable[[], str | None] | None = None,
    client_addr: str | None = None,
) -> Principal:
    """Both steps at once, for the CLI; without ``code``, ``ask_code`` is asked for it once the
    password is right (given the challenge, whose provisioning URI an account enrolling its
    authenticator needs first), ``new_password`` for the owner's own password when theirs is
    temporary, and ``activation_code`` for the code its activator gave them."""
    step: MfaChallenge | PasswordChange | Principal = check_password(
        rt, username=username, password=password, client_addr=client_addr
    )
    if isinstance(step, MfaChallenge):
        if code is None and ask_code is not None:
            code = ask_code(step)
        if code is None:
            raise Refusal(RefusalKind.SIGN_IN, "A TOTP code is required (ALPR_TOTP or the prompt).")
        step = check_totp(rt, challenge=step, code=code, client_addr=client_addr)
    if isinstance(step, Principal):
        return step
    chosen = new_password() if new_password is not None else None
    if chosen is None:
        raise Refusal(
            RefusalKind.SIGN_IN,
            f"The password of {step.username} was set by an ALPR Administrator, who knows it: "
            "its owner chooses their own at a sign-in first (on the dashboard, or `alpr signin` "
            "with ALPR_NEW_PASSWORD or at its prompt).",
        )
    code_given = activation_code() if step.needs_code and activation_code is not None else None
    return choose_password(
        rt, change=step, password=chosen, activation_code=code_given, client_addr=client_addr
    )
