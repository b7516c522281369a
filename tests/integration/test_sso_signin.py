"""Agency single sign-on (R01, CJIS): the identity provider's subject is bound to one ALPR
account at its first sign-in, by a verified address in the agency's own domain only; no other
identity can take that account over, a disabled or locked account stays shut, and every
attempt, refused ones included, is in the access log."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from sqlalchemy import select

from alpr.data.models import AccessRecord, User
from alpr.governance.auth.local import check_password
from alpr.governance.auth.oidc import sign_in_sso
from alpr.governance.errors import Refusal
from alpr.governance.runtime import Runtime
from alpr.governance.users import disable_user
from tests.conftest import TestUser


@pytest.fixture
def rt(rt: Runtime) -> Runtime:
    """The installation, with pd.gov as the agency's e-mail domain."""
    return replace(rt, settings=rt.settings.model_copy(update={"sso_email_domains": ("pd.gov",)}))


def _agency(address: str, subject: str = "idp-0042") -> dict[str, object]:
    return {"sub": subject, "email": address, "email_verified": True}


def _sign_ins(rt: Runtime) -> list[tuple[str, str, str | None]]:
    with rt.transaction() as session:
        rows = session.execute(
            select(AccessRecord.outcome, AccessRecord.username, AccessRecord.detail)
            .where(AccessRecord.event == "sign_in")
            .order_by(AccessRecord.id)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def _subject(rt: Runtime, username: str) -> str | None:
    with rt.transaction() as session:
        return session.execute(
            select(User.oidc_subject).where(User.username == username)
        ).scalar_one()


def test_first_sign_in_binds_the_subject_which_then_finds_the_account(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    make_user("rivera", "investigator")
    first = sign_in_sso(rt, claims=_agency("Rivera@pd.gov"))
    assert first.username == "rivera" and _subject(rt, "rivera") == "idp-0042"
    renamed = sign_in_sso(rt, claims={"sub": "idp-0042", "email": "m.rivera@pd.gov"})
    assert renamed.username == "rivera" and renamed.role == first.role
    assert [outcome for outcome, _, _ in _sign_ins(rt)] == ["success", "success"]


def test_an_identity_without_an_account_is_refused_and_logged(rt: Runtime) -> None:
    with pytest.raises(Refusal, match="no ALPR account is linked"):
        sign_in_sso(rt, claims=_agency("visitor@pd.gov", "idp-0099"))
    [(outcome, username, detail)] = _sign_ins(rt)
    assert outcome == "failure" and username == "visitor@pd.gov" and "refused" in (detail or "")


def test_another_identity_cannot_take_over_a_bound_account(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    make_user("rivera", "investigator")
    sign_in_sso(rt, claims=_agency("rivera@pd.gov"))
    with pytest.raises(Refusal, match="no ALPR account is linked"):
        sign_in_sso(rt, claims=_agency("rivera@pd.gov", "idp-6666"))
    assert _subject(rt, "rivera") == "idp-0042"
    assert _sign_ins(rt)[-1][:2] == ("failure", "rivera@pd.gov")


def test_a_disabled_account_stays_shut_to_single_sign_on_and_the_attempt_is_logged(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    make_user("rivera", "investigator")
    sign_in_sso(rt, claims=_agency("rivera@pd.gov"))
    disable_user(rt, actor=None, username="rivera")
    with pytest.raises(Refusal, match="disabled"):
        sign_in_sso(rt, claims=_agency("rivera@pd.gov"))
    outcome, _, detail = _sign_ins(rt)[-1]
    assert outcome == "failure" and "disabled" in (detail or "")


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "idp-6666", "email": "sergeant@attacker.example", "email_verified": True},
        {"sub": "idp-6666", "email": "sergeant@pd.gov", "email_verified": False},
        {"sub": "idp-6666", "email": "sergeant@pd.gov"},
        {"sub": "idp-6666", "preferred_username": "sergeant@pd.gov"},
        {"sub": "idp-6666", "preferred_username": "sergeant"},
        {"sub": "idp-6666", "email": "sergeant@pd.gov.attacker.example", "email_verified": True},
    ],
    ids=["elsewhere", "unverified", "unsaid", "display-name", "bare-name", "look-alike"],
)
def test_only_a_verified_agency_address_links_an_account(
    rt: Runtime, make_user: Callable[..., TestUser], claims: dict[str, object]
) -> None:
    """R01: an identity provider that lets people choose their address or display name does
    not hand them the sergeant's account: the first link needs an address the provider
    verified, in the agency's domain; the account stays unlinked for its holder."""
    make_user("sergeant", "sergeant")
    with pytest.raises(Refusal, match="no ALPR account is linked"):
        sign_in_sso(rt, claims=claims)
    assert _subject(rt, "sergeant") is None
    assert _sign_ins(rt)[-1][0] == "failure"
    assert sign_in_sso(rt, claims=_agency("sergeant@pd.gov")).username == "sergeant"


def test_without_agency_domains_only_linked_accounts_sign_on(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    make_user("rivera", "investigator")
    sign_in_sso(rt, claims=_agency("rivera@pd.gov"))
    bare = replace(rt, settings=rt.settings.model_copy(update={"sso_email_domains": ()}))
    assert sign_in_sso(bare, claims=_agency("rivera@pd.gov")).username == "rivera"
    make_user("okafor", "investigator")
    with pytest.raises(Refusal, match="no ALPR account is linked"):
        sign_in_sso(bare, claims=_agency("okafor@pd.gov", "idp-0077"))


def test_a_disabled_accounts_password_attempts_are_logged_without_telling_strangers(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """The right password learns that the account is disabled; a wrong one learns nothing
    more than for any account. Both attempts are in the access log with the reason."""
    user = make_user("rivera", "investigator")
    disable_user(rt, actor=None, username="rivera")
    with pytest.raises(Refusal, match="disabled"):
        check_password(rt, username="rivera", password=user.password)
    with pytest.raises(Refusal) as wrong:
        check_password(rt, username="rivera", password="Wrong-Password-000")
    assert "disabled" not in wrong.value.message
    failures = [detail for outcome, _, detail in _sign_ins(rt) if outcome == "failure"]
    assert len(failures) == 2 and all("disabled" in (d or "") for d in failures)
