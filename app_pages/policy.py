from datetime import datetime
from typing import Any

import streamlit as st

from alpr.case_formats import described
from alpr.governance.actors import SYSTEM
from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.permissions import Permission
from alpr.governance.policy import (
    policy_entries,
    policy_history,
    policy_set_aside,
    set_policy,
)
from alpr.governance.profiles import apply_profile, profiles
from alpr.policy import POLICY_SECTIONS
from alpr.ui.context import runtime
from alpr.ui.dates import cell_day
from alpr.ui.forms import KeptForm
from alpr.ui.guard import require_page
from alpr.ui.messages import show_refusal
from alpr.ui.notices import finish, show_pending

principal = require_page(Permission.MANAGE_POLICY)
rt = runtime()
tz = rt.settings.tz


def shown(value: Any, key: str = "") -> str:
    if key == "case_number_patterns":
        words = described(value)
        return words[:1].upper() + words[1:]
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return "  ·  ".join(str(v) for v in value) or "None"
    return f"{value:g}" if isinstance(value, float) else str(value)


def by(name: str) -> str:
    return "The system's set-up" if name == SYSTEM else name


def since(at: datetime | None) -> str:
    return cell_day(at, tz) if at else "—"


st.title("Agency policy")
st.caption(
    "The values the law and the department's written ALPR policy decide. Each change is "
    "recorded with its legal basis, who made it and when, and is in the access log; a value "
    "looser than the law allows is refused, naming the rule."
)
show_pending()

entries = {e.key: e for e in policy_entries(rt)}
for key, why in policy_set_aside(rt).items():
    st.error(
        f"**{entries[key].title}**: the recorded value is not in force, as this release refuses "
        f"it ({why}); the shipped default stands in until a value the rules accept is recorded.",
        icon=":material/rule:",
    )
in_force, change, from_profile, history = st.tabs(
    ["In force", "Change a value", "Department profiles", "History"]
)

with in_force:
    # A table that wraps: every setting, value and basis is read in full, as in the
    # department's written policy.
    for title, keys in POLICY_SECTIONS:
        st.subheader(title)
        st.table(
            [
                {
                    "Setting": entries[k].title,
                    "Value": shown(entries[k].value, k),
                    "Allowed": entries[k].allowed or "—",
                    "Basis": entries[k].legal_basis or "Shipped default (strictest reading)",
                    "Since": since(entries[k].changed_at),
                }
                for k in keys
            ]
        )

with change:
    key = st.selectbox(
        "Setting",
        list(entries),
        format_func=lambda k: f"{entries[k].title} (now {shown(entries[k].value, k)})",
    )
    entry = entries[key]
    if entry.rule:
        st.caption(f"Allowed: {entry.allowed} — {entry.rule}.")
    form = KeptForm("policy_change")
    with st.form(form.name):
        value: Any
        if isinstance(entry.value, bool):
            value = st.radio("New value", [True, False], format_func=shown, horizontal=True)
        elif isinstance(entry.value, int):
            value = st.number_input("New value", value=entry.value, step=1)
        elif isinstance(entry.value, float):
            value = st.number_input("New value", value=entry.value, step=0.5)
        elif isinstance(entry.value, list):
            lines = st.text_area("New value (one per line)", value="\n".join(entry.value))
            value = [line.strip() for line in lines.splitlines() if line.strip()]
            if key == "case_number_patterns":
                st.caption(
                    "Each line is a format written as a regular expression (^ and $ around "
                    f"it, \\d for a digit); in force now: {described(entry.value)}."
                )
        else:
            value = st.text_input("New value", value=entry.value)
        basis = st.text_input(
            "Legal basis",
            placeholder="Policy section, statute or directive that decides it",
            key=form.key("basis"),
        )
        if st.form_submit_button("Record the change", type="primary"):
            try:
                set_policy(rt, actor=principal, key=key, value=value, legal_basis=basis)
            except (Refusal, InvalidInput) as exc:
                show_refusal(exc)
            else:
                form.done(f"{entry.title}: {shown(entry.value)} → {shown(value)}, recorded.")

with from_profile:
    st.markdown(
        "Each profile holds what one department's written ALPR policy states, with the "
        "section that states it; where that policy is silent, the shipped default (the "
        "strictest reading) applies. The names of the Administrator and the designee stay "
        "as recorded."
    )
    shipped = {p.name: p for p in profiles()}
    name = st.selectbox(
        "Department policy", list(shipped), format_func=lambda n: shipped[n].department
    )
    chosen = shipped[name]
    st.caption(chosen.document)
    differs = [v for v in chosen.values if v.value != entries[v.key].value]
    # Tables that wrap, as the in-force one: a value, its source and a change's basis are
    # read whole (in a grid they were cut at a few words).
    st.table(
        [
            {
                "Setting": v.title,
                "Value": shown(v.value, v.key),
                "In force now": shown(entries[v.key].value, v.key),
                "Source": v.citation,
            }
            for v in sorted(chosen.values, key=lambda v: not v.stated)
        ],
        hide_index=True,
    )
    with st.form("apply_profile"):
        confirmed = st.checkbox(
            f"Replace {len(differs)} value{'s' if len(differs) != 1 else ''} in force with "
            f"the {chosen.department} profile"
        )
        if st.form_submit_button("Apply the profile", type="primary", disabled=not differs):
            if not confirmed:
                st.error("Tick the box to confirm which values change.")
            else:
                try:
                    changed = apply_profile(rt, actor=principal, name=name)
                    finish(
                        "success",
                        f"{chosen.department} profile applied: {len(changed)} values changed.",
                    )
                except (Refusal, InvalidInput) as exc:
                    show_refusal(exc)

with history:
    changes = policy_history(rt, actor=principal)
    if not changes:
        st.info("No change recorded yet: the shipped defaults are in force.")
    else:
        st.table(
            [
                {
                    "When": f"{cell_day(c.at, tz)} {c.at.astimezone(tz):%H:%M}",
                    "Setting": entries[c.key].title if c.key in entries else c.key,
                    "From": shown(c.old_value),
                    "To": shown(c.new_value),
                    "Basis": c.legal_basis or "—",
                    "By": by(c.changed_by_name),
                }
                for c in changes
            ],
            hide_index=True,
        )
