from datetime import timedelta

import streamlit as st

from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.oversight.audits import (
    audit_status,
    draw_audit,
    plan_needed,
    record_plan,
)
from alpr.governance.permissions import Permission
from alpr.ui.audit_sheet import audit_state, show_audit
from alpr.ui.context import runtime
from alpr.ui.dates import cell_date
from alpr.ui.guard import require_signed_in
from alpr.ui.messages import show_refusal
from alpr.ui.notices import finish, show_pending

principal = require_signed_in()
rt = runtime()
st.title("Audits")
st.caption(
    "A written plan, a sample per period (random plus every flagged search), a verdict on "
    "each sampled record, and a sign-off after which nothing changes."
)
show_pending()
try:
    missing_plan = plan_needed(rt, principal=principal)
    audits = audit_status(rt, principal=principal)
except (Refusal, InvalidInput) as exc:
    show_refusal(exc)
    st.stop()

if missing_plan:
    st.warning(
        f"No audit plan is recorded yet, so no audit can be drawn. The plan is recorded on this "
        f"page by an {missing_plan}.",
        icon=":material/assignment_late:",
    )


def audits_on_file() -> None:
    """The audits drawn, and the one opened: the work that waits (verdicts, a sign-off) comes
    before drawing another audit or changing the plan."""
    st.subheader("Audits drawn", anchor=False)
    st.dataframe(
        [
            {
                "Audit": a.id,
                "Period": f"{cell_date(a.period_start)} to {cell_date(a.period_end)}",
                "Sampled": a.samples,
                "Flagged": a.flagged,
                "Marked": f"{a.marked} of {a.samples}",
                "State": audit_state(a),
            }
            for a in audits
        ],
        hide_index=True,
        width="stretch",
    )
    ids = [a.id for a in audits]
    wanted = st.session_state.get("open_audit")
    chosen = st.selectbox(
        "Open audit",
        ids,
        index=ids.index(wanted) if wanted in ids else 0,
        format_func=lambda i: next(
            f"Audit {a.id}: {a.period_start} to {a.period_end} ({a.marked} of {a.samples} marked)"
            for a in audits
            if a.id == i
        ),
    )
    if principal.can(Permission.REVIEW_ACCESS_LOG) or principal.can(Permission.SIGN_OFF_AUDITS):
        show_audit(principal, int(chosen))


if audits:
    audits_on_file()
elif not missing_plan:
    st.info(
        "No audit has been drawn yet. A sergeant draws the period's sample below: every flagged "
        "search of the period and a random few of the others."
        if principal.can(Permission.REVIEW_ACCESS_LOG)
        else "No audit has been drawn yet: a sergeant draws each period's sample."
    )

if principal.can(Permission.REVIEW_ACCESS_LOG) and not missing_plan:
    with (
        st.expander("Draw an audit", expanded=not audits, icon=":material/casino:"),
        st.form("draw"),
    ):
        today = rt.now().astimezone(rt.settings.tz).date()
        c1, c2 = st.columns(2)
        start = c1.date_input("Period from", value=today - timedelta(days=30))
        end = c2.date_input("Period to", value=today)
        if st.form_submit_button("Draw sample"):
            try:
                audit_id = draw_audit(rt, principal=principal, period_start=start, period_end=end)
                st.session_state["open_audit"] = audit_id
                finish("success", f"Audit {audit_id} drawn: its sample is listed below.")
            except (Refusal, InvalidInput) as exc:
                show_refusal(exc)

if principal.can(Permission.PLAN_AUDITS):
    with (
        st.expander("Audit plan", expanded=bool(missing_plan), icon=":material/assignment:"),
        st.form("plan"),
    ):
        c1, c2, c3, c4 = st.columns(4)
        frequency = c1.number_input("Every (days)", 1, 366, 30)
        size = c2.number_input("Random sample", 1, 1000, 20)
        auditor = c3.text_input("Auditor (username)")
        approver = c4.text_input("Approver (username)")
        if st.form_submit_button("Record plan"):
            try:
                record_plan(
                    rt,
                    principal=principal,
                    frequency_days=int(frequency),
                    sample_size=int(size),
                    auditor=auditor.strip().lower(),
                    approver=approver.strip().lower(),
                )
                finish("success", "Audit plan recorded.")
            except (Refusal, InvalidInput) as exc:
                show_refusal(exc)
