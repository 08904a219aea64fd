"""Correspondence storage: set, suggestions, bulk acceptance, resolution, stale mappings."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from test_mappings_helpers import CONNECTOR, fill_gc

from econn.mappings import correspondences as cor
from econn import store


@pytest.fixture
def ws(workspace: Path) -> Path:
    return fill_gc(workspace)


def row(ws: Path, domain: str, value: str) -> dict:
    df = cor.get(ws, CONNECTOR, domain)
    hit = df[df["external_value"] == value]
    assert len(hit) == 1, f"{value} not stored"
    return hit.iloc[0].to_dict()


def test_set_mapping_and_get(ws: Path) -> None:
    cor.set_mapping(ws, CONNECTOR, "tva", "V2 - 20 %", "V3", user="alice")
    r = row(ws, "tva", "V2 - 20 %")
    assert (r["gc_value"], r["state"], r["origin"], r["updated_by"]) == ("V3", "valide", "manuelle", "alice")
    cor.set_mapping(ws, CONNECTOR, "tva", "V2 - 20 %", "V1")  # replaces
    assert row(ws, "tva", "V2 - 20 %")["gc_value"] == "V1"


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"domain": "tva", "gc": "V99"}, "absente"),
    ({"domain": "tva", "gc": "V9"}, "sommeil"),
    ({"domain": "unite", "gc": "CT"}, "sommeil"),
    ({"domain": "devise", "gc": "EUR"}, "inconnu"),
    ({"domain": "pays", "gc": "FR", "connector": "NOPE"}, "connecteur inconnu"),
    ({"domain": "pays", "gc": "FR", "state": "ok"}, "état inconnu"),
    ({"domain": "pays", "gc": None}, "demande une valeur GC"),
    ({"domain": "pays", "gc": "FR", "state": "aucune"}, "ne prend pas"),
])
def test_set_mapping_refuses(ws: Path, kwargs: dict, words: str) -> None:
    with pytest.raises(Exception) as exc:
        cor.set_mapping(ws, kwargs.get("connector", CONNECTOR), kwargs["domain"], "x", kwargs["gc"],
                        state=kwargs.get("state", "valide"))
    assert words in exc.value.message_fr
    assert cor.get(ws).empty


def test_record_suggestions_keeps_human_decisions(ws: Path) -> None:
    cor.set_mapping(ws, CONNECTOR, "pays", "Hollande", "DE")  # a deliberate (odd) human choice
    cor.set_mapping(ws, CONNECTOR, "pays", "Atlantide", None, state="aucune")
    n = cor.record_suggestions(ws, CONNECTOR, "pays", ["Hollande", "EL", "Atlantide", "Mordor", "EL"])
    assert n == 2
    assert row(ws, "pays", "Hollande")["gc_value"] == "DE"
    el = row(ws, "pays", "EL")
    assert (el["gc_value"], el["state"], el["origin"]) == ("GR", "suggere", "suggestion")
    assert 0 < el["score"] < 1 and "Grèce" in el["reason"]
    assert row(ws, "pays", "Mordor")["state"] == "aucune"  # checked, nothing found ≠ non_verifie
    # Running again refreshes suggestions, still without touching human rows.
    assert cor.record_suggestions(ws, CONNECTOR, "pays", ["EL", "Hollande"]) == 1


def test_record_suggestions_tiers_records(ws: Path) -> None:
    recs = pd.DataFrame([
        {"code_ext": "C1", "phone": "0033 6 41 21 58 74"},
        {"code_ext": "C2", "email": "famille.martin@example.fr"},
        {"code_ext": "C3", "nom": "Dupont", "prenom": "Jean", "code_postal": "33000"},
        {"code_ext": "C4", "nom": "Neuf", "email": "neuf@x.fr"},
    ])
    assert cor.record_suggestions(ws, CONNECTOR, "tiers", recs) == 4
    assert (row(ws, "tiers", "C1")["gc_value"], row(ws, "tiers", "C1")["state"]) == ("GUEPI", "suggere")
    c2 = row(ws, "tiers", "C2")
    assert c2["state"] == "non_verifie" and pd.isna(c2["gc_value"]) and "MART1" in c2["reason"]
    assert row(ws, "tiers", "C3")["reason"].startswith("Homonyme")
    assert row(ws, "tiers", "C4")["state"] == "a_creer"


def test_bulk_accept_threshold_and_never_near_or_homonym(ws: Path) -> None:
    cor.record_suggestions(ws, CONNECTOR, "article", ["12AB", "0012-ab", "AOP VIN EFFERVESCENT 2015"])
    cor.record_suggestions(ws, CONNECTOR, "tiers", pd.DataFrame([
        {"code_ext": "H", "nom": "Dupont", "prenom": "Jean", "code_postal": "33000"}]))
    near = row(ws, "article", "0012-ab")
    assert near["state"] == "suggere" and near["gc_value"] == "12AB"
    assert cor.bulk_accept(ws, CONNECTOR, "article", 0.99) == 1  # only the identical code
    assert row(ws, "article", "12AB")["state"] == "valide"
    assert row(ws, "article", "AOP VIN EFFERVESCENT 2015")["state"] == "suggere"
    assert cor.bulk_accept(ws, CONNECTOR, "article", 0.01) == 1  # the label match, never the near one
    assert row(ws, "article", "0012-ab")["state"] == "suggere"
    assert cor.bulk_accept(ws, CONNECTOR, "tiers", 0.01) == 0  # homonym stays for a human
    with pytest.raises(cor.MappingError):
        cor.bulk_accept(ws, CONNECTOR, "article", 0)


def test_resolve(ws: Path) -> None:
    cor.set_mapping(ws, CONNECTOR, "pays", "Hollande", "NL")
    cor.set_mapping(ws, CONNECTOR, "article", "SKU-1", "MIEL")
    cor.set_mapping(ws, CONNECTOR, "article", "SKU-1", "COUSS", variant="rouge")
    cor.record_suggestions(ws, CONNECTOR, "pays", ["EL"])
    got = cor.resolve(ws, CONNECTOR, "pays", ["Hollande", "FR", "fr", "Allemagne", "Germany", "DEU", "EL",
                                             "Pays Bas", "Deutschland", "Espagne"])
    assert got == {"Hollande": "NL", "FR": "FR", "fr": "FR", "Allemagne": "DE", "Germany": "DE", "DEU": "DE",
                   "EL": None, "Pays Bas": "NL", "Deutschland": None, "Espagne": None}
    art = cor.resolve(ws, CONNECTOR, "article",
                      ["SKU-1", ("SKU-1", "rouge"), ("SKU-1", "bleu"), "12AB", "0012-ab"])
    # an article needs a validated correspondence, even when the SKU equals a GC code (ARRO in the manual)
    assert art == {"SKU-1": "MIEL", ("SKU-1", "rouge"): "COUSS", ("SKU-1", "bleu"): "MIEL", "12AB": None,
                   "0012-ab": None}
    assert cor.resolve(ws, CONNECTOR, "tva", ["V3", "V9"]) == {"V3": "V3", "V9": None}  # other domains: GC code applies
    assert cor.resolve(ws, "SHOP", "pays", ["Hollande"]) == {"Hollande": None}  # per connector


def test_stale(ws: Path) -> None:
    cor.set_mapping(ws, CONNECTOR, "article", "SKU-1", "MIEL")
    cor.set_mapping(ws, CONNECTOR, "tva", "TVA 20", "V3")
    cor.set_mapping(ws, CONNECTOR, "tiers", "C9", "DUPJ")
    cor.set_mapping(ws, CONNECTOR, "pays", "Hollande", "NL")
    cor.set_mapping(ws, CONNECTOR, "reglement", "CB", "CB")
    assert cor.stale(ws) == []
    with store.transaction(ws) as con:
        con.execute("UPDATE articles SET actif = false WHERE code = 'MIEL'")
        con.execute("DELETE FROM tva_codes WHERE code = 'V3'")
        con.execute("UPDATE tiers SET actif = false WHERE code = 'DUPJ'")
        con.execute("DELETE FROM countries WHERE code = 'NL'")
    found = cor.stale(ws)
    assert {f.code for f in found} == {"COR-STALE"}
    assert {(f.column, f.subject, f.extra["detail"]) for f in found} == {
        ("article", "MIEL", "en sommeil"), ("tva", "V3", "supprimé"), ("tiers", "DUPJ", "en sommeil"),
        ("pays", "NL", "supprimé")}
    assert any("SKU-1" in f.message and "MIEL" in f.message for f in found)
    assert cor.resolve(ws, CONNECTOR, "tva", ["TVA 20"]) == {"TVA 20": None}
