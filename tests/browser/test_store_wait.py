"""A page opened while another process holds the store: it renders at once and says what it waits for.

The test process plays the writer (``store.exclusive``, as a backup or a restore holds the workspace). The
page must show its header and a line « L'espace de travail est occupé par … : attente depuis N s… » naming
this process, then load its data once the lock is released, the waiting line giving way to a notice.
"""

from __future__ import annotations

import os
import time

import pytest

from econn import store

from .conftest import record_timing, wait_disabled

SHOW_WITHIN = 12.0   # seconds from navigation to header + waiting line (a page shows in ~3-6 s here)
HOLD = 6.0           # seconds the store stays busy once the page says it waits


@pytest.fixture(scope="module", autouse=True)
def warm_server(browser, voila_server) -> None:  # type: ignore[no-untyped-def]
    """Open one page first: the timing below is the page's, not the server's start or its kernel pools'."""
    context = browser.new_context()
    pg = context.new_page()
    pg.goto(voila_server.render_url("00_accueil.ipynb"), wait_until="commit", timeout=90000)
    pg.wait_for_selector(".econn-home .econn-connectors table", state="visible", timeout=90000)
    context.close()


@pytest.mark.parametrize(("notebook", "data"), [
    ("00_accueil.ipynb", ".econn-home .econn-connectors table"),
    ("04_historique.ipynb?connecteur=CSV", ".econn-history .econn-history-table table"),
])
def test_page_renders_and_says_what_it_waits_for(page, voila_server, notebook: str,  # type: ignore[no-untyped-def]
                                                 data: str) -> None:
    pg, problems = page
    ws = voila_server.workspace
    with store.exclusive(ws, timeout=120):
        t0 = time.monotonic()
        pg.goto(voila_server.render_url(notebook), wait_until="commit", timeout=60000)
        pg.wait_for_selector(".econn-header h1", state="visible", timeout=SHOW_WITHIN * 1000)
        line = pg.locator(".econn-messages .econn-store-wait")
        line.wait_for(state="visible", timeout=SHOW_WITHIN * 1000)
        shown = time.monotonic() - t0
        record_timing(f"{notebook.split('?')[0]} (magasin occupé : en-tête et attente)", shown)
        text = line.inner_text()
        assert "occupé par" in text and f"(PID {os.getpid()})" in text and "attente depuis" in text, text
        assert pg.locator(data).count() == 0           # no data while the writer holds the store
        if "connecteur=CSV" in notebook:                # the header already shows the connector asked for
            assert pg.locator(".econn-header-connector select").input_value() == "CSV"
        # the line counts the seconds (it is updated, not stacked)
        pg.wait_for_function("() => /attente depuis [2-9]/.test(document.querySelector('.econn-store-wait')"
                             ".innerText)", timeout=15000)
        assert pg.locator(".econn-messages .econn-store-wait").count() == 1
        time.sleep(max(0.0, HOLD - (time.monotonic() - t0)))
    released = time.monotonic()
    pg.wait_for_selector(data, state="visible", timeout=30000)
    loaded = time.monotonic() - released
    assert loaded < 15, f"data {loaded:.1f} s after the store was released"
    pg.locator(".econn-messages .econn-store-wait").wait_for(state="detached", timeout=10000)
    assert "Espace de travail libéré" in pg.locator(".econn-messages").inner_text()
    assert pg.locator(".econn-messages .econn-msg-error").count() == 0, pg.locator(".econn-messages").inner_text()
    wait_disabled(pg, ".econn-header-connector select", disabled=False)
    print(f"\n{notebook}: header and waiting line after {shown:.1f} s; data {loaded:.1f} s after release")
    problems.assert_clean()
