"""Diagnostic « doublon de clients simple »: key collisions, households, shared contacts, invalid values."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_diag_helpers import base, sql, subjects

from econn.diagnostics import duplicates_simple
from econn.findings import Level

COLS = "(code, type, societe, nom, prenom, email, telephone, mobile, adresse1, code_postal, ville, siret, created_at)"


@pytest.fixture
def ws(workspace: Path) -> Path:
    base(workspace)
    sql(workspace, "INSERT INTO connectors (code) VALUES ('SHOP2')")
    return workspace


def tiers(ws: Path, *rows: str) -> None:
    sql(ws, *(f"INSERT INTO tiers {COLS} VALUES {r}" for r in rows))


def run(ws: Path) -> duplicates_simple.DiagnosticResult:
    return duplicates_simple.run(ws)


def test_clean_tiers_produce_nothing(ws: Path) -> None:
    tiers(ws,
          "('A1', 'client', NULL, 'Martin', 'Jean', 'jean@x.fr', '01 23 45 67 89', NULL, '1 rue A', '75001', 'Paris', "
          "NULL, '2020-01-01')",
          "('A2', 'client', NULL, 'Martin', 'Jean', 'jm@y.fr', NULL, '06 11 22 33 44', '2 rue B', '13001', "
          "'Marseille', NULL, '2020-01-01')",
          "('A3', 'client', 'SAS Alpha', NULL, NULL, 'contact@alpha.fr', NULL, NULL, '3 rue C', '59000', 'Lille', "
          "'73282932000074', '2020-01-01')")
    r = run(ws)
    assert (r.findings, r.clusters) == ([], [])


def test_email_case_and_spaces(ws: Path) -> None:
    tiers(ws,
          "('L1', 'client', NULL, 'Lefebvre', 'Hélène', 'helene@orange.fr', NULL, '06 45 87 12 30', '9 rue des Écoles', "
          "'59000', 'Lille', NULL, '2022-01-01')",
          "('L2', 'client', NULL, 'Lefebvre', 'Hélène', ' Helene@Orange.FR ', NULL, NULL, '9 rue des Ecoles', '59000', "
          "'Lille', NULL, '2021-01-01')")
    r = run(ws)
    assert subjects(r, "CLI-DUP-EMAIL") == {"L1", "L2"}
    [c] = r.clusters
    assert (c["members"], c["score"], c["keep"]) == (["L1", "L2"], 1.0, "L1")  # the more complete one
    assert "helene@orange.fr" in c["evidence"]


def test_phone_e164(ws: Path) -> None:
    tiers(ws, *(f"('M{i}', 'client', NULL, 'Marchand', 'Julien', 'j{i}@x.fr', NULL, '{tel}', '{i} rue X', '{cp}', "
                f"'V', NULL, '2022-01-0{i}')"
                for i, (tel, cp) in enumerate([("06 12 34 56 78", "75011"), ("+33 6 12 34 56 78", "69001"),
                                               ("0033 6 12 34 56 78", "33000")], start=1)))
    r = run(ws)
    assert subjects(r, "CLI-DUP-TEL") == {"M1", "M2", "M3"}
    assert r.clusters[0]["keep"] == "M1"  # equally complete: the oldest


def test_siret_same_and_siren_establishments(ws: Path) -> None:
    tiers(ws,
          "('J1', 'client', 'SARL Jardins', NULL, NULL, 'a@j.fr', NULL, NULL, '1 av. Hugo', '13100', 'Aix', "
          "'51234876400014', '2020-01-01')",
          "('J2', 'client', 'Jardins', NULL, NULL, 'b@j.fr', NULL, NULL, '1 avenue Hugo', '13100', 'Aix', "
          "'512 348 764 00014', '2021-01-01')",
          "('C1', 'client', 'Cave Dupont', NULL, NULL, 'c@d.fr', NULL, NULL, 'x', '33000', 'Bordeaux', "
          "'43298765900013', '2020-01-01')",
          "('C2', 'client', 'Cave Dupont Libourne', NULL, NULL, 'l@d.fr', NULL, NULL, 'y', '33500', 'Libourne', "
          "'43298765900021', '2020-01-01')")
    r = run(ws)
    levels = {(f.subject, f.level) for f in r.findings if f.code == "CLI-DUP-SIRET"}
    assert levels == {("J1", Level.ERREUR), ("J2", Level.ERREUR), ("C1", Level.ALERTE), ("C2", Level.ALERTE)}
    assert [c["members"] for c in r.clusters] == [["J1", "J2"]]  # two establishments are not a cluster


def test_name_fingerprint_and_postcode(ws: Path) -> None:
    tiers(ws,
          "('O1', 'client', NULL, 'Lœuillet', 'Agnès', 'a@x.fr', NULL, NULL, '5 allée', '59700', 'M', NULL, "
          "'2020-01-01')",
          "('O2', 'client', NULL, 'LOEUILLET', 'agnes', 'b@x.fr', NULL, NULL, '5 allee', '59700', 'M', NULL, "
          "'2020-01-01')",
          # Swapped nom / prénom are left to the fuzzy diagnostic.
          "('S1', 'client', NULL, 'Clément', 'Étienne', 'c@x.fr', NULL, NULL, 'a', '33500', 'L', NULL, '2020-01-01')",
          "('S2', 'client', NULL, 'Étienne', 'Clément', 'd@x.fr', NULL, NULL, 'b', '33500', 'L', NULL, '2020-01-01')")
    assert subjects(run(ws), "CLI-DUP-NOMCP") == {"O1", "O2"}


def test_external_code_on_two_tiers(ws: Path) -> None:
    tiers(ws, "('E1', 'client', NULL, 'Un', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '2020-01-01')",
          "('E2', 'client', NULL, 'Deux', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '2020-01-01')")
    sql(ws, "INSERT INTO correspondences (connector, domain, external_value, gc_value, state) VALUES "
            "('SHOP', 'tiers', 'C0001', 'E1', 'valide'), ('SHOP', 'tiers', 'c0001 ', 'E2', 'valide'), "
            "('SHOP2', 'tiers', 'C0001', 'E2', 'valide')")  # another connector's code space
    assert subjects(run(ws), "CLI-DUP-CODEEXT") == {"E1", "E2"}


def test_shared_contact_between_unrelated_tiers(ws: Path) -> None:
    tiers(ws,
          "('G1', 'client', 'SARL Garage Moreau', NULL, NULL, 'compta@cabinet.fr', NULL, NULL, '56 route', '80000', "
          "'Amiens', NULL, '2020-01-01')",
          "('F1', 'client', 'EURL Fleurs', NULL, NULL, 'compta@cabinet.fr', NULL, NULL, '2 rue', '60000', "
          "'Beauvais', NULL, '2020-01-01')")
    r = run(ws)
    assert {(f.code, f.subject, f.level) for f in r.findings} == {
        ("CLI-SHARED", "G1", Level.ERREUR), ("CLI-SHARED", "F1", Level.ERREUR)}
    assert r.clusters == []


@pytest.mark.parametrize("shared", ["telephone", "email"])
def test_household_is_at_most_shared(ws: Path, shared: str) -> None:
    tel = "'03 21 45 67 89'" if shared == "telephone" else "NULL"
    mail2 = "NULL" if shared == "telephone" else "'famille@free.fr'"
    tiers(ws,
          f"('D1', 'client', NULL, 'Dubois', 'Marc', 'famille@free.fr', {tel}, NULL, '8 rue des Lilas', '62300', "
          "'Lens', NULL, '2020-01-01')",
          f"('D2', 'client', NULL, 'Dubois', 'Claire', {mail2}, "
          f"{tel}, NULL, '8 rue des Lilas', '62300', 'Lens', NULL, '2020-01-01')")
    r = run(ws)
    assert {(f.code, f.level) for f in r.findings} == {("CLI-SHARED", Level.ALERTE)}
    assert r.clusters == []


def test_supplier_and_client_are_not_compared(ws: Path) -> None:
    tiers(ws, *(f"('B{i}', '{t}', NULL, 'Berthet', 'Thomas', 't@b.fr', '03 80 22 41 07', NULL, '2 route', '21200', "
                "'Beaune', NULL, '2020-01-01')" for i, t in enumerate(["fournisseur", "client"])))
    assert run(ws).findings == []


def test_invalid_values(ws: Path) -> None:
    tiers(ws,
          "('I1', 'client', NULL, 'Roche', NULL, 'jp.roche@@orange.fr', NULL, NULL, NULL, NULL, NULL, NULL, "
          "'2020-01-01')",
          "('I2', 'client', 'Boucherie', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '12345678900011', "
          "'2020-01-01')",
          "('I3', 'client', NULL, 'Meunier', NULL, NULL, NULL, '06 12 34', NULL, NULL, NULL, NULL, '2020-01-01')")
    r = run(ws)
    assert {(f.subject, f.column) for f in r.findings if f.code == "CLI-INVALID"} == {
        ("I1", "E-mail"), ("I2", "SIRET"), ("I3", "Mobile")}


def test_inactive_tiers_are_ignored(ws: Path) -> None:
    tiers(ws, *(f"('Z{i}', 'client', NULL, 'Zed', 'A', 'z@z.fr', NULL, NULL, NULL, NULL, NULL, NULL, "
                "'2020-01-01')" for i in range(2)))
    sql(ws, "UPDATE tiers SET actif = false WHERE code = 'Z1'")
    assert run(ws).findings == []
