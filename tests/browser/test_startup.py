"""Right after start-up: home's kernel starts alone, a page asked meanwhile gets a preheated kernel of its own
at once (``econn.server.startup``) — not an extra cold kernel behind seven starting ones — and the other
pools wait until that page's browser has connected. Time figures of a just-started server: ``benchmarks/page_speed.py --just-started 5``."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from .conftest import new_context, require_chromium, start_voila, stop_process_group, watched_page
from .test_all_pages import READY

TURN = re.compile(r"Kernel pool of (\S+): its turn to start")


@pytest.fixture(scope="module", autouse=True)
def fresh_workspace() -> None:
    """Each test starts its own server: the session server is not needed."""


def _log(server) -> str:  # type: ignore[no-untyped-def]
    return server.log.read_text(encoding="utf-8", errors="replace")


@pytest.mark.parametrize("first", ["00_accueil.ipynb", "01_reception.ipynb"])
def test_first_page_after_start_up_gets_a_preheated_kernel(first: str, browser: object, tmp_path: Path,
                                                           demo_template: Path) -> None:
    require_chromium()
    ws = tmp_path / "demo"
    shutil.copytree(demo_template, ws)
    server = start_voila(ws, wait_for_pools=False)       # the page is asked as soon as the server answers
    context = new_context(browser)
    try:
        pg, problems = watched_page(context, server.url)
        pg.goto(server.render_url(first), wait_until="commit", timeout=120_000)
        pg.wait_for_selector(READY[first], state="visible", timeout=120_000)
        problems.assert_clean()
        log = _log(server)
        assert re.search(rf"Using pre-heated kernel: \S+ for {re.escape(first)}", log), log[-3000:]
        # The pools' turns go home's first, whichever page was asked.
        turns = TURN.findall(log)
        assert turns and Path(turns[0]).name == "00_accueil.ipynb", turns
        if first != "00_accueil.ipynb":
            assert f"Kernel pool of {first}: started ahead of the queue" in log, log[-3000:]
        # No other pool started before the page's browser had connected to its kernel.
        kernel = re.search(rf"Using pre-heated kernel: (\S+) for {re.escape(first)}", log).group(1)
        connected = log.index(f"Connecting to kernel {kernel}")
        others = [m.start() for m in TURN.finditer(log)
                  if Path(m.group(1)).name not in ("00_accueil.ipynb", first)]
        assert all(at > connected for at in others), log[-3000:]
    finally:
        context.close()  # type: ignore[attr-defined]
        stop_process_group(server.proc)
