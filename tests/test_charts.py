"""Inline-SVG charts: valid XML, the right figures and French labels, hostile values escaped, empty inputs.

Also the charts placed in the pages (reception recap, diagnostics results) on the demo workspace.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from econn.diagnostics import chart_data, registry
from econn.diagnostics.base import DiagnosticResult
from econn.findings import make
from econn.ui import charts_domain as cd
from econn.ui.charts import column_bars_svg, fr_percent, row_bars_svg, share_bar_svg

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<img src=x onerror=alert(1)>"
NBSP = "\u00a0"
TODAY = dt.date(2026, 11, 23)


def _svg(markup: str) -> ET.Element:
    """Parse a chart; it must be one well-formed SVG element with an accessible name and a <title>."""
    root = ET.fromstring(markup)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img" and root.get("aria-label")
    assert root[0].tag == f"{SVG}title" and root[0].text == root.get("aria-label")
    return root


def _classes(root: ET.Element) -> set[str]:
    return set((root.get("class") or "").split())


def _groups(root: ET.Element, css: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if css in (g.get("class") or "").split()]


def _counts(root: ET.Element, css: str, key: str = "data-label") -> dict[str | None, int]:
    """``{data-label: data-count}`` of the chart's parts, bars or rows."""
    return {g.get(key): int(g.get("data-count") or 0) for g in _groups(root, css)}


def _rects(root: ET.Element, css: str, attr: str) -> list[float]:
    """An attribute of the first rectangle of each part or bar."""
    return [float(r.get(attr) or 0) for g in _groups(root, css) if (r := g.find(f"{SVG}rect")) is not None]


def _texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


# --- generic drawings ----------------------------------------------------------------------------------


def test_share_bar_counts_percentages_and_legend() -> None:
    markup = share_bar_svg([("Intégrables", 5, "#0a0"), ("Bloqués", 3, "#a00"), ("En attente", 0, "#fa0")],
                           title="Documents", kind="documents", unit="document")
    root = _svg(markup)
    assert "econn-chart-documents" in _classes(root)
    parts = _counts(root, "econn-chart-part")
    assert parts == {"Intégrables": 5, "Bloqués": 3}          # a zero count draws no segment…
    texts = _texts(root)
    assert f"Intégrables : 5 (62{NBSP}%)" in texts and f"Bloqués : 3 (38{NBSP}%)" in texts
    assert f"En attente : 0 (0{NBSP}%)" in texts               # …but stays in the legend
    assert "Documents : 8" in texts
    tips = [g.find(f"{SVG}title").text for g in _groups(root, "econn-chart-part")]  # type: ignore[union-attr]
    assert tips[0] == f"Intégrables : 5 documents (62{NBSP}%)"  # 62,5 rounded half to even
    widths = _rects(root, "econn-chart-part", "width")
    assert widths[0] / widths[1] == pytest.approx(5 / 3, rel=0.01)


def test_tooltips_agree_with_their_count() -> None:
    markup = share_bar_svg([("Intégrables", 1, "#0a0"), ("Bloqués", 0, "#a00")],
                           title="Documents", kind="documents", unit="document")
    tips = [g.find(f"{SVG}title").text for g in _groups(_svg(markup), "econn-chart-part")]  # type: ignore[union-attr]
    assert tips == [f"Intégrables : 1 document (100{NBSP}%)"]
    markup = column_bars_svg([("2 tiers", 1, "#50a"), ("3 tiers", 4, "#50a")], title="Groupes", kind="clusters",
                             unit="groupe")
    tips = [t.text for t in _svg(markup).iter(f"{SVG}title")]
    assert "2 tiers : 1 groupe" in tips and "3 tiers : 4 groupes" in tips


def test_french_numbers_and_percent() -> None:
    root = _svg(column_bars_svg([("2 tiers", 12345, "#000")], title="Groupes", kind="clusters"))
    assert f"12{chr(0x202f)}345" in _texts(root)
    assert fr_percent(1, 1000) == f"<{NBSP}1{NBSP}%" and fr_percent(0, 0) == f"0{NBSP}%"
    assert fr_percent(1, 3) == f"33{NBSP}%"


