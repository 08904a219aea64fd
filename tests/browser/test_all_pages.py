"""Every dashboard, reached the way a user reaches it: from the home page's links (issue #9).

One walk in one tab: open « Synchro e-connecteur », read its links, then for each linked dashboard
click the link, wait for its usable widgets (the time is recorded in benchmarks/out/page_times.json
under « <page> via home link »), perform the page's main action and check its result, fail on any
error shown on the page (message panel, traceback, « Erreur inattendue », a failed cell) and on any
page error, dialog or console error, take the README's screenshot, and go back home by the
breadcrumb. Every page is walked even when one fails; the test then reports them all.

``READY`` is the selector of each page's usable widgets; ``benchmarks/page_speed.py`` reuses it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from econn.config import connectors
from econn.mappings import correspondences
from econn.ui.common import available_dashboards

from .conftest import (
    Problems,
    VoilaServer,
    excel_download,
    load_pending_file,
    open_dashboard,
    record_timing,
    run_diagnostic,
    screenshot,
    wait_disabled,
)

WAIT = 90000
HOME = "00_accueil.ipynb"

# The element that says a dashboard is usable: its main control, or the table it opens on once drawn.
READY: dict[str, str] = {
    "00_accueil.ipynb": ".econn-home .econn-connectors table",
    "01_reception.ipynb": ".econn-reception .econn-load",
    "02_correspondances.ipynb": ".econn-correspondences .econn-suggest",
    "03_diagnostics.ipynb": ".econn-diagnostics button.econn-diag-run",
    "04_historique.ipynb": ".econn-history .econn-history-table table",
    "05_guide_utilisateur.ipynb": ".econn-guide h2#sommaire",
    "06_parametrage.ipynb": ".econn-settings .econn-connector-list table",
    "99_visite_guidee.ipynb": ".econn-tour .econn-tour-figures table",
}

# Text that must never reach a page: a traceback, the message panel's catch-all, a failed cell in Voilà.
ERROR_TEXTS = ("Traceback (most recent call last)", "Erreur inattendue",
               "There was an error when executing cell")
ERROR_OUTPUTS = ('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], '
                 '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]')


def _wait_text(pg, css: str, text: str) -> None:  # type: ignore[no-untyped-def]
    pg.wait_for_function("([c, t]) => { const e = document.querySelector(c);"
                         " return e && e.innerText.includes(t); }", arg=[css, text], timeout=WAIT)


def _select(select, wanted: Callable[[str], bool]) -> None:  # type: ignore[no-untyped-def]
    """Select the first option whose text satisfies ``wanted`` (spaces come as no-break spaces)."""
    labels = select.locator("option").all_text_contents()
    label = next(t for t in labels if wanted(t.replace("\u00a0", " ").strip()))
    select.select_option(label=label)


def _connector(pg, code: str) -> None:  # type: ignore[no-untyped-def]
    """Choose ``code`` in the page's connector selector: the first enabled one that lists it."""
    found = pg.wait_for_function(
        """code => {
             const lists = [...document.querySelectorAll('.econn-connector select')];
             const i = lists.findIndex(s => !s.disabled && [...s.options].some(o => {
               const t = o.textContent.replace(/\\u00a0/g, ' ').trim();
               return t === code || t.startsWith(code + ' ');
             }));
             return i + 1;
           }""", arg=code, timeout=WAIT)
    select = pg.locator(".econn-connector select").nth(found.json_value() - 1)
    _select(select, lambda t: t == code or t.startswith(f"{code} "))


def _settle(pg) -> None:  # type: ignore[no-untyped-def]
    """Wait until the page no longer waits for the store (the test process reads it too)."""
    pg.wait_for_function("() => ![...document.querySelectorAll('.econn-msg-wait')]"
                         ".some(e => e.offsetParent !== null && e.innerText.includes('est occupé'))",
                         timeout=WAIT)


def _frame(pg, css: str) -> None:  # type: ignore[no-untyped-def]
    """Scroll ``css`` to the top: a screenshot shows the viewport (Voilà scrolls inside the page)."""
    _settle(pg)
    pg.locator(css).first.evaluate("e => e.scrollIntoView({block: 'start'})")


# ----- the main action of each page ---------------------------------------------------------------

def _reception(pg, server: VoilaServer) -> None:  # type: ignore[no-untyped-def]
    """Choose the demo's orders file, load it, analyse it: the recap of what would be received."""
    folder = server.workspace / "connecteurs" / "CSV" / "import"
    path = min(folder.glob("*.csv"))
    _connector(pg, "CSV")
    load_pending_file(pg, path.name)
    pg.wait_for_selector(".econn-sample table", state="visible", timeout=WAIT)
    assert "cp1252" in pg.locator(".econn-dialect").inner_text().lower()
    _frame(pg, ".econn-page")
    screenshot(pg, "01_reception")
    pg.locator("button.econn-analyze").click()
    recap = pg.locator(".econn-recap")
    recap.wait_for(state="visible", timeout=WAIT)
    _wait_text(pg, ".econn-recap", "Nouveau document")
    text = recap.inner_text()
    assert "Déjà intégré" in text and "En attente : homonyme" in text, text
    _frame(pg, ".econn-recap")
    screenshot(pg, "01_reception_recap")


