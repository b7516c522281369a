import streamlit as st

from alpr.governance.oversight.exigent import exigent_waiting
from alpr.governance.permissions import Permission, role_definition
from alpr.governance.users import my_training
from alpr.ui.context import runtime
from alpr.ui.counts import counted
from alpr.ui.guard import require_signed_in
from alpr.ui.registry import pages_for

principal = require_signed_in()
role = role_definition(principal.role)

st.title(f"Welcome, {principal.full_name}")
st.caption(
    f"{principal.agency_name} · {role.name}" + (" · contractor" if principal.is_contractor else "")
)
st.info(my_training(runtime(), principal=principal), icon=":material/school:")
if principal.can(Permission.REVIEW_EXIGENT):
    waiting = exigent_waiting(runtime(), principal=principal)
    if waiting:
        st.warning(
            f"{counted(waiting, 'exigent search')} {'awaits' if waiting == 1 else 'await'} "
            "your review.",
            icon=":material/emergency:",
        )
        st.page_link("app_pages/exigent_review.py", label="Review exigent searches")
st.markdown(role.description)
st.subheader("Your pages")
for spec in pages_for(principal):
    if spec.path != "app_pages/home.py":
        st.page_link(spec.path, label=spec.title, icon=spec.icon)
st.caption(
    "Every search states its purpose and case and is recorded in a tamper-evident access log "
    "that supervisors review."
)
