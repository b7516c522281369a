"""Every page of the dashboard with the permission it needs: the navigation of a session is
built from this list, so a role only ever sees the pages it may use."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

import streamlit as st

from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.releases.registry import READ as REGISTER_READERS

SECTIONS = ("Home", "Investigate", "Alerts", "Records", "Oversight", "Administration")


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    url_path: str
    section: str
    permission: Permission | tuple[Permission, ...] | None  # None: every signed-in user
    summary: str = ""  # what the page is for, in a line, under its link on Home

    def allowed(self, principal: Principal) -> bool:
        return self.allowed_by(principal.can)

    def allowed_by(self, can: Callable[[Permission], bool]) -> bool:
        """Whether a holder of the permissions ``can`` answers yes to may open this page."""
        if self.permission is None:
            return True
        wanted = self.permission if isinstance(self.permission, tuple) else (self.permission,)
        return any(can(p) for p in wanted)


TRANSPARENCY = PageSpec(
    "app_pages/transparency.py",
    "Public ALPR policy",
    ":material/public:",
    "transparency",
    "Home",
    None,
    summary="The usage and privacy policy the public reads (Civil Code 1798.90.51).",
)

PAGES: tuple[PageSpec, ...] = (
    PageSpec("app_pages/home.py", "Home", ":material/home:", "home", "Home", None),
    PageSpec(
        "app_pages/roles.py",
        "Roles and access",
        ":material/badge:",
        "roles",
        "Home",
        None,
        summary="The job titles allowed to use the system, and what each may do.",
    ),
    TRANSPARENCY,
    PageSpec(
        "app_pages/canvass.py",
        "Canvass",
        ":material/radar:",
        "canvass",
        "Investigate",
        Permission.SEARCH_READS,
        summary="The vehicles read near a scene in a time window.",
    ),
    PageSpec(
        "app_pages/plate_search.py",
        "Plate search",
        ":material/search:",
        "plate_search",
        "Investigate",
        Permission.SEARCH_READS,
        summary="Where and when a plate, whole or partial, was read.",
    ),
    PageSpec(
        "app_pages/plate_history.py",
        "Plate history",
        ":material/history:",
        "plate_history",
        "Investigate",
        Permission.SEARCH_READS,
        summary="One plate's reads in time order, on a map.",
    ),
    PageSpec(
        "app_pages/common_plates.py",
        "Common plates & convoys",
        ":material/join:",
        "common_plates",
        "Investigate",
        Permission.SEARCH_READS,
        summary="Plates seen near several scenes, and vehicles travelling together.",
    ),
    PageSpec(
        "app_pages/alerts.py",
        "Alerts",
        ":material/notifications_active:",
        "alerts",
        "Alerts",
        Permission.VIEW_ALERTS,
        summary="Hot-list hits to compare with the image and confirm before any stop.",
    ),
    PageSpec(
        "app_pages/hotlists.py",
        "Hot lists",
        ":material/list_alt:",
        "hotlists",
        "Alerts",
        Permission.VIEW_HOTLISTS,
        summary="The lists that raise alerts, and the entries made by hand.",
    ),
    PageSpec(
        "app_pages/cameras.py",
        "Cameras",
        ":material/videocam:",
        "cameras",
        "Home",
        Permission.VIEW_CAMERAS,
        summary="Where each camera is, and whether it is reading now.",
    ),
    PageSpec(
        "app_pages/releases.py",
        "Requests for data",
        ":material/outbox:",
        "releases",
        "Records",
        (Permission.FILE_RELEASES, Permission.APPROVE_RELEASES),
        summary="Other agencies' and the public's requests for data, filed and decided.",
    ),
    PageSpec(
        "app_pages/agencies.py",
        "Agencies and agreements",
        ":material/handshake:",
        "agencies",
        "Records",
        REGISTER_READERS,
        summary="The agencies the department shares with, and the agreements that govern it.",
    ),
    PageSpec(
        "app_pages/retention.py",
        "Retention and holds",
        ":material/inventory_2:",
        "retention",
        "Administration",
        (Permission.MANAGE_RETENTION, Permission.RELEASE_HOLDS, Permission.PLACE_HOLDS),
        summary="How long reads are kept, and the holds that keep them for a case.",
    ),
    PageSpec(
        "app_pages/access_review.py",
        "Access log review",
        ":material/policy:",
        "audit_log",
        "Oversight",
        Permission.REVIEW_ACCESS_LOG,
        summary="Who looked at what, when and why; the misuse flags to decide.",
    ),
    PageSpec(
        "app_pages/exigent_review.py",
        "Exigent searches",
        ":material/emergency:",
        "exigent",
        "Oversight",
        Permission.REVIEW_EXIGENT,
        summary="Emergency searches, each reviewed after the fact by a supervisor.",
    ),
    PageSpec(
        "app_pages/audits.py",
        "Audits",
        ":material/fact_check:",
        "audits",
        "Oversight",
        (Permission.REVIEW_ACCESS_LOG, Permission.SIGN_OFF_AUDITS, Permission.PLAN_AUDITS),
        summary="Audits of sampled searches: the plan, the verdicts and the sign-off.",
    ),
    PageSpec(
        "app_pages/usage_statistics.py",
        "Statistics",
        ":material/monitoring:",
        "statistics",
        "Oversight",
        Permission.VIEW_STATISTICS,
        summary="How the system is used, in counts, for reports.",
    ),
    PageSpec(
        "app_pages/users.py",
        "Users",
        ":material/group:",
        "users",
        "Administration",
        (Permission.MANAGE_USERS, Permission.ACTIVATE_ACCOUNTS),
        summary="Accounts, their roles, and the ones awaiting activation.",
    ),
    PageSpec(
        "app_pages/training.py",
        "Training records",
        ":material/school:",
        "training",
        "Administration",
        (Permission.MANAGE_TRAINING, Permission.RECORD_TRAINING),
        summary="Who is trained to use ALPR data, and until when.",
    ),
    PageSpec(
        "app_pages/policy.py",
        "Agency policy",
        ":material/gavel:",
        "policy",
        "Administration",
        Permission.MANAGE_POLICY,
        summary="The values the law and the written policy set, and each change's basis.",
    ),
)

SIGN_IN = PageSpec("app_pages/sign_in.py", "Sign in", ":material/login:", "sign_in", "", None)
PUBLIC_PAGES: tuple[PageSpec, ...] = (TRANSPARENCY,)


def pages_for(principal: Principal) -> list[PageSpec]:
    return [p for p in PAGES if p.allowed(principal)]


def your_pages(principal: Principal) -> None:
    """The pages a person may open besides Home, each link with a line on what it is for: the
    sidebar lists the same links by name alone."""
    with st.container(key="your_pages"):
        st.html(
            "<style>.st-key-your_pages [data-testid='stCaptionContainer'] {margin-top: -0.9rem;"
            " padding-left: 2.1rem;}</style>"
        )
        for spec in pages_for(principal):
            if spec.path != "app_pages/home.py":
                st.page_link(spec.path, label=spec.title, icon=spec.icon)
                st.caption(spec.summary)


def page_titles_granted(permissions: Collection[str]) -> list[str]:
    """The titles of the pages that need a permission and that ``permissions`` open: what a
    role may do, in the words of the navigation rather than as permission codes."""
    return [
        p.title
        for p in PAGES
        if p.permission is not None and p.allowed_by(lambda wanted: wanted in permissions)
    ]
