"""Tiers matching: identifiers, homonyms, shared identifiers, creation."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from test_mappings_helpers import CONNECTOR, fill_gc

from econn.mappings.correspondences import set_mapping
from econn import store
from econn.mappings import match_tiers
from econn.mappings.tiers import norm_phone, norm_siret, norm_vat


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One GC workspace shared by the module's read-only tests."""
    path = tmp_path_factory.mktemp("gc") / "ws"
    store.init_store(path)
    return fill_gc(path)


def one(ws: Path, **record: object) -> pd.Series:
    return match_tiers(ws, CONNECTOR, pd.DataFrame([record])).iloc[0]


@pytest.mark.parametrize("phone", ["06 41 21 58 74", "+33641215874", "0033 6 41 21 58 74",
                                   "+33 (0)6.41.21.58.74"])
def test_phone_spellings_are_one_key(ws: Path, phone: str) -> None:
    assert norm_phone(phone) == "+33641215874"
    r = one(ws, code_ext="X", phone=phone, nom="Autre")
    assert (r.status, r.gc_code) == ("match", "GUEPI")
    assert "+33641215874" in r.evidence


def test_phone_without_prefix_is_not_a_foreign_number() -> None:
    assert norm_phone("+33 4 72 00 00 00") == norm_phone("04 72 00 00 00")
    assert norm_phone("+32 4 72 00 00 00") != norm_phone("04 72 00 00 00")
    assert norm_phone("12") is None and norm_phone("abc") is None


def test_email_is_normalised(ws: Path) -> None:
    r = one(ws, email="  Pierre.GUENAND@example.FR ")
    assert (r.status, r.gc_code) == ("match", "GUEPI") and r.score >= 0.9


def test_siret_with_spaces_and_siren(ws: Path) -> None:
    assert norm_siret("732 829 320 00074") == ("73282932000074", "732829320")
    assert one(ws, siret="732 829 320 00074").gc_code == "ACME"
    other = one(ws, siret="732 829 320 00082", societe="Acme Lyon")  # another establishment
    assert other.status == "match" and other.gc_code == "ACME" and other.score < 0.9
    assert "SIREN" in other.reason


@pytest.mark.parametrize("vat", ["EL 094 259 216", "el094259216", "GR094259216"])
def test_greek_vat_numbers(ws: Path, vat: str) -> None:
    assert norm_vat(vat) == "EL094259216"
    assert one(ws, vat=vat).gc_code == "HELL"


def test_french_vat_number_gives_the_siren(ws: Path) -> None:
    assert one(ws, vat="FR 40 732829320").gc_code == "ACME"


def test_homonym_is_not_a_match(ws: Path) -> None:
    r = one(ws, code_ext="W99", nom="Dupont", prenom="Jean", code_postal="33000", email="jd@autre.fr")
    assert r.status == "homonym" and r.gc_code == "DUPJ" and r.score <= 0.5
    assert r.reason.startswith("Homonyme") and "créer" in r.reason
    swapped = one(ws, nom="JEAN", prenom="Dupont", code_postal="75001")  # swapped names, other CP
    assert swapped.status == "homonym" and swapped.score < r.score


def test_identifier_beats_a_different_name(ws: Path) -> None:
    r = one(ws, nom="Dupont", prenom="Jean", email="jean.dupont@example.fr")
    assert (r.status, r.gc_code) == ("match", "DUPJ")


def test_shared_email_is_ambiguous(ws: Path) -> None:
    r = one(ws, email="famille.martin@example.fr", nom="Martin", prenom="Paul")
    assert r.status == "ambigu" and r.gc_code is None
    assert set(r.candidates) == {"MART1", "MART2"} and "CLI-SHARED" in r.reason


def test_identifiers_pointing_to_two_tiers_are_ambiguous(ws: Path) -> None:
    r = one(ws, email="pierre.guenand@example.fr", phone="03 21 00 00 01")
    assert r.status == "ambigu" and set(r.candidates) == {"GUEPI", "RYCMI"}


def test_stored_external_code_comes_first(workspace: Path) -> None:
    ws = fill_gc(workspace)  # writes: its own workspace
    set_mapping(ws, CONNECTOR, "tiers", "DERYCKE.MICHEL@FR", "RYCMI")
    r = one(ws, code_ext="DERYCKE.MICHEL@FR", email="pierre.guenand@example.fr")
    assert (r.status, r.gc_code, r.score) == ("match", "RYCMI", 1.0)
    assert "GUEPI" in r.reason  # the conflicting e-mail is reported


def test_create_and_inactive(ws: Path) -> None:
    assert one(ws, nom="Nouveau", prenom="Client", email="new@x.fr").status == "create"
    assert one(ws, email="sam@example.fr").status == "create"  # the GC tiers is in sommeil


def test_many_records_keep_their_index(ws: Path) -> None:
    recs = pd.DataFrame({"email": ["pierre.guenand@example.fr", None, "p.andre@example.fr"],
                         "nom": ["x", "Inconnu", None]}, index=[10, 20, 30])
    res = match_tiers(ws, CONNECTOR, recs)
    assert list(res.index) == [10, 20, 30]
    assert list(res["status"]) == ["match", "create", "match"]
    assert list(res["gc_code"].fillna("-")) == ["GUEPI", "-", "ANDPA"]
