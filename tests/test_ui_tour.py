"""The guided tour page, driven without a browser; and the home page's « Réinitialiser la démo »."""

from __future__ import annotations

from pathlib import Path

from econn import store
from econn.ui.home import HomePage
from econn.ui.tour import STEPS, TourPage


def test_steps_forward_and_back_with_live_figures(demo_workspace: Path) -> None:
    page = TourPage(demo_workspace)
    assert len(STEPS) == 8
    assert "Étape 1 / 8" in page.counter.value and page.prev_button.disabled
    seen = []
    for i in range(len(STEPS)):
        assert f"Étape {i + 1} / 8" in page.counter.value
        assert "<td>" in page.figures.value and 'href="' in page.link.value
        seen.append(page.figures.value)
        page.next_button.click()
    assert page.index == 7 and page.next_button.disabled
    assert not page.messages.children  # no error on any step
    assert "FACIL" in seen[0] and "CSV" in seen[0]
    assert "ARRO" in seen[1] and "Sans correspondance" in seen[1]
    for code, ext in (("RYCMI", "DERYCKE.MICHEL@FR"), ("ANDPA", "ANDPA"), ("GUEPI", "0641215874")):
        assert code in seen[2] and ext in seen[2]
    assert "→ V3" in seen[4] and "commandes_" in seen[4]
    page.prev_button.click()
    page.prev_button.click()
    assert page.index == 5 and "Étape 6 / 8" in page.counter.value


def test_figures_follow_the_workspace(demo_workspace: Path) -> None:
    page = TourPage(demo_workspace)
    page.go(1)
    with store.transaction(demo_workspace) as con:
        con.execute("INSERT INTO correspondences (connector, domain, external_value, external_variant, gc_value, "
                    "state, origin) VALUES ('CSV', 'article', 'ARRO', '', 'ARRO', 'valide', 'manuel')")
    page.go(1)
    assert "1 correspondance" in page.figures.value


def test_home_reset_button_needs_confirmation(demo_workspace: Path, workspace: Path) -> None:
    assert HomePage(workspace).reset_button is None  # not a demo: no button
    home = HomePage(demo_workspace)
    assert home.reset_button is not None and home.reset_confirm is not None
    assert "econn-demo-reset" in home.reset_button._dom_classes
    assert "econn-demo-reset-confirm" in home.reset_confirm._dom_classes
    pending = demo_workspace / "connecteurs" / "FACIL" / "import"
    extra = pending / "zz_extra.csv"
    extra.write_text("N° commande\nX\n", encoding="utf-8")
    home.reset_button.click()
    assert "case de confirmation" in home.messages.children[0].value and extra.exists()
    home.refresh()
    assert "2 fichiers en attente" in home.table.value
    home.reset_confirm.value = True
    home.reset_button.click()
    assert "réinitialisée" in home.messages.children[0].value
    assert not extra.exists() and not home.reset_confirm.value
    assert "1 fichier en attente" in home.table.value