def _correspondences(pg, server: VoilaServer) -> None:  # type: ignore[no-untyped-def]
    """Look for suggestions for the CSV connector's countries, then validate « Hollande » → NL."""
    _connector(pg, "CSV")
    pg.locator(".econn-domain button", has_text="Pays").first.click()
    _wait_text(pg, ".econn-table", "Hollande")
    pg.locator("button.econn-suggest").click()
    _wait_text(pg, ".econn-messages", "suggestion")
    pg.wait_for_function("() => [...document.querySelectorAll('tr.econn-row')]"
                         ".some(r => r.dataset.value === 'Hollande' && r.innerText.includes('NL'))",
                         timeout=WAIT)
    pg.locator(".econn-edit-value select").select_option(label="Hollande")
    # the picker preselects the suggestion (« match to best candidate »)
    pg.wait_for_function("() => (document.querySelector('.econn-gc-picker input').value || '')"
                         ".startsWith('NL')", timeout=WAIT)
    pg.locator("button.econn-validate").click()
    _wait_text(pg, ".econn-messages", "Correspondance validée : « Hollande » → NL")
    pg.locator(".econn-state-filter button", has_text="validées").first.click()
    pg.wait_for_selector('tr.econn-row[data-value="Hollande"][data-state="valide"]', timeout=WAIT)
    _frame(pg, ".econn-page")
    screenshot(pg, "02_correspondances")
    df = correspondences.get(server.workspace, "CSV", "pays")
    row = df[df["external_value"] == "Hollande"].iloc[0]
    assert (row["gc_value"], row["state"]) == ("NL", "valide")


def _diagnostics(pg, server: VoilaServer) -> None:  # type: ignore[no-untyped-def]
    """Run « Produits absents »: its counts by level and its findings."""
    run_diagnostic(pg, "Produits absents")
    pg.wait_for_selector(".econn-diag-findings tr.econn-finding", state="visible", timeout=WAIT)
    assert pg.locator(".econn-diag-findings tr.econn-finding").count() > 0
    _frame(pg, ".econn-page")
    screenshot(pg, "03_diagnostics")


def _history(pg, server: VoilaServer) -> None:  # type: ignore[no-untyped-def]
    """Keep the errors only (the ERO badge), then produce the Excel report."""
    assert pg.locator(".econn-chart svg rect").count() > 0
    pg.locator("button.econn-count-erreur").click()
    pg.wait_for_function("() => { const r = [...document.querySelectorAll('tr.econn-history-row')];"
                         " return r.length > 0 && r.every(x => x.dataset.level === 'erreur'); }",
                         timeout=WAIT)
    excel_download(pg, "button.econn-history-export", ".econn-history-download", timeout_ms=WAIT)
    _frame(pg, ".econn-page")
    screenshot(pg, "04_historique")


def _settings(pg, server: VoilaServer) -> None:  # type: ignore[no-untyped-def]
    """Open FACIL in the wizard, read its configuration, save it unchanged: it validates, nothing moves."""
    _settle(pg)
    before = connectors.get(server.workspace, "FACIL").to_dict(mask_secrets=False)
    _connector(pg, "FACIL")
    _wait_text(pg, ".econn-send-box", "FACIL")
    pg.locator("button.econn-edit").click()
    pg.locator(".econn-wizard .econn-step-1").wait_for(state="visible", timeout=WAIT)
    _wait_text(pg, ".econn-wizard", "Modifier le connecteur FACIL")
    assert pg.locator(".econn-step-1 .econn-field-code input").input_value() == "FACIL"
    wait_disabled(pg, ".econn-step-1 .econn-field-code input")
    assert pg.locator(".econn-step-1 .econn-field-partner input").input_value() == before["partner"]
    pg.locator("button.econn-next").click()
    pg.locator(".econn-wizard .econn-step-2").wait_for(state="visible", timeout=WAIT)
    assert pg.locator(".econn-step-2 .econn-field-depot input").input_value() == before["depot"]
    _frame(pg, ".econn-wizard")
    screenshot(pg, "06_parametrage")
    pg.locator("button.econn-save").click()
    _wait_text(pg, ".econn-messages", "Connecteur FACIL modifié")
    _settle(pg)
    assert connectors.get(server.workspace, "FACIL").to_dict(mask_secrets=False) == before


def _tour(pg, server: VoilaServer) -> None:  # type: ignore[no-untyped-def]
    """Go to the second step: its text and live figures."""
    first = pg.locator(".econn-tour-step").inner_text()
    assert "Étape 1 /" in first, first
    pg.locator("button.econn-tour-next").click()
    _wait_text(pg, ".econn-tour-step", "Étape 2 /")
    pg.wait_for_selector(".econn-tour-figures table", state="visible", timeout=WAIT)
    _frame(pg, ".econn-page")
    screenshot(pg, "99_visite_guidee")


