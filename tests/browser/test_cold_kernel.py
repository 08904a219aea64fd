"""Pages on a cold kernel: Voilà's scripts are asked before the kernel starts, and the page still works.

econn's template asks for voila.js in the head, so that the browser loads and compiles Voilà's scripts
while a cold kernel starts and runs the notebook, instead of after (issue #9, "< 3 s cold"). The kernel's
id is not known when the head is sent: the template writes it into the config element and the body's
``data-kernel-id`` once the kernel has started. This module starts its own Voilà without preheated
kernels (what a page gets when its pool is empty) and checks both halves: the order in which the page
arrives, and pages that connect to their kernel and draw their widgets. Times go to page_times.json as
« <page> (cold kernel) ».
"""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import (
    VoilaServer,
    new_context,
    record_timing,
    serve_demo_copy,
    watched_page,
)
from .test_all_pages import READY

COLD_PAGES = ("00_accueil.ipynb", "01_reception.ipynb", "02_correspondances.ipynb")


@pytest.fixture(scope="module", autouse=True)
def fresh_workspace() -> None:
    """This module has its own server and workspace: the session server is not needed (nor started)."""


@pytest.fixture(scope="module")
def cold_server(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Iterator[VoilaServer]:
    with serve_demo_copy(tmp_path_factory, demo_template, "cold",
                         "--VoilaConfiguration.preheat_kernel=False") as server:
        yield server


def test_the_scripts_are_asked_before_the_kernel_has_started(cold_server: VoilaServer) -> None:
    """Read the streamed page as it comes: voila.js is asked in a part sent before the first cell."""
    parts: list[tuple[float, bytes]] = []
    t0 = time.monotonic()
    with urllib.request.urlopen(cold_server.render_url("00_accueil.ipynb"), timeout=120) as r:
        while chunk := r.read1(65536):
            parts.append((time.monotonic() - t0, chunk))
    html = b"".join(c for _, c in parts).decode("utf-8")
    received = b""
    script_at = cells_at = None
    for at, chunk in parts:
        received += chunk
        if script_at is None and b"/voila.js" in received:
            script_at, seen_before_script = at, received
        if cells_at is None and b'cell-index="1"' in received:
            cells_at = at
    assert script_at is not None and cells_at is not None, html[-2000:]
    assert b'cell-index="1"' not in seen_before_script, "voila.js came with the cells, not before them"
    assert cells_at > script_at, (script_at, cells_at)
    # One config element (a second one would be the one the page never reads) and one voila.js.
    assert html.count('id="jupyter-config-data"') == 1
    assert html.count("/voila.js") == 1
    assert "document.body.dataset.kernelId" in html


@pytest.mark.parametrize("notebook", COLD_PAGES)
def test_a_cold_page_connects_to_its_kernel_and_draws_its_widgets(browser: object, cold_server: VoilaServer,
                                                                  notebook: str) -> None:
    context = new_context(browser)
    try:
        pg, problems = watched_page(context, cold_server.url)
        t0 = time.monotonic()
        pg.goto(cold_server.render_url(notebook), wait_until="commit", timeout=120000)  # type: ignore[attr-defined]
        # The widgets come from the kernel (their state over its websocket): seeing them proves the
        # page found its kernel's id.
        pg.wait_for_selector(READY[notebook], state="visible", timeout=120000)  # type: ignore[attr-defined]
        record_timing(f"{notebook} (cold kernel)", time.monotonic() - t0)
        ids = pg.evaluate("""() => [document.body.dataset.kernelId,
                                    JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId]""")  # type: ignore[attr-defined]
        assert ids[0] and ids[0] == ids[1], ids
        assert "Kernel started: " + ids[0] in cold_server.log.read_text(errors="replace")
        assert "Using pre-heated kernel" not in cold_server.log.read_text(errors="replace")
        problems.assert_clean()
    finally:
        context.close()  # type: ignore[attr-defined]
