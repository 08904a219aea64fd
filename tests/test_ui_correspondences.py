"""Correspondences page (no browser): connectors, domains, suggestions, bulk acceptance, picker, escaping."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from econn.mappings import correspondences
from econn.ui.correspondences import CorrespondencesPage
from econn.ui.correspondences_data import correspondence_rows, filter_rows
from econn.ui.correspondences_view import option_text, picked_code

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "02_correspondances.ipynb"
HEADER = ("N° commande;Date commande;Code client;Société;Civilité;Nom;Prénom;E-mail;Téléphone;Mobile;Adresse 1;"
          "Adresse 2;Code postal;Ville;Pays;Mode de règlement;Référence article;Déclinaison;Désignation;Quantité;"
          "Unité;PU HT;Remise %;TVA;Frais de port HT;Total HT;Total TTC")
XSS_IMG = "<img src=x onerror=alert(1)>"


def _messages(page: CorrespondencesPage, kind: str | None = None) -> list[str]:
    return [m.value for m in page.messages.children if kind is None or f"econn-msg-{kind}" in m.value]


def _extra_file(ws: Path, *, sku: str = "BECH", pays: str = "FR", tva: str = "V2 - 20 %") -> None:
    """One more pending order of connector CSV (UTF-8), with the values a test needs."""
    line = (f"CW_0009999_01;22/11/2026;C0000318;;M.;Test;Jean;;;;1 rue;;59000;Lille;{pays};CB;{sku};;"
            f"Article;1;UNI;10,00;0;{tva};0,00;10,00;12,00")
    (ws / "connecteurs" / "CSV" / "import" / "zz_test.csv").write_text(f"{HEADER}\r\n{line}\r\n", encoding="utf-8")


def _state(ws: Path, domain: str, value: str) -> tuple[str, str | None] | None:
    df = correspondences.get(ws, "CSV", domain)
    hit = df[df["external_value"] == value]
    return None if hit.empty else (hit.iloc[0]["state"], hit.iloc[0]["gc_value"])


@pytest.fixture
def page(demo_workspace: Path) -> CorrespondencesPage:
    return CorrespondencesPage(demo_workspace)


def test_notebook_is_two_thin_cells() -> None:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert [c["source"] for c in nb["cells"]] == [
        "from econn.ui.correspondences import CorrespondencesPage", "CorrespondencesPage()"]
    assert all(c["cell_type"] == "code" and not c["outputs"] for c in nb["cells"])


def test_page_lists_connectors_domains_and_pending_values(page: CorrespondencesPage) -> None:
    assert [v for _l, v in page.connector.options] == ["CSV", "FACIL"] and page.connector.value == "CSV"
    assert [lab for lab, _v in page.domain.options] == ["TVA", "Unités", "Pays", "Règlements", "Articles", "Tiers"]
    assert [v for _l, v in page.state_filter.options] == ["a_traiter", "suggere", "valide", "toutes"]
    assert not _messages(page, "error")
    # TVA, « à traiter »: the planted unmapped label, not yet checked, 1 pending document.
    assert 'data-value="TVA 5,5%"' in page.table.value and "non vérifiée" in page.table.value
    assert "V2 - 20 %" not in page.table.value
    assert page.edit_value.value == ("TVA 5,5%", "")
    assert "V1" in page.candidates.value   # ranked candidates of the selected value
    page.state_filter.value = "toutes"
    assert "V2 - 20 %" in page.table.value and "validée" in page.table.value
    # CSS classes the browser tests select on.
    for widget, css in ((page.connector, "econn-connector"), (page.domain, "econn-domain"),
                        (page.suggest_button, "econn-suggest"), (page.state_filter, "econn-state-filter"),
                        (page.article_filter, "econn-article-filter"), (page.table, "econn-table"),
                        (page.threshold, "econn-threshold"), (page.bulk_button, "econn-bulk-accept"),
                        (page.edit_value, "econn-edit-value"), (page.picker, "econn-gc-picker"),
                        (page.validate_button, "econn-validate"), (page.pager, "econn-pager")):
        assert css in widget._dom_classes
    assert page.picker.ensure_option and page.threshold.value == 0.9


def test_only_the_table_changes_on_clicks(page: CorrespondencesPage) -> None:
    children = page.children
    page.domain.value = "article"
    page.state_filter.value = "toutes"
    assert page.pager.layout.display == "" and "Page 1 / " in page.page_info.value
    first = page.table.value
    page.next_button.click()
    assert page.page == 1 and page.table.value != first and page.prev_button.disabled is False
    assert page.children is children and not _messages(page, "error")


def test_suggest_then_bulk_accept_pays(page: CorrespondencesPage, demo_workspace: Path) -> None:
    page.domain.value = "pays"
    page.suggest_button.click()
    assert _state(demo_workspace, "pays", "Hollande") == ("suggere", "NL")
    assert _state(demo_workspace, "pays", "BE") is None   # already resolves (ISO code): not re-suggested
    assert "suggérée" in page.table.value and "0,90" in page.table.value
    page.threshold.value = 0.8
    page.bulk_button.click()
    assert _state(demo_workspace, "pays", "Hollande") == ("valide", "NL")
    msg = _messages(page, "info")[0]
    assert "1 suggestion acceptée" in msg and "1 document en attente débloqué" in msg
    assert "0,80" in page.threshold_value.value
    assert 'data-value="Hollande"' not in page.table.value   # « à traiter » no longer shows it


def test_near_articles_are_not_bulk_accepted(page: CorrespondencesPage, demo_workspace: Path) -> None:
    _extra_file(demo_workspace, sku="aopvema-15b")
    page.refresh_button.click()
    page.domain.value = "article"
    page.article_filter.value = "tous"
    assert 'data-value="aopvema-15b"' in page.table.value
    page.suggest_button.click()
    assert _state(demo_workspace, "article", "aopvema-15b") == ("suggere", "AOPVEMA15B")
    page.threshold.value = 0.5
    page.bulk_button.click()
    assert _state(demo_workspace, "article", "aopvema-15b") == ("suggere", "AOPVEMA15B")
    assert _state(demo_workspace, "article", "ARRO") == ("valide", "ARRO")   # the exact one only
    assert "1 suggestion acceptée" in _messages(page, "info")[0]
    assert "ART-NEAR" in page.table.value


def test_validate_with_the_picker(page: CorrespondencesPage, demo_workspace: Path) -> None:
    assert page.domain.value == "tva"
    page.edit_value.value = ("TVA 5,5%", "")
    options = list(page.picker.options)
    v1 = next(o for o in options if picked_code(o) == "V1")
    assert v1 == option_text("V1", "TVA réduite 5,5 %")
    page.picker.value = v1
    page.validate_button.click()
    assert _state(demo_workspace, "tva", "TVA 5,5%") == ("valide", "V1")
    assert "validée" in _messages(page, "info")[0] and "1 document en attente utilise cette valeur" in _messages(page, "info")[0]
    assert not _messages(page, "error")


def test_unknown_gc_value_is_refused_in_french(page: CorrespondencesPage, demo_workspace: Path) -> None:
    page.edit_value.value = ("TVA 5,5%", "")
    page.picker.value = "V99 — n'existe pas"
    page.validate_button.click()
    err = _messages(page, "error")[0]
    assert "refusée" in err and "absente de la table des codes TVA" in err
    assert _state(demo_workspace, "tva", "TVA 5,5%") is None
    page.picker.value = ""
    page.validate_button.click()
    assert "Choisissez la valeur GC" in _messages(page, "error")[0]


def test_external_values_are_escaped(page: CorrespondencesPage, demo_workspace: Path) -> None:
    _extra_file(demo_workspace, pays=XSS_IMG, tva=XSS_IMG)
    page.refresh_button.click()
    page.domain.value = "pays"
    html = page.table.value
    assert XSS_IMG not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    page.suggest_button.click()
    assert XSS_IMG not in page.table.value and not _messages(page, "error")


def test_tiers_and_article_filter(page: CorrespondencesPage, demo_workspace: Path) -> None:
    page.domain.value = "tiers"
    page.suggest_button.click()
    assert "réception" in _messages(page, "info")[0]
    assert page.article_box.layout.display == "none"
    page.domain.value = "article"
    assert page.article_box.layout.display == "" and page.article_filter.value == "export"  # CSV: « export »
    assert "ARRO" in page.missing.value   # exportable, no CSV external code (seed's mass screen)
    page.connector.value = "FACIL"
    assert page.article_filter.value == "filtre" and page.family.value == "PUB"


def test_arro_is_to_do_then_accepted(page: CorrespondencesPage, demo_workspace: Path) -> None:
    # As in the reception analysis, a SKU equal to a GC code does not apply without a correspondence.
    page.domain.value = "article"
    assert 'data-value="ARRO"' in page.table.value and 'data-value="VIN-MEURSAULT-2020"' in page.table.value
    page.suggest_button.click()
    assert _state(demo_workspace, "article", "ARRO") == ("suggere", "ARRO")
    assert _state(demo_workspace, "article", "VIN-MEURSAULT-2020")[0] == "aucune"   # checked, nothing found
    page.bulk_button.click()   # threshold 0,90: identical GC code scores 1
    assert _state(demo_workspace, "article", "ARRO") == ("valide", "ARRO")
    assert "1 document en attente débloqué" in _messages(page, "info")[0]


def test_filter_rows_keeps_values_without_gc_article(demo_workspace: Path) -> None:
    from econn.reception.pending_values import pending_values

    rows = correspondence_rows(demo_workspace, "CSV", "article", pending_values(demo_workspace, "CSV"))
    assert rows[rows["external_value"] == "ARRO"].iloc[0]["state"] == "non_verifie"
    meursault = rows[rows["external_value"] == "VIN-MEURSAULT-2020"].iloc[0]
    assert meursault["state"] == "non_verifie" and meursault["documents"] == 1
    shown = filter_rows(rows, "a_traiter", "filtre", "PUB")
    assert "VIN-MEURSAULT-2020" in set(shown["external_value"])
    every = filter_rows(rows, "toutes", "filtre", "PUB")
    assert set(every["famille"].dropna()) <= {"PUB"}
