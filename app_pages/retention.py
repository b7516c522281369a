import streamlit as st

from alpr.governance.actors import SYSTEM
from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.justification import PURPOSE_LABELS
from alpr.governance.permissions import Permission
from alpr.governance.policy import policy_in_force
from alpr.governance.retention.holds import list_holds, place_hold, release_hold
from alpr.governance.retention.purge import PurgeRunView, found_in_words, purge, recent_runs
from alpr.governance.scopes import ScopeInput
from alpr.ui.approval import approval_fields, approver_from
from alpr.ui.context import runtime
from alpr.ui.counts import counted, days_spoken
from alpr.ui.dates import cell_day
from alpr.ui.guard import require_page
from alpr.ui.messages import show_refusal
from alpr.ui.notices import boxed, finish, form_version, show_pending
from alpr.ui.places import address_finder
from alpr.ui.time_window import window_fields

BY_READS, BY_PLATE, BY_AREA = (
    "Reads by number",
    "A plate in a period",
    "The case's area in a period",
)

principal = require_page(
    (Permission.MANAGE_RETENTION, Permission.RELEASE_HOLDS, Permission.PLACE_HOLDS)
)
manages = principal.can(Permission.MANAGE_RETENTION)
rt = runtime()
tz = rt.settings.tz
policy = policy_in_force(rt)
st.title("Retention, holds and purges")
st.caption(
    f"Reads without a hit are kept {days_spoken(policy.retention_nonhit_days)}, reads with a "
    f"hit {days_spoken(policy.retention_hit_days)}, images "
    f"{days_spoken(policy.retention_image_days)}, the access log "
    f"{days_spoken(policy.retention_audit_days)}, requests for data with what was released "
    f"{days_spoken(policy.retention_release_days)}. Held data is never purged. The purge runs "
    "automatically every night."
)
show_pending()
forms = form_version("hold_forms")
if manages and st.button("Preview the next purge (nothing is deleted)"):
    preview = purge(rt, actor=principal, dry_run=True)
    found = found_in_words(preview.counts)
    boxed(
        "info",
        f"**A purge now would delete {found}.** "
        + (
            "Everything stored is within its retention period or held."
            if found == "nothing"
            else "The rest is within its retention period or held."
        ),
    )

st.subheader("Legal holds")
st.caption(
    "Reads that are, or may become, evidence or the subject of a discovery request or other "
    "lawful action are held: never purged until the hold is released."
)
holds = list_holds(rt, principal=principal)
if holds:
    st.dataframe(
        [
            {
                "Hold": h.id,
                "Case": h.case_number,
                "State": "Released" if h.released_at else "In force",
                "Reads held": h.reads,
                "Covers": h.covers,
                "Reason": h.reason,
                "Placed": f"{h.placed_at.astimezone(tz):%Y-%m-%d} by {h.placed_by}",
                "Review due": h.review_due_on.isoformat() if h.review_due_on else "",
                "Released": (
                    f"{h.released_at.astimezone(tz):%Y-%m-%d} by {h.released_by}: {h.release_note}"
                    if h.released_at
                    else ""
                ),
            }
            for h in holds
        ],
        hide_index=True,
        width="stretch",
    )
else:
    st.info("No legal holds. Place one below when reads are or may become evidence.")