def _guide(pg, server: VoilaServer) -> None:  # type: ignore[no-untyped-def]
    """Follow the table of contents to « Que faire d'un constat ? »; the screenshots are drawn."""
    pg.locator('.econn-guide a[href="#8-que-faire-dun-constat-"]').click()
    pg.wait_for_function("() => { const h = document.getElementById('8-que-faire-dun-constat-');"
                         " const r = h && h.getBoundingClientRect(); return r && r.top >= 0 && r.top < 200; }",
                         timeout=WAIT)
    images = pg.locator(".econn-guide img")
    assert images.count() >= 10
    widths = pg.evaluate("async () => { const imgs = [...document.querySelectorAll('.econn-guide img')];"
                         " await Promise.all(imgs.map(i => { i.loading = 'eager'; return i.decode().catch(() => 0); }));"
                         " return imgs.map(i => i.naturalWidth); }")
    assert widths and all(w > 0 for w in widths), widths


MAIN_ACTIONS: dict[str, Callable[..., None]] = {
    "01_reception.ipynb": _reception,
    "02_correspondances.ipynb": _correspondences,
    "03_diagnostics.ipynb": _diagnostics,
    "04_historique.ipynb": _history,
    "05_guide_utilisateur.ipynb": _guide,
    "06_parametrage.ipynb": _settings,
    "99_visite_guidee.ipynb": _tour,
}


# ----- checks and navigation ----------------------------------------------------------------------

def assert_no_error_shown(pg, where: str) -> None:  # type: ignore[no-untyped-def]
    """Fail on an error the user would see: message panel, traceback, catch-all text, a failed cell."""
    shown = [e.inner_text() for e in pg.locator(".econn-msg-error").all() if e.is_visible()]
    assert not shown, f"{where}: error message shown: {shown}"
    text = pg.locator("body").inner_text()
    found = [t for t in ERROR_TEXTS if t in text]
    assert not found, f"{where}: {found} on the page:\n{text[-2000:]}"
    outputs = [e.inner_text() for e in pg.locator(ERROR_OUTPUTS).all() if e.is_visible()]
    assert not outputs, f"{where}: a cell wrote an error or to stderr: {outputs}"


def _notebook(href: str) -> str:
    """The dashboard a link or URL opens (a link may carry the connector: ``X.ipynb?connecteur=CSV``)."""
    return urlsplit(href).path.rsplit("/", 1)[-1]


def _click_to(pg, link, notebook: str) -> float:  # type: ignore[no-untyped-def]
    """Click a link to ``notebook`` and wait for its usable widgets; return the seconds taken."""
    t0 = time.monotonic()
    link.click()
    pg.wait_for_url(lambda url: _notebook(url) == notebook, wait_until="commit", timeout=WAIT)
    pg.wait_for_selector(READY[notebook], state="visible", timeout=WAIT)
    return time.monotonic() - t0


def _clear(problems: Problems) -> None:
    for bucket in (problems.console, problems.page_errors, problems.dialogs, problems.failed):
        bucket.clear()


def test_every_page_from_the_home_links(page, voila_server) -> None:  # type: ignore[no-untyped-def]
    pg, problems = page
    open_dashboard(pg, voila_server, HOME, READY[HOME], timeout_ms=WAIT)
    assert_no_error_shown(pg, HOME)
    _frame(pg, ".econn-page")
    screenshot(pg, "00_accueil")
    problems.assert_clean()

    links = pg.locator(".econn-links a")
    notebooks = [_notebook(links.nth(i).get_attribute("href") or "") for i in range(links.count())]
    assert notebooks == [f for f, _, _ in available_dashboards() if f != HOME]
    assert set(notebooks) == set(MAIN_ACTIONS), "each linked dashboard needs its main action here, and READY"

    failures: list[str] = []
    timings: dict[str, float] = {}
    for nb in notebooks:
        try:
            link = pg.locator(".econn-links a").nth(notebooks.index(nb))
            seconds = _click_to(pg, link, nb)
            record_timing(f"{nb} via home link", seconds)
            timings[nb] = seconds
            assert_no_error_shown(pg, f"{nb} (opened)")
            MAIN_ACTIONS[nb](pg, voila_server)
            assert_no_error_shown(pg, f"{nb} (after its main action)")
            problems.assert_clean()
            back = _click_to(pg, pg.locator(".econn-breadcrumbs a", has_text="Synchro e-connecteur"), HOME)
            record_timing(f"{HOME} via breadcrumb", back)
            assert_no_error_shown(pg, f"{HOME} (back from {nb})")
            problems.assert_clean()
        except Exception as exc:  # noqa: BLE001 — walk the other pages too, then report every failure
            failures.append(f"{nb}: {type(exc).__name__}: {exc}")
            _clear(problems)
            open_dashboard(pg, voila_server, HOME, READY[HOME], timeout_ms=WAIT)
    print("time to widgets from the home links:", {k: round(v, 2) for k, v in timings.items()})
    assert not failures, "\n\n".join(failures)


def test_ready_selectors_cover_every_dashboard() -> None:
    """``READY`` (also used by benchmarks/page_speed.py) names every dashboard of the checkout."""
    notebooks = sorted(p.name for p in (Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))
    assert sorted(READY) == notebooks
