"""One audit as its auditor and its signatory see it: every sampled record with its details and
a verdict control, the progress, and the sign-off once every record is marked."""

from __future__ import annotations

import streamlit as st

from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.oversight.audits import (
    AuditDetail,
    AuditView,
    SampledRecord,
    audit_detail,
    mark_sample,
    sign_off,
)
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.ui.context import runtime
from alpr.ui.counts import counted
from alpr.ui.dates import cell_date
from alpr.ui.messages import show_refusal
from alpr.ui.notices import finish

VERDICTS = ("Appropriate", "Inappropriate")


def audit_state(audit: AuditView) -> str:
    """Where an audit stands, with the day its sign-off is due: "Open, due 2027-01-06"."""
    if audit.signed_off:
        return "Signed off"
    if audit.overdue:
        return f"Overdue: was due {cell_date(audit.due)}"
    return f"Open, due {cell_date(audit.due)}"


def _describe(sample: SampledRecord) -> str:
    tz = runtime().settings.tz
    facts = [
        f"**{sample.at.astimezone(tz):%Y-%m-%d %H:%M}** · **{sample.full_name}**"
        + (f" ({sample.username})" if sample.username != sample.full_name else "")
        + f" · {sample.what}",
        f"Purpose: {sample.purpose or 'none stated'}"
        + (" (exigent)" if sample.exigent else "")
        + f" · Case or reason: {sample.reason or 'none'}",
    ]
    if sample.searched_for:
        facts.append(f"Searched for: {sample.searched_for}")
    facts.append(
        f"Returned {counted(sample.results, 'read')}"
        + (f" · Plates: {sample.plates}" if sample.plates else "")
    )
    return "  \n".join(facts)


def _verdict(sample: SampledRecord) -> str | None:
    return sample.verdict.value.capitalize() if sample.verdict else None


def _verdict_form(principal: Principal, detail: AuditDetail) -> None:
    chosen: dict[int, tuple[str | None, str]] = {}
    with st.form(f"verdicts_{detail.audit.id}"):
        for sample in detail.samples:
            with st.container(border=True, key=f"sample_{sample.sample_id}"):
                facts, verdict = st.columns([3, 2])
                facts.markdown(_describe(sample))
                facts.caption(f"Drawn: {sample.drawn_because}")
                current = _verdict(sample)
                picked = verdict.radio(
                    "Verdict",
                    VERDICTS,
                    index=VERDICTS.index(current) if current else None,
                    horizontal=True,
                    key=f"verdict_{sample.sample_id}",
                )
                note = verdict.text_input(
                    "Note",
                    value=sample.note,
                    placeholder="Needed when inappropriate",
                    key=f"note_{sample.sample_id}",
                )
                chosen[sample.sample_id] = (picked, note)
        saved = st.form_submit_button("Save verdicts", type="primary")
    if not saved:
        return
    recorded = 0
    for sample in detail.samples:
        picked, note = chosen[sample.sample_id]
        if picked is None or (picked == _verdict(sample) and note.strip() == sample.note):
            continue
        try:
            mark_sample(
                runtime(),
                principal=principal,
                sample_id=sample.sample_id,
                appropriate=picked == "Appropriate",
                note=note,
            )
            recorded += 1
        except (Refusal, InvalidInput) as exc:
            at = sample.at.astimezone(runtime().settings.tz)
            st.markdown(f"Record of {sample.full_name} at {at:%Y-%m-%d %H:%M}:")
            show_refusal(exc)
            return
    finish("success", f"{counted(recorded, 'verdict')} recorded.")


def _read_only(detail: AuditDetail) -> None:
    for sample in detail.samples:
        with st.container(border=True, key=f"sample_{sample.sample_id}"):
            facts, verdict = st.columns([3, 2])
            facts.markdown(_describe(sample))
            facts.caption(f"Drawn: {sample.drawn_because}")
            if sample.verdict is None:
                verdict.markdown(":orange-badge[Not marked yet]")
            else:
                colour = "green" if _verdict(sample) == VERDICTS[0] else "red"
                verdict.markdown(f":{colour}-badge[{_verdict(sample)}]")
                verdict.caption(
                    f"{sample.marked_by}: {sample.note}" if sample.note else sample.marked_by
                )


def _sign_off(principal: Principal, detail: AuditDetail) -> None:
    audit = detail.audit
    left = audit.samples - audit.marked
    if left:
        st.info(
            f"{counted(left, 'sampled record')} not marked yet: the audit can be signed off "
            "once every sampled record has a verdict."
        )
        return
    with st.form(f"sign_{audit.id}"):
        st.subheader("Sign off")
        summary = st.text_area("Findings", placeholder="What the audit found, and what follows")
        if st.form_submit_button("Sign off", type="primary"):
            try:
                sign_off(runtime(), principal=principal, audit_id=audit.id, summary=summary)
            except (Refusal, InvalidInput) as exc:
                show_refusal(exc)
                return
            finish("success", f"Audit {audit.id} signed off; it can no longer change.")


def show_audit(principal: Principal, audit_id: int) -> None:
    try:
        detail = audit_detail(runtime(), principal=principal, audit_id=audit_id)
    except (Refusal, InvalidInput) as exc:
        show_refusal(exc)
        return
    audit = detail.audit
    st.subheader(f"Audit {audit.id}: {audit.period_start} to {audit.period_end}")
    st.caption(
        f"{audit_state(audit)} · auditor in the plan: {detail.plan_auditor or 'not named'} · "
        f"approver: {detail.plan_approver or 'not named'}"
    )
    if not detail.samples:
        st.info("Nothing was searched in this period, so nothing was sampled.")
    else:
        st.progress(
            audit.marked / audit.samples,
            text=f"{audit.marked} of {counted(audit.samples, 'sampled record')} marked "
            f"({audit.flagged} flagged, {audit.samples - audit.flagged} random)",
        )
    if audit.signed_off:
        st.success(
            f"Signed off by {detail.signed_off_by}: {detail.summary}",
            icon=":material/verified:",
        )
        _read_only(detail)
        return
    if principal.can(Permission.REVIEW_ACCESS_LOG) and detail.samples:
        _verdict_form(principal, detail)
    else:
        _read_only(detail)
    if principal.can(Permission.SIGN_OFF_AUDITS):
        _sign_off(principal, detail)
