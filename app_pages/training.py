from datetime import date

import streamlit as st

from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.permissions import Permission
from alpr.governance.training import TRAINING_TOPICS
from alpr.governance.users import UserSummary, list_training, list_users, record_training
from alpr.ui.context import runtime
from alpr.ui.counts import counted
from alpr.ui.dates import cell_date
from alpr.ui.forms import KeptForm
from alpr.ui.guard import require_page
from alpr.ui.messages import show_refusal
from alpr.ui.notices import boxed, show_pending

principal = require_page((Permission.MANAGE_TRAINING, Permission.RECORD_TRAINING))
rt = runtime()
st.title("Training records")
st.caption(
    "No access to ALPR data without department-approved training within the last year. "
    "Training is recorded by the ALPR Administrator or a designated trainer, never by "
    "the trainee."
)

form = KeptForm("training")
show_pending()
members = list_users(rt, actor=principal) if principal.can(Permission.MANAGE_USERS) else []
# Members by name (and username): a trainer records a person, not an account code.
names = {u.username: f"{u.full_name} ({u.username})" for u in members}


def _standing(members: list[UserSummary]) -> None:
    """Who may not use ALPR data for want of training, and why, or else when the first
    member's training lapses: the Administrator sees whom to train before reading records."""
    active = [u for u in members if not u.disabled]
    without = [u for u in active if not u.training_current]
    if without:
        why = "; ".join(
            f"{u.full_name} ("
            + (
                "none on record"
                if u.training_lapses_on is None
                else f"lapsed on {cell_date(u.training_lapses_on)}"
            )
            + ")"
            for u in without
        )
        boxed(
            "warning",
            f"**{counted(len(without), 'member')} without current training, so without "
            f"access to ALPR data:** {why}. Record their course below.",
        )
    elif active:
        lapses, name = min((u.training_lapses_on or date.max, u.full_name) for u in active)
        boxed(
            "success",
            f"**Every member's training is current.** The first to lapse is {name}'s, on "
            f"{cell_date(lapses)}.",
        )


_standing(members)
with st.form(form.name):
    username = (
        st.selectbox("Member", list(names), format_func=names.__getitem__, key=form.key("member"))
        if names
        else st.text_input("Username", key=form.key("username"))
    )
    course = st.text_input(
        "Course", value="ALPR operator course (department-approved)", key=form.key("course")
    )
    completed = st.date_input("Completed on", key=form.key("completed"))
    topics = st.multiselect(
        "Topics covered", TRAINING_TOPICS, default=list(TRAINING_TOPICS), key=form.key("topics")
    )
    if st.form_submit_button("Record training", type="primary"):
        try:
            record_training(
                rt,
                actor=principal,
                username=str(username),
                course=course,
                completed_on=completed,
                topics=topics,
            )
        except (Refusal, InvalidInput) as exc:
            show_refusal(exc)
        else:
            form.done(f"Training recorded for {username}.")

records = list_training(rt, actor=principal)
st.subheader("Training on record", anchor=False)
if not records:
    st.info(
        "No training is recorded yet. Record each member's course above: until then they have "
        "no access to ALPR data."
    )
    st.stop()
# A table that wraps: at 1024 pixels who recorded the training ran off the page's edge.
st.table(
    [
        {
            "Member": names.get(t.username, t.username),
            "Course": t.course,
            "Completed": cell_date(t.completed_on),
            "Topics": "All five"
            if set(t.topics) >= set(TRAINING_TOPICS)
            else "; ".join(t.topics) or "None recorded",
            "Recorded by": names.get(t.recorded_by, t.recorded_by)
            if t.recorded_by
            else "server command line",
        }
        for t in records
    ],
    hide_index=True,
)
