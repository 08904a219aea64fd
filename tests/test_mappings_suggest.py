"""Suggestions against a workspace's GC values, domain by domain."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_mappings_helpers import CONNECTOR, fill_gc

from econn import store
from econn.mappings import UnknownDomainError, suggest
from econn.mappings.suggestion import NEAR_PREFIX


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One GC workspace shared by the module's read-only tests."""
    path = tmp_path_factory.mktemp("gc") / "ws"
    store.init_store(path)
    return fill_gc(path)


def best(ws: Path, domain: str, value: str, **kw: object):  # noqa: ANN201
    found = suggest(ws, CONNECTOR, domain, [value], **kw)[value]
    return found[0] if found else None


def test_tva_label_rate_ignores_the_code_digit(ws: Path) -> None:
    s = best(ws, "tva", "V2 - 20 %")
    assert s.gc_value == "V3"  # the 2 of V2 is a code: GC V2 is the 10 % code
    assert "20 %" in s.reason and 0.5 < s.score < 1


@pytest.mark.parametrize(("label", "code"), [
    ("TVA 5,5%", "V1"), ("FR TVA 20%", "V3"), ("Exonéré", "E0"), ("Livraison intracommunautaire", "E0"),
    ("Export hors UE", "X0"), ("TVA non applicable, art. 293 B du CGI", "N0"), ("V3", "V3"),
    ("TVA normale 20 %", "V3"),
])
def test_tva(ws: Path, label: str, code: str) -> None:
    assert best(ws, "tva", label).gc_value == code


def test_tva_exact_code_beats_rate(ws: Path) -> None:
    found = suggest(ws, CONNECTOR, "tva", ["V3"])["V3"]
    assert found[0].score == 1.0 and found[0].kind == "exact"


def test_tva_country_breaks_ties(ws: Path) -> None:
    tied = suggest(ws, CONNECTOR, "tva", ["IVA 21%"])["IVA 21%"]
    assert {s.gc_value for s in tied[:2]} == {"ES21", "BE21"} and tied[0].score == tied[1].score
    assert "2 codes GC possibles" in tied[0].reason
    assert best(ws, "tva", "IVA 21%", country="Espagne").gc_value == "ES21"


def test_tva_taux_normal_needs_a_country(ws: Path) -> None:
    assert suggest(ws, CONNECTOR, "tva", ["Taux normal"])["Taux normal"] == []
    s = best(ws, "tva", "Taux normal", country="FR")
    assert s.gc_value == "V3" and "standard" in s.reason


def test_tva_inactive_code_is_not_proposed(ws: Path) -> None:
    assert best(ws, "tva", "TVA 19,6 %") is None


@pytest.mark.parametrize(("unit", "code", "min_score"), [
    ("UNI", "UNI", 1.0), ("Bouteille", "BOU", 0.9), ("bouteilles", "BOU", 0.7), ("Kilo", "KG", 0.9),
    ("m²", "M2", 0.9), ("douzaine", "DZ", 0.9), ("pièce", "UNI", 0.7), ("L", "L", 1.0),
])
def test_unite(ws: Path, unit: str, code: str, min_score: float) -> None:
    s = best(ws, "unite", unit)
    assert s.gc_value == code and s.score >= min_score


def test_unite_inactive_or_unknown(ws: Path) -> None:
    assert best(ws, "unite", "carton") is None  # CT exists but is inactive
    assert best(ws, "unite", "furlong") is None


@pytest.mark.parametrize(("text", "code"), [
    ("Hollande", "NL"), ("EL", "GR"), ("Réunion", "RE"), ("royaume uni", "GB"), ("Deutschland", "DE"),
    ("Allemgne", "DE"), ("Guadeloupe", "FR"), ("fr", "FR"),
])
def test_pays(ws: Path, text: str, code: str) -> None:
    assert best(ws, "pays", text).gc_value == code


def test_pays_reasons(ws: Path) -> None:
    assert "préfixe TVA" in best(ws, "pays", "EL").reason
    assert "outre-mer" in best(ws, "pays", "Guadeloupe").reason
    assert best(ws, "pays", "Espagne") is None  # a real country the GC does not list


@pytest.mark.parametrize(("text", "code"), [
    ("CB", "CB"), ("Carte Bleue", "CB"), ("Visa", "CB"), ("Shopify Payments", "CB"), ("PayPal", "PP"),
    ("Bank transfer", "VIR"), ("Virement bancaire", "VIR"), ("chèque", "CHQ"), ("Cheque", "CHQ"),
    ("Paypall", "PP"),
])
def test_reglement(ws: Path, text: str, code: str) -> None:
    assert best(ws, "reglement", text).gc_value == code


def test_reglement_none(ws: Path) -> None:
    assert best(ws, "reglement", "Bitcoin") is None
    assert best(ws, "reglement", "Traite") is None  # the GC method is inactive


def test_article_exact_near_ean_label(ws: Path) -> None:
    res = suggest(ws, CONNECTOR, "article", ["12AB", "0012-ab", "12 ab", "376 0001 234565", "OLD1", "ZZZ"],
                  labels={"ZZZ": "pot miel toutes fleurs"})
    assert res["12AB"][0].score == 1.0 and res["12AB"][0].kind == "exact"
    near = res["0012-ab"][0]
    assert near.gc_value == "12AB" and near.kind == "near" and near.score < 1
    assert near.reason.startswith(NEAR_PREFIX) and "ART-NEAR" in near.reason and not near.bulk_acceptable
    assert res["12 ab"][0].kind == "near"
    assert res["376 0001 234565"][0].gc_value == "12AB" and "EAN" in res["376 0001 234565"][0].reason
    assert res["OLD1"][0].score < 0.5 and "sommeil" in res["OLD1"][0].reason
    lab = res["ZZZ"][0]
    assert lab.gc_value == "12AB" and lab.kind == "fuzzy" and lab.score <= 0.6


def test_article_label_similarity_is_not_everything(ws: Path) -> None:
    assert suggest(ws, CONNECTOR, "article", ["Tondeuse à gazon"])["Tondeuse à gazon"] == []


def test_tiers_strings(ws: Path) -> None:
    res = suggest(ws, CONNECTOR, "tiers", ["Pierre.Guenand@example.fr", "0033 6 41 21 58 74",
                                           "famille.martin@example.fr", "732 829 320 00074"])
    assert res["Pierre.Guenand@example.fr"][0].gc_value == "GUEPI"
    assert res["0033 6 41 21 58 74"][0].gc_value == "GUEPI"
    amb = res["famille.martin@example.fr"]
    assert {s.gc_value for s in amb} == {"MART1", "MART2"} and all(s.kind == "ambigu" for s in amb)
    assert res["732 829 320 00074"][0].gc_value == "ACME"


def test_unknown_domain(ws: Path) -> None:
    with pytest.raises(UnknownDomainError) as exc:
        suggest(ws, CONNECTOR, "devise", ["EUR"])
    assert "devise" in exc.value.message_fr


def test_empty_values(ws: Path) -> None:
    assert suggest(ws, CONNECTOR, "pays", []) == {}
