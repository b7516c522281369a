import streamlit as st

from alpr.governance.oversight.transparency import policy_statement
from alpr.ui.context import runtime
from alpr.ui.counts import counted, days_spoken
from alpr.ui.session import current_principal

statement = policy_statement(runtime())
st.title(f"{statement.agency}: automated license plate readers")
st.caption(
    "Usage and privacy policy (Civil Code 1798.90.51), published for the public."
    + ("" if current_principal(touch=False) else " Department staff: [sign in](/).")
)

st.header("Cameras and the last 30 days")
f = statement.figures
c1, c2, c3, c4 = st.columns(4)
c1.metric(
    "Cameras deployed",
    f.cameras_deployed,
    help="Fixed cameras and readers in patrol cars that the department has in use today.",
)
c2.metric("Plates read", f.reads, help="Reads of a plate by any camera in the last 30 days.")
c3.metric(
    "Hot-list hits",
    f.hits,
    help="Reads that matched a hot list in the last 30 days.",
)
c4.metric("Audits completed", f.audits_completed, help="Audits signed off in the last 30 days.")
st.markdown(
    f"**Cameras deployed** counts the department's license plate reader cameras in use today: "
    f"{counted(f.fixed_cameras, 'fixed camera')} and "
    f"{counted(f.patrol_car_readers, 'reader')} in patrol cars. "
    f"{counted(f.cameras_that_read, 'camera')} read plates in the last 30 days."
)
st.markdown("**Searches by authorized purpose**")
st.table(
    [{"Purpose": k, "Searches": v} for k, v in f.searches_by_purpose.items()]
    or [{"Purpose": "none", "Searches": "0"}]
)
st.markdown(f"**Agencies data was shared with:** {f.agencies_shared_with}")
st.caption(
    "Small numbers are shown as ranges so that no individual can be identified. No plate, "
    "image or location of a single read is ever published."
)

st.header("What the system may be used for")
st.markdown(
    "Official law enforcement business only. Every search states one of these purposes "
    "and a case, call or warrant number:\n" + "\n".join(f"- {p}" for p in statement.purposes)
)

st.header("Who may use it")
st.table(
    [
        {"Role": r.name, "Job titles": r.job_titles, "What for": r.description}
        for r in statement.roles
    ]
)
st.markdown(
    "Every user is a named member of the department whose account a second person "
    "activated (save the system's first accounts, which its first administrator set up "
    "before anyone else could, as the access log records), signs in individually with a "
    "second factor and must have completed "
    f"department-approved training within the last {statement.training_validity_days} "
    "days, covering: " + "; ".join(statement.training_topics) + "."
)

st.header("Who is responsible")
st.markdown(
    f"- ALPR Administrator — {statement.administrator}\n- Current designee — "
    f"{statement.designee}\n- Custodian of records: the department; public records "
    f"requests go to the {statement.records_manager}."
)

st.header("How use is monitored")
st.markdown(
    "Every access to ALPR data is recorded with the date and time, the plate or other "
    "data used to search, the user and agency, and the purpose and case number. The "
    "record cannot be edited: each entry is chained to the one before by a cryptographic "
    "hash, verified regularly. Sergeants review flagged searches (repeated look-ups of one "
    "plate, off-shift searches, unusual volume, vague reasons), review every search made "
    "as a life-safety emergency after the fact, and audits drawn from a written audit plan "
    "are signed off by command. Refused attempts and every administrative action (accounts, "
    "training, policy changes) are recorded too."
)

st.header("Sharing")
out_of_state = (
    "It is not shared outside California unless an exigent circumstance or a court order "
    "requires it, never with federal agencies for immigration purposes"
    if statement.out_of_state_exception
    else "It is never shared with out-of-state or federal agencies"
)
st.markdown(
    "Data is shared only with California state and local public agencies, only as the "
    f"law permits, and only after a commander approves a written request. {out_of_state}, "
    "and never for immigration enforcement (SB 54). The public and the media may receive "
    "counts only, never plate numbers or images."
)

st.header("Retention")
st.table([{"Data": k, "Kept for": days_spoken(v)} for k, v in statement.retention.items()])
st.markdown(
    "Data that is or may become evidence is kept under a legal hold until the case "
    "ends. Everything else is deleted automatically when its period ends."
)

st.header("Accuracy and corrections")
st.markdown(
    "An alert is never the sole basis for a stop: officers compare the plate in the image "
    "with the hot-list record and confirm it through CLETS/NCIC first. A misread can be "
    "marked and corrected by an investigator; the original read is kept and the "
    "correction is recorded."
)
