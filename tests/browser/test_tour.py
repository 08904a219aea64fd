"""The guided tour in the browser, and `econn ui` serving the dashboards."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from econn.ui.tour import STEPS

from .conftest import (END_STATE_MS, ROOT, _free_port, open_dashboard, screenshot, stop_process_group,
                       wait_disabled)


def test_click_through_the_tour(page, voila_server) -> None:  # type: ignore[no-untyped-def]
    pg, problems = page
    open_dashboard(pg, voila_server, "99_visite_guidee.ipynb", ".econn-tour .econn-tour-figures table")
    n = len(STEPS)
    for i in range(1, n):
        pg.locator(".econn-tour-next").click()
        pg.wait_for_function("([sel, txt]) => document.querySelector(sel).innerText.includes(txt)",
                             arg=[".econn-tour-step", f"Étape {i + 1} / {n}"], timeout=END_STATE_MS)
        pg.wait_for_selector(".econn-tour-figures table", state="visible", timeout=END_STATE_MS)
        assert pg.locator(".econn-messages .econn-msg-error").count() == 0
    # The step's text and the button's state come in separate widget messages: wait for the end state.
    wait_disabled(pg, ".econn-tour-next")
    pg.locator(".econn-tour-prev").click()
    pg.wait_for_function("([sel, txt]) => document.querySelector(sel).innerText.includes(txt)",
                         arg=[".econn-tour-step", f"Étape {n - 1} / {n}"], timeout=END_STATE_MS)
    for _ in range(n - 2):
        pg.locator(".econn-tour-prev").click()
    pg.wait_for_function("([sel, txt]) => document.querySelector(sel).innerText.includes(txt)",
                         arg=[".econn-tour-step", f"Étape 1 / {n}"], timeout=END_STATE_MS)
    pg.wait_for_function("([sel, txt]) => document.querySelector(sel).innerText.includes(txt)",
                         arg=[".econn-tour-figures", "FACIL"], timeout=END_STATE_MS)
    screenshot(pg, "99_visite_guidee")
    problems.assert_clean()


def test_econn_ui_serves_the_home_page(demo_template: Path, tmp_path: Path) -> None:
    port = _free_port()
    log = tmp_path / "ui.log"
    econn = Path(sys.executable).parent / "econn"
    with log.open("wb") as out:
        proc = subprocess.Popen([str(econn), "ui", "--workspace", str(demo_template), "--port", str(port)],
                                cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                env=dict(os.environ))
    try:
        url = f"http://127.0.0.1:{port}/voila/render/00_accueil.ipynb"
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url, timeout=60) as resp:
                    status, body = resp.status, resp.read().decode("utf-8", "replace")
                break
            except OSError:
                assert proc.poll() is None, log.read_text(errors="replace")
                assert time.monotonic() < deadline, log.read_text(errors="replace")
                time.sleep(0.5)
        assert status == 200
        assert "application/vnd.jupyter.widget-view+json" in body  # the page built its widget, no error
        assert "Traceback" not in body and "WorkspaceError" not in body
        assert str(ROOT) not in body  # no source path leaks
    finally:
        stop_process_group(proc, grace=15)
