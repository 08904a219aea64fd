"""econn.duplicates: each duplicate pattern is found, each hard negative is not."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from econn.duplicates import find_duplicates

ROLES = {"company": "societe", "last_name": "nom", "first_name": "prenom", "email": "email", "phone": "tel",
         "mobile": "mobile", "address": "adresse", "postal_code": "cp", "city": "ville", "siret": "siret",
         "birth_date": "naissance"}
COLS = ["id", *ROLES.values()]


def table(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame([{c: r.get(c) for c in COLS} for r in rows])


def pairs(df: pd.DataFrame, roles: dict[str, str] | None = None, **kw: object) -> set[frozenset[str]]:
    res = find_duplicates(df, roles or {k: v for k, v in ROLES.items() if v in df.columns}, **kw)
    return {frozenset(p) for p in zip(res.pairs["id_l"], res.pairs["id_r"], strict=True)}


def person(i: str, nom: str, prenom: str, **kw: str) -> dict:
    base = {"id": i, "nom": nom, "prenom": prenom, "cp": "44000", "ville": "Nantes"}
    return {**base, **kw}


POSITIVES = {
    "typo + accent + bd": (
        person("a", "Girard", "Stéphane", email="s.girard@orange.fr", mobile="06 11 72 84 35",
               adresse="12 boulevard des Anglais"),
        person("b", "Girrard", "Stephane", email="stephane.girrard@gmail.com", adresse="12 bd des Anglais")),
    "swapped names + av.": (
        person("a", "Laurent", "Nicolas", tel="03 26 47 85 21", adresse="27 avenue Foch"),
        person("b", "Nicolas", "Laurent", adresse="27 av. Foch")),
    "ligature": (
        person("a", "Lœuillet", "Agnès", adresse="5 allée des Acacias", ville="Marcq-en-Barœul"),
        person("b", "Loeuillet", "Agnes", adresse="5 allee des Acacias", ville="Marcq-en-Baroeul")),
    "phone formats": (
        person("a", "Marchand", "Julien", mobile="06 12 34 56 78", adresse="40 boulevard Voltaire", cp="75011"),
        person("b", "Marchand", "Julien", mobile="0033 6 12 34 56 78", adresse="5 quai Saint-Vincent", cp="69001")),
    "phone +33": (
        person("a", "Marchand", "Julien", mobile="06.12.34.56.78", adresse="40 boulevard Voltaire", cp="75011"),
        person("b", "Marchand", "Julien", tel="+33 6 12 34 56 78", adresse="5 quai Saint-Vincent", cp="69001")),
    "street abbreviation": (
        person("a", "Rousseau", "Bernard", adresse="3 place du Théâtre", mobile="06 58 02 93 17"),
        person("b", "Rousseau", "Bernard", adresse="3 pl. du Théâtre", tel="03 20 55 14 78")),
    "married name": (
        person("a", "Durand", "Claire", email="claire.durand@free.fr", naissance="12/03/1985",
               adresse="8 rue des Lilas"),
        person("b", "Morel", "Claire", email="claire.durand@free.fr", naissance="12/03/1985",
               adresse="14 rue Pasteur", cp="35000")),
    "legal form": (
        {"id": "a", "societe": "SARL Les Jardins de Provence", "adresse": "145 avenue Victor Hugo", "cp": "13100",
         "tel": "04 42 27 51 66"},
        {"id": "b", "societe": "Les Jardins de Provence", "adresse": "145 av. Victor Hugo", "cp": "13100"}),
    "same siret": (
        {"id": "a", "societe": "SAS Optique Lenoir", "siret": "51234876000017", "cp": "59000"},
        {"id": "b", "societe": "Optique Lenoir", "siret": "512 348 760 00017", "cp": "59000"}),
}

NEGATIVES = {
    "household, shared landline": (
        person("a", "Dubois", "Marc", tel="03 21 45 67 89", mobile="06 27 81 40 56", adresse="8 rue des Lilas"),
        person("b", "Dubois", "Claire", tel="03 21 45 67 89", mobile="07 66 12 09 84", adresse="8 rue des Lilas")),
    "household, family e-mail": (
        person("a", "Petit", "Lucas", email="famille.petit@free.fr", adresse="21 chemin du Moulin"),
        person("b", "Petit", "Sophie", email="famille.petit@free.fr", adresse="21 chem. du Moulin")),
    "household, Louis / Louise": (
        person("a", "Roy", "Louis", tel="02 40 11 22 33", adresse="3 rue Pasteur"),
        person("b", "Roy", "Louise", tel="02 40 11 22 33", adresse="3 rue Pasteur")),
    "namesakes in two cities": (
        person("a", "Martin", "Jean", email="jean.martin13@gmail.com", cp="13001", ville="Marseille",
               adresse="10 rue Paradis"),
        person("b", "Martin", "Jean", email="jmartin@orange.fr", cp="67000", ville="Strasbourg",
               adresse="4 quai des Bateliers")),
    "namesakes in one city": (
        person("a", "Martin", "Jean", email="jean.martin75@gmail.com", mobile="06 03 52 71 48", cp="75011",
               adresse="10 rue Oberkampf"),
        person("b", "Martin", "Jean", email="jmartin@orange.fr", mobile="07 58 44 20 13", cp="75011",
               adresse="52 boulevard Voltaire")),
    "two establishments": (
        {"id": "a", "societe": "SAS Cave Dupont Frères", "siret": "43298765400015", "cp": "33000",
         "adresse": "8 rue Sainte-Catherine"},
        {"id": "b", "societe": "SAS Cave Dupont Frères", "siret": "43298765400023", "cp": "33500",
         "adresse": "31 quai du Priourat"}),
    "shared accountant e-mail": (
        {"id": "a", "societe": "SARL Garage Moreau", "email": "compta@cabinet-lefort.fr", "cp": "80000"},
        {"id": "b", "societe": "EURL Fleurs d’Aurélie", "email": "compta@cabinet-lefort.fr", "cp": "60000"}),
}


@pytest.mark.parametrize("case", POSITIVES)
def test_positive_patterns_are_found(case: str) -> None:
    assert pairs(table(*POSITIVES[case])) == {frozenset("ab")}


@pytest.mark.parametrize("case", NEGATIVES)
def test_hard_negatives_are_not_duplicates(case: str) -> None:
    assert pairs(table(*NEGATIVES[case])) == set()


def test_household_and_establishments_are_reported_as_distinct() -> None:
    df = table(*NEGATIVES["household, shared landline"])
    res = find_duplicates(df, {k: v for k, v in ROLES.items()})
    assert res.distinct["reason"].tolist() == ["foyer"]
    df = table(*NEGATIVES["two establishments"])
    assert find_duplicates(df, ROLES).distinct["reason"].tolist() == ["établissements"]


def test_namesakes_are_reported_as_homonyms() -> None:
    res = find_duplicates(table(*NEGATIVES["namesakes in two cities"]), ROLES)
    assert res.distinct["reason"].tolist() == ["homonyme"]


def test_only_name_and_city() -> None:
    df = pd.DataFrame({"id": [1, 2, 3, 4], "nom": ["Girard", "Girrard", "Martin", "Martin"],
                       "prenom": ["Stéphane", "Stephane", "Jean", "Jean"],
                       "ville": ["Nantes", "NANTES", "Paris", "Lyon"]})
    got = pairs(df, {"last_name": "nom", "first_name": "prenom", "city": "ville"})
    assert got == {frozenset({"1", "2"})}


def test_only_email() -> None:
    df = pd.DataFrame({"id": ["x", "y", "z"], "mail": ["A.B@Free.fr ", "a.b@free.fr", "c@free.fr"]})
    assert pairs(df, {"email": "mail"}, mode="simple") == {frozenset("xy")}
    assert find_duplicates(df, {"email": "mail"}).pairs.shape[0] <= 1


def test_simple_mode_is_exact_keys() -> None:
    df = table(*POSITIVES["phone formats"], person("c", "Girard", "Stéphane", adresse="1 rue X"),
               person("d", "Girrard", "Stephane", adresse="1 rue X"))
    res = find_duplicates(df, ROLES, mode="simple")
    got = {frozenset(p) for p in zip(res.pairs["id_l"], res.pairs["id_r"], strict=True)}
    assert got == {frozenset("ab")}  # the typo is not an exact key collision
    assert res.pairs["evidence"][0][0]["field"] == "telephone"


def test_clusters_keep_and_differing_fields() -> None:
    a = person("a", "Marchand", "Julien", mobile="06 12 34 56 78", email="julien.marchand@gmail.com",
               adresse="40 boulevard Voltaire", cp="75011", ville="Paris")
    b = person("b", "Marchand", "Julien", mobile="+33 6 12 34 56 78", cp="69001", ville="Lyon")
    c = person("c", "MARCHAND", "Julien", mobile="0033 6 12 34 56 78", email="julien.marchand@gmail.com",
               cp="33000", ville="Bordeaux")
    res = find_duplicates(table(a, b, c), ROLES)
    assert len(res.clusters) == 1
    cl = res.clusters[0]
    assert cl["members"] == ["a", "b", "c"]
    assert cl["keep"] == "a"  # the most complete
    fields = {d["field"] for d in cl["differing"]}
    assert {"postal_code", "city", "mobile", "last_name"} <= fields
    assert 0.5 <= cl["score"] <= 1.0 and cl["evidence"]


def test_chained_cluster_is_split() -> None:
    # a–b share a mobile, b–c share an e-mail, but a and c have different first names and birth dates.
    a = person("a", "Leroy", "Paul", mobile="06 10 20 30 40", naissance="01/01/1980", adresse="1 rue A")
    b = person("b", "Leroy", "Paul", mobile="06 10 20 30 40", email="p.leroy@free.fr", adresse="1 rue A")
    c = person("c", "Leroy", "Pauline", email="p.leroy@free.fr", naissance="05/05/1990", adresse="1 rue A")
    res = find_duplicates(table(a, b, c), ROLES)
    assert all(set(cl["members"]) != {"a", "b", "c"} for cl in res.clusters)


def test_roles_are_checked() -> None:
    with pytest.raises(ValueError):
        find_duplicates(pd.DataFrame({"id": [1]}), {"nickname": "id"})
    with pytest.raises(ValueError):
        find_duplicates(pd.DataFrame({"id": [1]}), {"email": "mail"})


def test_f1_on_generated_table() -> None:
    sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
    from gen_customers import generate, truth_pairs

    df = generate(2000, seed=11)
    truth = truth_pairs(df)
    roles = {"company": "societe", "last_name": "nom", "first_name": "prenom", "email": "email",
             "phone": "telephone", "mobile": "mobile", "address": "adresse", "postal_code": "code_postal",
             "city": "ville", "siret": "siret", "vat_number": "tva", "birth_date": "date_naissance"}
    res = find_duplicates(df, roles)
    found = {tuple(sorted(p)) for p in zip(res.pairs["id_l"], res.pairs["id_r"], strict=True)}
    tp = len(found & truth)
    f1 = 2 * tp / (len(found) + len(truth))
    assert f1 >= 0.95
