"""The public page (R52): renders without a session and shows no plate-shaped string from the
database, on the demo agency."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from alpr.data.demo import seed_demo_data
from alpr.data.models import Read
from alpr.governance.runtime import Runtime
from tests.app.conftest import ROOT


def test_public_page_without_session_has_no_plates(app_env: Runtime) -> None:
    rt = app_env
    seed_demo_data(
        rt.engine,
        image_store=rt.images,
        reads=6000,
        seed=7,
        now=datetime(2026, 11, 20, 18, tzinfo=UTC),
    )
    at = AppTest.from_file(str(ROOT / "app_pages" / "transparency.py"), default_timeout=60).run()
    assert not at.exception
    texts = [str(e.value) for e in (*at.markdown, *at.title, *at.caption, *at.header)]
    texts += [f"{m.label} {m.value}" for m in at.metric]
    texts += [t.value.to_csv() for t in at.table]
    page = "\n".join(texts)
    assert "Hot-list hits" in page and "Who is responsible" in page
    with rt.transaction() as session:
        plates = set(session.execute(select(Read.plate)).scalars())
    assert not {token for token in re.findall(r"[A-Z0-9]{4,8}", page) if token in plates}
