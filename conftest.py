"""How ``make test`` spreads the suite over its workers (pytest-xdist, ``-n WORKERS``).

Tests that share a process-wide resource run on one worker, in collection order:

- the browser tests share one Voilà server and one Chromium (session fixtures of tests/browser);
- the cells of one notebook (nbval) run in order in one kernel.

Every other test goes to whichever worker is free. The groups are made by the scheduler below rather than by
``xdist_group`` marks: those work by rewriting node ids, which pytest 9 no longer lets a plugin do.
"""

from __future__ import annotations

from typing import Any


def group_of(nodeid: str) -> str:
    """The unit of work a test belongs to: the browser tests, one notebook, or the test alone."""
    path = nodeid.split("::", 1)[0]
    if path.startswith("tests/browser/"):
        return "tests/browser"
    if path.endswith(".ipynb"):
        return path
    return nodeid


def pytest_xdist_make_scheduler(config: Any, log: Any) -> Any:
    from xdist.scheduler import LoadScopeScheduling  # noqa: PLC0415 (only when the suite runs on workers)

    class GroupScheduling(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            return group_of(nodeid)

    return GroupScheduling(config, log)
