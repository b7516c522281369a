import streamlit as st

from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.oversight.exigent import exigent_queue, review_exigent
from alpr.governance.permissions import Permission
from alpr.ui.context import runtime
from alpr.ui.counts import counted
from alpr.ui.guard import require_page
from alpr.ui.messages import show_refusal
from alpr.ui.notices import finish, show_pending

JUSTIFIED = "Justified by a life-safety emergency"

principal = require_page(Permission.REVIEW_EXIGENT)
rt = runtime()
tz = rt.settings.tz
st.title("Exigent searches to review")
st.caption(
    "A search run as exigent (a life-safety emergency) is reviewed afterwards by a supervisor "
    "other than the person who ran it: was the emergency real, and did it justify the "
    "search? Each finding is kept and is in the access log."
)
show_pending()

waiting = exigent_queue(rt, principal=principal)
if not waiting:
    st.info("No exigent search is waiting for review.", icon=":material/task_alt:")
    st.stop()
st.markdown(f"**{counted(len(waiting), 'search')} waiting**, oldest first.")
for item in waiting:
    when = item.at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    with st.expander(f"{when} · {item.searched_by} · {item.purpose}", expanded=True):
        st.markdown(
            f"**Emergency stated:** {item.emergency}  \n"
            f"**Searched:** {item.searched}  \n"
            f"**Reads returned:** {item.results:,} · **Case:** {item.case_number or 'none given'}"
        )
        with st.form(f"exigent_{item.search_id}"):
            finding = st.radio(
                "Finding",
                [JUSTIFIED, "Not justified"],
                index=None,  # the reviewer decides; nothing is found before they do
                horizontal=True,
                key=f"exigent_finding_{item.search_id}",
            )
            note = st.text_area(
                "What the review found", placeholder="Who was in danger, what was checked"
            )
            if st.form_submit_button("Record the review", type="primary"):
                try:
                    if finding is None:
                        raise InvalidInput("choose the finding: justified or not justified")
                    review_exigent(
                        rt,
                        principal=principal,
                        search_id=item.search_id,
                        justified=finding == JUSTIFIED,
                        note=note,
                    )
                    finish(
                        "success",
                        f"Review of the search by {item.searched_by} on {when} recorded.",
                    )
                except (Refusal, InvalidInput) as exc:
                    show_refusal(exc)
