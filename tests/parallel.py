"""How the tests share processes when run in parallel (pytest-xdist, ``scripts/test.sh``).

Each test is its own unit of work, given to whichever process is free, except two groups that
each run whole on one process: the browser tests, which share one seeded dashboard that another
process would seed again, and the worker's stream tests. Each group times real work (a person's
clicks, the frames of a live stream), which shares the cores better with the quick tests than
with itself.
"""

from __future__ import annotations

from xdist.scheduler import LoadScopeScheduling

GROUPS = {"tests/e2e/": "browser", "tests/worker/": "streams"}


class GroupedScheduling(LoadScopeScheduling):
    def _split_scope(self, nodeid: str) -> str:
        return next((name for path, name in GROUPS.items() if nodeid.startswith(path)), nodeid)