releases = principal.can(Permission.RELEASE_HOLDS)
tabs = st.tabs(["Place a hold", "Release a hold"] if releases else ["Place a hold"])
with tabs[0]:
    by = st.radio("Hold", [BY_READS, BY_PLATE, BY_AREA], horizontal=True, key="hold_by")
    place = address_finder(key="hold") if by == BY_AREA else None
    centre = (place.lat, place.lon) if place else (37.6879, -122.4702)
    with st.form(f"place_hold_{forms}"):
        c1, c2 = st.columns([1, 2])
        case = c1.text_input("Case number")
        reason = c2.text_input("Why these reads are or may become evidence")
        read_ids: list[int] = []
        scope = None
        purpose = None
        approval = None
        if by == BY_READS:
            typed = st.text_input("Read numbers (comma separated)")
        else:
            purpose = st.selectbox(
                "Purpose",
                options=list(PURPOSE_LABELS),
                index=None,
                format_func=lambda p: PURPOSE_LABELS[p],
                placeholder="Choose the authorized purpose",
                help="Holding a plate or an area looks its reads up, as a search does: "
                "recorded with the purpose and the case number.",
            )
            plates = ""
            if by == BY_PLATE:
                plates = st.text_input("Plates (exact or partial, comma separated)")
            else:
                a1, a2, a3 = st.columns(3)
                at = place.name if place else ""
                lat = a1.number_input(
                    "Latitude", value=centre[0], format="%.6f", key=f"hold_lat_{at}"
                )
                lon = a2.number_input(
                    "Longitude", value=centre[1], format="%.6f", key=f"hold_lon_{at}"
                )
                radius = a3.number_input("Radius (m)", 10, 50_000, 300, step=50)
            start, end = window_fields(key="hold_period", default_end=rt.now(), default_hours=24)
            approval = approval_fields(
                key="hold", needed_for="holds over a longer period than a search may cover"
            )
        placed = st.form_submit_button("Place the hold", type="primary")
    if placed:
        try:
            if by == BY_READS:
                try:
                    read_ids = [int(t) for t in typed.replace(" ", "").split(",") if t]
                except ValueError:
                    raise InvalidInput(
                        "read numbers are whole numbers separated by commas"
                    ) from None
            elif by == BY_PLATE:
                scope = ScopeInput(
                    plates=tuple(p.strip() for p in plates.split(",") if p.strip()),
                    start=start,
                    end=end,
                )
            else:
                scope = ScopeInput(
                    start=start,
                    end=end,
                    lat=lat,
                    lon=lon,
                    radius_m=float(radius),
                    address=place.name if place and (lat, lon) == centre else None,
                )
            approver, note = approver_from(approval) if scope is not None else (None, None)
            hold_id = place_hold(
                rt,
                principal=principal,
                case_number=case,
                reason=reason,
                read_ids=read_ids or None,
                scope=scope,
                purpose=purpose.value if purpose is not None else None,
                approver=approver,
                approval_note=note,
            )
        except (Refusal, InvalidInput) as exc:
            show_refusal(exc)
        else:
            held = next(h for h in list_holds(rt, principal=principal) if h.id == hold_id)
            finish(
                "success",
                f"Hold {hold_id} placed for case {held.case_number}: "
                f"{counted(held.reads, 'read')} will not be purged.",
                forms="hold_forms",
            )

if releases:
    with tabs[1]:
        in_force = [h for h in holds if not h.released and h.placed_by_id != principal.user_id]
        if any(not h.released and h.placed_by_id == principal.user_id for h in holds):
            st.caption(
                "A hold you placed is released by someone else: a sergeant or another ALPR "
                "Administrator."
            )
        if not in_force:
            st.info("No hold in force that you may release.")
        else:
            with st.form(f"release_hold_{forms}"):
                chosen = st.selectbox(
                    "Hold",
                    in_force,
                    format_func=lambda h: (
                        f"#{h.id} · case {h.case_number} · {counted(h.reads, 'read')}"
                    ),
                )
                note = st.text_input("Why the hold ends")
                released = st.form_submit_button("Release the hold")
            if released:
                try:
                    release_hold(rt, principal=principal, hold_id=chosen.id, note=note)
                except (Refusal, InvalidInput) as exc:
                    show_refusal(exc)
                else:
                    finish(
                        "warning",
                        f"Hold {chosen.id} released: its reads follow the normal retention again.",
                        forms="hold_forms",
                    )

runs = recent_runs(rt) if manages else []
if manages:
    st.subheader("Recent purge runs")


def _kind(run: PurgeRunView) -> str:
    """A preview or a purge, and the date it was measured from when not the day it ran."""
    kind = "Preview" if run.dry_run else "Purge"
    as_of = cell_day(run.as_of, tz)
    return kind if as_of == cell_day(run.started_at, tz) else f"{kind} as of {as_of}"


if runs:
    # One sentence per run in a table that wraps: a column per category ran past the page's
    # edge at 1024 and 1280 pixels, most of it zeros.
    st.table(
        [
            {
                "When": f"{cell_day(r.started_at, tz)} {r.started_at.astimezone(tz):%H:%M}",
                "Run": _kind(r),
                "What it found": (
                    f"Would delete {found_in_words(r.counts)}"
                    if r.dry_run
                    else f"Deleted {found_in_words(r.counts)}"
                ),
                "By": "The nightly purge" if r.run_by == SYSTEM else r.run_by,
            }
            for r in runs
        ],
        hide_index=True,
    )
elif manages:
    st.info("No purge has run yet.")