@pytest.mark.parametrize("draw", [
    lambda label: share_bar_svg([(label, 2, "#000")], title=label, kind="x"),
    lambda label: column_bars_svg([(label, 2, "#000")], title=label, kind="x"),
    lambda label: row_bars_svg([{"label": label, "value": 1, "text": label, "colour": "#000", "group": label,
                                 "data": {"code": label}}], title=label, kind="x"),
])
def test_hostile_labels_are_text(draw) -> None:  # type: ignore[no-untyped-def]
    markup = draw(HOSTILE)
    assert HOSTILE not in markup and "&lt;img src=x onerror=alert(1)&gt;" in markup
    root = _svg(markup)                            # still one well-formed SVG, nothing injected
    assert not list(root.iter("img")) and not list(root.iter(f"{SVG}img"))
    assert root.get("aria-label") == HOSTILE       # the parser gives the literal text back


def test_empty_inputs_give_a_sentence() -> None:
    assert share_bar_svg([("A", 0, "#000")], title="Documents", kind="documents").startswith(
        '<p class="econn-chart-empty econn-chart-documents')
    assert "rien à représenter" in column_bars_svg([], title="Groupes", kind="clusters")
    assert "rien à représenter" in row_bars_svg([], title="Anomalies", kind="a")
    assert "Aucun document à recevoir." in cd.documents_share_svg({})
    assert "Aucun groupe de doublons." in cd.cluster_sizes_svg([])
    other = [make("CLI-INVALID", subject="A", column="E-mail", value="x")]   # not a price-grid code
    assert "Aucune anomalie dans les grilles de prix." in cd.price_anomalies_svg(other)
    assert "Aucun indice pour cette paire." in cd.pair_evidence_svg({"pair": ["A", "B"], "fields": []})
    assert "Aucun indice détaillé" in cd.cluster_evidence_html({"members": ["A", "B"], "evidence": "x"})
    for markup in (cd.documents_share_svg({}), cd.cluster_sizes_svg([])):
        ET.fromstring(markup)                       # the sentence is well-formed markup too


# --- econn charts --------------------------------------------------------------------------------------


def test_documents_share_statuses() -> None:
    root = _svg(cd.documents_share_svg({"new": 5, "blocked": 5, "waiting": 1, "existing": 2,
                                        "tiers_match": 9}))
    assert _counts(root, "econn-chart-part") == {"Intégrables": 5, "Bloqués": 5, "En attente": 1,
                                                 "Déjà intégrés": 2}
    assert not any(t.startswith("Intégrés") for t in _texts(root))   # none integrated yet
    root = _svg(cd.documents_share_svg({"integrated": 10, "blocked": 1}))
    assert _counts(root, "econn-chart-part") == {"Bloqués": 1, "Intégrés": 10}


def test_cluster_sizes_histogram() -> None:
    clusters = [{"members": list("ab")}, {"members": list("cd")}, {"members": list("efg")},
                {"members": list("hijk")}, {"members": list("lmnopq")}, {"members": list("rstuvwx")}]
    assert [r["count"] for r in chart_data.cluster_sizes(clusters)] == [2, 1, 1, 2]
    root = _svg(cd.cluster_sizes_svg(clusters))
    assert "econn-chart-clusters" in _classes(root)
    bars = _counts(root, "econn-chart-bar")
    assert bars == {"2 tiers": 2, "3 tiers": 1, "4 tiers": 1, "5 tiers et plus": 2}
    heights = _rects(root, "econn-chart-bar", "height")
    assert heights[0] == heights[3] == 2 * heights[1]


def test_pair_evidence_of_a_fuzzy_pair() -> None:
    cluster = {"members": [HOSTILE, "B"], "evidence": [{"pair": [HOSTILE, "B"], "score": 0.93, "fields": [
        {"field": "last_name", "label": "nom", "level": "identique", "similarity": 1.0},
        {"field": "first_name", "label": "prénom", "level": "proche", "similarity": 0.91},
        {"field": "email", "label": "e-mail", "level": "différent"},
        {"field": "phone", "label": "téléphone fixe", "level": "identique"}]}]}
    pairs = chart_data.pair_evidence(cluster)
    assert [(f["label"], f["similarity"], f["measured"]) for f in pairs[0]["fields"]] == [
        ("nom", 1.0, True), ("prénom", 0.91, True), ("e-mail", 0.0, False), ("téléphone fixe", 1.0, False)]
    html = cd.cluster_evidence_html(cluster)
    assert HOSTILE not in html
    root = _svg(html[html.index("<svg"):html.rindex("</svg>") + 6])
    assert "econn-chart-evidence" in _classes(root)
    assert root.get("aria-label") == f"Indices {HOSTILE} / B (score 93{NBSP}%)"
    rows = {g.get("data-field"): g.get("data-level") for g in _groups(root, "econn-chart-row")}
    assert rows == {"nom": "identique", "prénom": "proche", "e-mail": "différent",
                    "téléphone fixe": "identique"}
    texts = _texts(root)
    assert f"proche · 91{NBSP}%" in texts and "différent" in texts


