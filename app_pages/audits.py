from datetime import timedelta

import streamlit as st

from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.oversight.audits import (
    audit_status,
    draw_audit,
    mark_sample,
    record_plan,
    sign_off,
)
from alpr.governance.permissions import Permission
from alpr.ui.context import runtime
from alpr.ui.guard import require_signed_in
from alpr.ui.messages import show_refusal

principal = require_signed_in()
rt = runtime()
st.title("Audits")
st.caption(
    "A written plan, a sample per period (random plus every flagged search), a verdict on "
    "each sampled record, and a sign-off after which nothing changes (R23)."
)
try:
    audits = audit_status(rt, principal=principal)
except (Refusal, InvalidInput) as exc:
    show_refusal(exc)
    st.stop()

if principal.can(Permission.PLAN_AUDITS):
    with st.form("plan"):
        st.subheader("Audit plan")
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
                    auditor=auditor,
                    approver=approver,
                )
                st.success("Plan recorded.")
            except (Refusal, InvalidInput) as exc:
                show_refusal(exc)

if principal.can(Permission.REVIEW_ACCESS_LOG):
    with st.form("draw"):
        st.subheader("Draw an audit")
        today = rt.now().date()
        c1, c2 = st.columns(2)
        start = c1.date_input("Period from", value=today - timedelta(days=30))
        end = c2.date_input("Period to", value=today)
        if st.form_submit_button("Draw sample"):
            try:
                audit_id = draw_audit(rt, principal=principal, period_start=start, period_end=end)
                st.success(f"Audit {audit_id} drawn.")
            except (Refusal, InvalidInput) as exc:
                show_refusal(exc)

st.dataframe(
    [
        {
            "Audit": a.id,
            "Period": f"{a.period_start} - {a.period_end}",
            "Sampled": a.samples,
            "Flagged": a.flagged,
            "Marked": a.marked,
            "Signed off": a.signed_off,
            "Overdue": a.overdue,
        }
        for a in audits
    ],
    hide_index=True,
    width="stretch",
)

if principal.can(Permission.REVIEW_ACCESS_LOG):
    with st.form("mark"):
        st.subheader("Mark a sampled record")
        c1, c2 = st.columns(2)
        sample = c1.number_input("Sample id", 1, step=1)
        verdict = c2.radio("Verdict", ["appropriate", "inappropriate"], horizontal=True)
        note = st.text_input("Note")
        if st.form_submit_button("Record verdict"):
            try:
                mark_sample(
                    rt,
                    principal=principal,
                    sample_id=int(sample),
                    appropriate=verdict == "appropriate",
                    note=note,
                )
                st.success("Verdict recorded.")
            except (Refusal, InvalidInput) as exc:
                show_refusal(exc)

if principal.can(Permission.SIGN_OFF_AUDITS):
    with st.form("sign"):
        st.subheader("Sign off an audit")
        audit_id = st.number_input("Audit id", 1, step=1)
        summary = st.text_area("Findings")
        if st.form_submit_button("Sign off"):
            try:
                sign_off(rt, principal=principal, audit_id=int(audit_id), summary=summary)
                st.success("Signed off; the audit can no longer change.")
            except (Refusal, InvalidInput) as exc:
                show_refusal(exc)
