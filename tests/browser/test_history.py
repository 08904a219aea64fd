"""The history page in the browser: ERO badges, chart, and closing an error with its justification."""

from __future__ import annotations

import re

from econn import history

from .conftest import open_dashboard, screenshot

WAIT = 90000


def _messages_include(pg, text: str) -> None:  # type: ignore[no-untyped-def]
    pg.wait_for_function("t => document.querySelector('.econn-messages').innerText.includes(t)", arg=text,
                         timeout=WAIT)


def test_close_an_error_with_justification(page, voila_server) -> None:  # type: ignore[no-untyped-def]
    pg, problems = page
    open_dashboard(pg, voila_server, "04_historique.ipynb", ".econn-history .econn-history-table table",
                   timeout_ms=WAIT)
    assert pg.locator(".econn-chart svg rect").count() > 0
    pg.locator("button.econn-count-erreur").click()
    pg.wait_for_function("() => [...document.querySelectorAll('tr.econn-history-row')]"
                         ".every(r => r.dataset.level === 'erreur')", timeout=WAIT)

    options = pg.locator(".econn-close-id select option").all_text_contents()
    label = next(o for o in options if o.strip().startswith("n°"))
    entry = int(re.search(r"n°\s*(\d+)", label.replace("\u00a0", " ")).group(1))  # type: ignore[union-attr]
    pg.locator(".econn-close-id select").select_option(label=label)
    pg.locator("button.econn-close").click()
    _messages_include(pg, "justification est obligatoire")
    assert history.get_entry(voila_server.workspace, entry)["state"] == "ouverte"

    pg.locator(".econn-justification textarea").fill("ressaisi en GC")
    pg.locator("button.econn-close").click()
    pg.wait_for_function(
        "id => { const r = document.querySelector(`tr.econn-history-row[data-id='${id}']`);"
        " return r && r.innerText.includes('fermée par') && r.innerText.includes('ressaisi en GC'); }",
        arg=str(entry), timeout=WAIT)
    closed = history.query(voila_server.workspace, search=None, levels="erreur", limit=10_000)
    row = closed[closed["id"] == entry].iloc[0]
    assert row["state"] == "fermée" and row["justification"] == "ressaisi en GC"

    pg.locator("button.econn-history-export").click()
    pg.locator(".econn-history-download a[download]").wait_for(state="visible", timeout=WAIT)
    screenshot(pg, "04_historique")
    problems.assert_clean()
