"""The diagnostics page without a browser: runs, counts, clusters, merge decisions, cleanup, Excel."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import openpyxl
import pytest

from econn.duplicates import merge
from econn import store
from econn.ui.diagnostics import CHOICES, DiagnosticsPage


def _messages(page: DiagnosticsPage) -> str:
    return " ".join(c.value for c in page.messages.children)


def _run(page: DiagnosticsPage, name: str) -> None:
    page.name.value = name
    page.run_button.click()


@pytest.mark.parametrize("name", [n for _, n in CHOICES])
def test_each_diagnostic_runs_and_shows_its_counts(demo_workspace: Path, name: str) -> None:
    page = DiagnosticsPage(demo_workspace)
    _run(page, name)
    assert "econn-msg-error" not in _messages(page)
    assert page.result is not None and page.result.name == name
    assert 'data-level="erreur"' in page.counts.value and 'data-level="alerte"' in page.counts.value
    assert page.findings.value.count('class="econn-finding"') == min(50, len(page.result.findings))
    assert page.run_button.disabled is False and page.busy.value == ""


def test_findings_are_filtered_paged_and_escaped(demo_workspace: Path) -> None:
    page = DiagnosticsPage(demo_workspace)
    _run(page, "doublons-complet")
    total = len(page.result.findings)  # type: ignore[union-attr]
    assert total > 50 and f"page 1 / {-(-total // 50)}" in page.page_text.value
    page.next_button.click()
    assert page.findings.value.count('class="econn-finding"') == min(50, total - 50)
    page.code_filter.value = "CLI-FUZZ"
    assert page.page_index == 0
    assert set(re.findall(r'data-code="([^"]+)"', page.findings.value)) == {"CLI-FUZZ"}
    with store.transaction(demo_workspace) as con:
        con.execute("UPDATE tiers SET nom = '<script>alert(1)</script>' WHERE code = 'ROCJP'")
    _run(page, "doublons-simple")
    assert "<script>" not in page.findings.value


def test_clusters_show_side_by_side_with_differences(demo_workspace: Path) -> None:
    page = DiagnosticsPage(demo_workspace)
    _run(page, "doublons-complet")
    assert page.clusters_box.layout.display == "flex"
    assert len(page.cluster_select.options) >= 5
    detail = page.cluster_detail.value
    assert page.proposal is not None
    assert 'data-field="email"' in detail and "econn-diff" in detail and "à conserver" in detail
    diff_fields = re.findall(r'class="econn-field econn-diff" data-field="([^"]+)"', detail)
    assert "nom" not in diff_fields and diff_fields  # same name, some coordinates differ
    assert not page.accept_button.disabled


def test_accept_merges_only_on_click(demo_workspace: Path) -> None:
    page = DiagnosticsPage(demo_workspace)
    _run(page, "doublons-complet")
    proposal = page.proposal
    assert proposal is not None
    absorbed = proposal.absorbed[0]
    assert store.query_df(demo_workspace, "SELECT actif FROM tiers WHERE code = ?", [absorbed]).actif[0]
    n = len(page.cluster_select.options)
    page.accept_button.click()
    assert "Fusion de clients" in _messages(page)
    assert not store.query_df(demo_workspace, "SELECT actif FROM tiers WHERE code = ?", [absorbed]).actif[0]
    hist = store.query_df(demo_workspace, "SELECT message FROM history WHERE kind = 'action' AND data_type = 'client'")
    assert any(absorbed in m for m in hist.message)
    assert len(page.cluster_select.options) == n - 1


def test_reject_records_and_hides_the_cluster(demo_workspace: Path) -> None:
    page = DiagnosticsPage(demo_workspace)
    _run(page, "doublons-complet")
    members = list(page.clusters[page.cluster_select.value]["members"])
    page.reject_button.click()
    assert "Fusion refusée" in _messages(page)
    assert frozenset(members) in merge.rejected(demo_workspace)
    assert store.query_df(demo_workspace, "SELECT bool_and(actif) AS a FROM tiers WHERE code IN "
                          "(SELECT unnest(?::VARCHAR[]))", [members]).a[0]
    _run(page, "doublons-complet")  # a rejected cluster is not offered again
    assert all(set(c["members"]) != set(members) for c in page.clusters)


def test_cleanup_dry_run_then_apply_with_backup(demo_workspace: Path) -> None:
    page = DiagnosticsPage(demo_workspace)
    _run(page, "nettoyage-grilles")
    assert page.cleanup_box.layout.display == "flex"
    for ref in ("TF800002", "TF800008", "TF800018", "TF800019", "TF800020", "TF800021"):
        assert f'data-ref="{ref}"' in page.plan.value
    before = store.query_df(demo_workspace, "SELECT count(*) AS n FROM price_grids").n[0]
    page.apply_button.click()
    assert "Nettoyage appliqué" in _messages(page)
    assert store.query_df(demo_workspace, "SELECT count(*) AS n FROM price_grids").n[0] == before - 6
    assert list((demo_workspace / "sauvegardes").glob("grilles_supprimees_*.csv"))
    assert "econn-plan-row" not in page.plan.value  # re-planned: nothing left


def test_cleanup_plan_reads_right_on_the_page(demo_workspace: Path) -> None:
    """Page 03 shows each planned rule with its own date, client or category where the message says so."""
    from test_diag_cleanup import expected_plan_messages

    from econn.ui.format import esc

    page = DiagnosticsPage(demo_workspace)
    _run(page, "nettoyage-grilles")
    table = page.findings.value
    for (code, rule), (message, value) in expected_plan_messages(demo_workspace).items():
        row = next(r for r in table.split("<tr")[1:] if f'data-code="{code}"' in r and esc(message) in r)
        assert f">{esc(value)}<" in row and rule in row
    assert "expirée depuis le CREMBR" not in table and "identique à suppression prévue" not in table
    assert "client CLI99999 absent" in page.plan.value and "catégorie VIP inconnue" in page.plan.value


def test_safety_block_shows_the_lift(demo_workspace: Path) -> None:
    with store.transaction(demo_workspace) as con:
        store.set_setting(con, "securite.grilles_suppression.seuil", "0.5")
    page = DiagnosticsPage(demo_workspace)
    _run(page, "nettoyage-grilles")
    assert page.safety_box.layout.display == "flex" and "seuil" in page.safety_text.value
    page.apply_button.click()
    assert "bloqué" in _messages(page)
    page.justification.value = "court"
    page.lift_button.click()
    assert "justification" in _messages(page)
    page.justification.value = "nettoyage annuel validé par la direction"
    page.lift_button.click()
    assert page.safety_box.layout.display == "none"
    page.apply_button.click()
    assert "Nettoyage appliqué" in _messages(page)


def test_excel_link_decodes_to_a_workbook(demo_workspace: Path) -> None:
    page = DiagnosticsPage(demo_workspace)
    _run(page, "tva")
    page.excel_button.click()
    m = re.search(r'download="(diagnostic-[^"]+\.xlsx)" href="data:application/vnd\.openxmlformats-officedocument'
                  r'\.spreadsheetml\.sheet;base64,([^"]+)"', page.download.value)
    assert m, page.download.value[:200]
    wb = openpyxl.load_workbook(io.BytesIO(base64.b64decode(m.group(2))))
    assert wb.sheetnames
