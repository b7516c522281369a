"""The home page's "Waiting for you": each kind of work that waits, in words, with the page
where it is done."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from alpr.governance.principal import Principal
from alpr.governance.waiting import TRAINING_NOTICE_DAYS, Waiting, Work, waiting_for
from alpr.ui.context import runtime


@dataclass(frozen=True)
class _Shown:
    one: str  # the sentence for one, "{n}" standing for the count
    many: str
    page: str
    link: str


_WORK = {
    Work.EXIGENT_REVIEWS: _Shown(
        "{n} exigent search awaits your review.",
        "{n} exigent searches await your review.",
        "app_pages/exigent_review.py",
        "Review exigent searches",
    ),
    Work.AUDIT_VERDICTS: _Shown(
        "{n} audit awaits verdicts on the records it sampled.",
        "{n} audits await verdicts on the records they sampled.",
        "app_pages/audits.py",
        "Mark the sampled records",
    ),
    Work.RELEASE_DECISIONS: _Shown(
        "{n} request for data awaits your decision.",
        "{n} requests for data await your decision.",
        "app_pages/releases.py",
        "Decide requests for data",
    ),
    Work.RELEASE_PACKAGES: _Shown(
        "{n} approved request awaits its package.",
        "{n} approved requests await their packages.",
        "app_pages/releases.py",
        "Produce approved packages",
    ),
    Work.ACTIVATIONS: _Shown(
        "{n} account awaits activation by you.",
        "{n} accounts await activation by you.",
        "app_pages/users.py",
        "Activate accounts",
    ),
    Work.AUDIT_SIGN_OFFS: _Shown(
        "{n} audit awaits completion and sign-off.",
        "{n} audits await completion and sign-off.",
        "app_pages/audits.py",
        "Audits",
    ),
    Work.AUDIT_PLAN: _Shown(
        "No audit plan is in force: record one so that audits are drawn.",
        "No audit plan is in force: record one so that audits are drawn.",
        "app_pages/audits.py",
        "Audits",
    ),
    Work.TRAINING_LAPSING: _Shown(
        "{n} account in use has training lapsed, missing or lapsing within "
        f"{TRAINING_NOTICE_DAYS} days.",
        "{n} accounts in use have training lapsed, missing or lapsing within "
        f"{TRAINING_NOTICE_DAYS} days.",
        "app_pages/training.py",
        "Training records",
    ),
}


def waiting_words(item: Waiting) -> str:
    """'2 requests for data await your decision.'"""
    shown = _WORK[item.work]
    return (shown.one if item.count == 1 else shown.many).format(n=f"{item.count:,}")


def show_waiting(principal: Principal) -> None:
    """Each kind of work waiting, with the page that does it; one line when nothing waits, and
    nothing for a role that others' acts never wait on."""
    kinds = waiting_for(runtime(), principal=principal)
    if not kinds:
        return
    st.subheader("Waiting for you")
    waiting = [item for item in kinds if item.count]
    if not waiting:
        st.caption("Nothing waits for you.")
    for item in waiting:
        shown = _WORK[item.work]
        st.warning(waiting_words(item), icon=":material/pending_actions:")
        st.page_link(shown.page, label=shown.link, icon=":material/arrow_forward:")
