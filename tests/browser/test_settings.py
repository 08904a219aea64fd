"""The settings page in the browser: the wizard (a refused folder, then saved) and a send."""

from __future__ import annotations

from econn.config import connectors

from .conftest import choose_connector, open_dashboard, screenshot

WAIT = 90000
# Values of the demo's GC tables: entreprise, site, transporteur and client family are checked against them.
REQUIRED = {"partner": "Prestashop", "depot": "DEP1", "entreprise": "VIGNE", "site": "SITE1",
            "transporteur": "DANZA", "client_family": "PARTF"}
STEP = {"code": 1, "import_dir": 1, "partner": 1, "depot": 2, "entreprise": 3, "site": 3, "transporteur": 3,
        "client_family": 3}


def _messages_include(pg, text: str) -> None:  # type: ignore[no-untyped-def]
    pg.wait_for_function("t => document.querySelector('.econn-messages').innerText.includes(t)", arg=text,
                         timeout=WAIT)


def test_wizard_refuses_a_bad_folder_then_saves(page, voila_server) -> None:  # type: ignore[no-untyped-def]
    pg, problems = page
    open_dashboard(pg, voila_server, "06_parametrage.ipynb", ".econn-settings .econn-connector-list table",
                   timeout_ms=WAIT)
    listing = pg.locator(".econn-connector-list").inner_text()
    assert "FACIL" in listing and "CSV" in listing
    pg.locator("button.econn-new").click()
    pg.locator(".econn-wizard .econn-step-1").wait_for(state="visible", timeout=WAIT)
    values = {"code": "WEBTEST", "import_dir": "/proc/econn-nope", **REQUIRED}
    for step in (1, 2, 3):
        for name, value in values.items():
            if STEP[name] == step:
                pg.locator(f".econn-step-{step} .econn-field-{name} input").fill(value)
        if step < 3:
            pg.locator("button.econn-next").click()
            pg.locator(f".econn-step-{step + 1}").wait_for(state="visible", timeout=WAIT)
    pg.locator("button.econn-save").click()
    error = pg.locator(".econn-field-error-import_dir")
    pg.wait_for_function("() => document.querySelector('.econn-field-error-import_dir').innerText"
                         ".includes('Dossier introuvable')", timeout=WAIT)
    error.wait_for(state="visible", timeout=WAIT)  # the wizard went back to step 1, next to the field
    assert "WEBTEST" not in [c.code for c in connectors.list_connectors(voila_server.workspace)]

    pg.locator(".econn-field-import_dir input").fill("")
    pg.locator("button.econn-save").click()
    pg.wait_for_function("() => document.querySelector('.econn-connector-list').innerText.includes('WEBTEST')",
                         timeout=WAIT)
    _messages_include(pg, "Connecteur WEBTEST créé")
    assert connectors.get(voila_server.workspace, "WEBTEST").partner == "Prestashop"
    problems.assert_clean()


def test_send_writes_files(page, voila_server) -> None:  # type: ignore[no-untyped-def]
    pg, problems = page
    out = voila_server.workspace / "envoi-navigateur"
    out.mkdir(exist_ok=True)
    open_dashboard(pg, voila_server, "06_parametrage.ipynb", ".econn-settings .econn-send-box .econn-send-recap table",
                   timeout_ms=WAIT)
    choose_connector(pg, "FACIL —")
    pg.wait_for_function("() => document.querySelector('.econn-send-box').innerText.includes('FACIL')",
                         timeout=WAIT)
    pg.wait_for_function("() => document.querySelector('.econn-send-dir input').value.includes('FACIL')",
                         timeout=WAIT)
    pg.locator(".econn-send-dir input").fill(str(out))
    pg.locator("button.econn-send").click()
    pg.wait_for_function("() => document.querySelector('.econn-send-result').innerText.includes('Fichiers écrits')",
                         timeout=WAIT)
    names = sorted(p.name for p in out.iterdir())
    assert any(n.startswith("articles_") for n in names) and any(n.startswith("clients_") for n in names)
    screenshot(pg, "06_parametrage")
    problems.assert_clean()