def test_pair_evidence_of_a_simple_cluster_lists_the_shared_keys() -> None:
    cluster = {"id": "S0001", "members": ["JARDI", "JARDI01"], "score": 1.0, "evidence": "…", "keep": "JARDI",
               "codes": ["CLI-DUP-NOMCP", "CLI-DUP-SIRET", "CLI-DUP-TEL"]}
    root = _svg(cd.pair_evidence_svg(chart_data.pair_evidence(cluster)[0]))
    assert [g.get("data-field") for g in _groups(root, "econn-chart-row")] == ["nom + code postal", "SIRET",
                                                                                "téléphone"]


def test_more_pairs_than_drawn() -> None:
    ev = [{"pair": [f"A{i}", f"B{i}"], "score": 0.9, "fields": [{"label": "nom", "level": "identique",
                                                                   "similarity": 1.0}]} for i in range(5)]
    html = cd.cluster_evidence_html({"members": [], "evidence": ev})
    assert html.count("<svg") == cd.MAX_PAIRS and "… et 2 autres paires détaillées dans les indices" in html


def test_price_anomalies_on_the_demo(demo_template: Path) -> None:
    result = registry.run("grilles-prix", demo_template, today=TODAY)
    expected = Counter(f.code for f in result.findings if f.code.startswith("PRIX-"))
    root = _svg(cd.result_chart_html(result))
    assert "econn-chart-price-anomalies" in _classes(root)
    drawn = _counts(root, "econn-chart-row", "data-code")
    assert drawn == dict(expected) and drawn["PRIX-COUT"] == 4
    groups = [t.text for t in root.iter(f"{SVG}text") if "econn-chart-group" in (t.get("class") or "")]
    assert groups == ["Doublons et conflits", "Dates", "Prix et remises", "Règles orphelines"]
    assert "PRIX-COUT — Prix sous le coût" in _texts(root)
    families = {f["family"]: f["count"] for f in chart_data.price_families(result.findings)}
    assert sum(families.values()) == sum(expected.values())


def test_result_chart_by_diagnostic(demo_template: Path) -> None:
    dup = registry.run("doublons-complet", demo_template)
    root = _svg(cd.result_chart_html(dup))
    bars = _counts(root, "econn-chart-bar")
    sizes = Counter(min(len(c["members"]), 5) for c in dup.clusters)
    assert sum(bars.values()) == len(dup.clusters) and bars["2 tiers"] == sizes[2]
    assert cd.result_chart_html(DiagnosticResult("tva")) == ""


# --- in the pages ----------------------------------------------------------------------------------------


def test_diagnostics_page_shows_the_charts(demo_workspace: Path) -> None:
    from econn.ui.diagnostics import DiagnosticsPage

    page = DiagnosticsPage(demo_workspace)
    page.name.value = "doublons-complet"
    page.run_button.click()
    assert "econn-diag-chart" in page.chart._dom_classes
    assert "econn-chart-clusters" in page.chart.value
    detail = page.cluster_detail.value
    assert "econn-evidence-charts" in detail and "econn-chart-evidence" in detail
    page.name.value = "grilles-prix"
    page.run_button.click()
    assert "econn-chart-price-anomalies" in page.chart.value
    page.name.value = "tva"
    page.run_button.click()
    assert page.chart.value == ""


def test_reception_recap_shows_the_documents_share(demo_workspace: Path) -> None:
    from econn.ui.reception import ReceptionPage

    page = ReceptionPage(demo_workspace)
    page.connector.value = "CSV"
    page.file.value = min((demo_workspace / "connecteurs" / "CSV" / "import").glob("*.csv")).name
    steps = page.steps
    steps.analyze()
    counts = chart_data.sum_counts(fa.counts() for fa in steps.files)
    markup = steps.recap_counts.value
    svg = markup[markup.index("<svg"):markup.index("</svg>") + 6]
    parts = _counts(_svg(svg), "econn-chart-part")
    assert parts["Intégrables"] == counts["new"] == 5 and parts["Bloqués"] == counts["blocked"] == 5
    assert parts["En attente"] == 1 and parts["Déjà intégrés"] == counts["existing"]
