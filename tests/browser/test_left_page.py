"""A page that is left gives its kernel back soon, not after the culler's 15 minutes.

Voilà 0.5 shuts nothing down when a tab closes or a link leads to another dashboard; econn's kernel
manager shuts a kernel down ``left_page_grace`` seconds after its last page disconnected
(``econn.server.kernels``). This module starts its own Voilà (cold kernels, a 2 s grace, the culler left at
its 15 minutes so that it cannot be what stops them), follows the home page's link to the reception page
and checks that the home page's kernel process goes while the reception page keeps its own and still
works, then closes the tab and checks that the reception page's kernel goes too.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from .conftest import (
    VoilaServer,
    choose_connector,
    load_pending_file,
    new_context,
    serve_demo_copy,
    watched_page,
)
from .test_all_pages import READY
from .test_culling import _alive, _kernel_id, _kernel_process

GRACE = 2            # seconds
GONE_WITHIN = 20.0   # seconds after the page was left (expected: ≈ 2 + the kernel's shutdown)
WAIT = 90000


@pytest.fixture(scope="module", autouse=True)
def fresh_workspace() -> None:
    """This module has its own server and workspace: the session server is not needed (nor started)."""


@pytest.fixture(scope="module")
def leaving_server(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Iterator[VoilaServer]:
    with serve_demo_copy(tmp_path_factory, demo_template, "left", "--VoilaConfiguration.preheat_kernel=False",
                         f"--HandoverKernelManager.left_page_grace={GRACE}") as server:
        yield server


def _gone_within(proc: psutil.Process, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while _alive(proc):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def test_following_a_link_then_closing_the_tab_gives_both_kernels_back(browser, leaving_server) -> None:  # type: ignore[no-untyped-def]
    context = new_context(browser)
    try:
        pg, problems = watched_page(context, leaving_server.url)
        pg.goto(leaving_server.render_url("00_accueil.ipynb"), wait_until="commit")  # type: ignore[attr-defined]
        pg.wait_for_selector(READY["00_accueil.ipynb"], state="visible", timeout=WAIT)  # type: ignore[attr-defined]
        home = _kernel_process(leaving_server, _kernel_id(pg))

        pg.locator(".econn-links a", has_text="Réception").first.click()  # type: ignore[attr-defined]
        pg.wait_for_selector(READY["01_reception.ipynb"], state="visible", timeout=WAIT)  # type: ignore[attr-defined]
        reception_id = _kernel_id(pg)
        reception = _kernel_process(leaving_server, reception_id)
        assert reception.pid != home.pid

        assert _gone_within(home, GONE_WITHIN), "the home page's kernel outlived the page"
        log = leaving_server.log.read_text(errors="replace")
        assert "shut down: its page was left" in log and "Culling 'idle'" not in log
        # The page now on screen kept its kernel, and it still works: it loads a pending file.
        assert _alive(reception)
        choose_connector(pg, "CSV")
        load_pending_file(pg, min((leaving_server.workspace / "connecteurs" / "CSV" / "import").glob("*.csv")).name)
        pg.wait_for_selector(".econn-sample table", state="visible", timeout=WAIT)  # type: ignore[attr-defined]
        problems.assert_clean()
    finally:
        context.close()  # type: ignore[attr-defined]
    assert _gone_within(reception, GONE_WITHIN), "the reception page's kernel outlived its closed tab"
    assert f"Kernel {reception_id} shut down: its page was left" in leaving_server.log.read_text(errors="replace")
