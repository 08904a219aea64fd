"""The findings catalogue: codes of domain.md §4 present, well-formed, each slot typed, checked and rendered."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from econn import findings
from econn.findings import CATALOGUE, SLOTS, Level, SlotError

DOMAIN = Path(__file__).resolve().parents[2] / "shared" / "domain.md"
D = dt.date

# One finding per code, made the way its check makes it: the slots' values, then the message they must give,
# and the finding's subject and value (the « Sujet » and « Valeur » columns of the reports).
EXAMPLES: dict[str, tuple[dict[str, Any], str, str | None, str | None]] = {
    "FIC-ENC": ({"detail": "3 caractère(s) impossible(s) à décoder en cp1252", "source": "c.csv"},
                "Encodage non reconnu ou mélangé : 3 caractère(s) impossible(s) à décoder en cp1252", None,
                "3 caractère(s) impossible(s) à décoder en cp1252"),
    "FIC-NOM": ({"source": "c\\x00.csv", "value": "c\\x00.csv"},
                "Nom de fichier illisible : c\\x00.csv (fichier laissé de côté)", None, "c\\x00.csv"),
    "FIC-LIEN": ({"source": "lien.csv"},
                 "Le fichier lien.csv est un lien vers l'extérieur du dossier d'import : fichier laissé de côté",
                 None, None),
    "FIC-SEP": ({"separator": "tabulation", "source": "c.csv"},
                "Séparateur « tabulation » et décimale déduits du contenu", None, "tabulation"),
    "FIC-COL": ({"column": "N° commande", "value": "N° commande"}, "Colonne obligatoire absente : N° commande",
                None, "N° commande"),
    "FIC-DATE": ({"value": "03/04/2026"}, "Format de date mélangé ou ambigu : 03/04/2026", None, "03/04/2026"),
    "FIC-DUPDOC": ({"document": "CW_0000121_02", "line": 2, "value": "CW_0000121_02"},
                   "Document CW_0000121_02 déjà intégré ou répété dans le fichier", None, "CW_0000121_02"),
    "FIC-SANSLIGNE": ({"value": "Export des commandes Magento (grille)", "source": "m.csv"},
                      "Export des commandes Magento (grille) : une ligne par commande, sans les lignes d'articles ; "
                      "ce fichier ne peut pas être intégré", None, "Export des commandes Magento (grille)"),
    "FIC-SPLIT": ({"document": "A1", "other_files": "b.csv (ligne 3)", "line": 2},
                  "Document A1 réparti sur plusieurs fichiers en attente : lignes aussi dans b.csv (ligne 3)",
                  None, "b.csv (ligne 3)"),
    "FIC-PARTIEL": ({"document": "A1", "previous_file": "a.bak", "line": 2,
                     "detail": "1 ligne dans la GC (n° 42), 1 ligne de ce fichier pas dans la GC"},
                    "Document A1 déjà intégré depuis a.bak avec moins de lignes que ce fichier : 1 ligne dans la "
                    "GC (n° 42), 1 ligne de ce fichier pas dans la GC", "a.bak", None),
    "FIC-ORPH": ({"line": 7, "value": "(n° vide)"}, "Ligne 7 orpheline : sans n° de document", None, "(n° vide)"),
    "FIC-OK": ({"source": "c.csv"}, "Le fichier c.csv est entièrement intégrable", None, None),
    "FIC-REJET": ({"line": 4, "reason": "Guillemet non fermé"}, "Ligne 4 rejetée : Guillemet non fermé", None,
                  "Guillemet non fermé"),
    "FIC-VALEUR": ({"value": "douze", "column": "PU HT", "line": 3},
                   "Valeur « douze » illisible dans la colonne PU HT", None, "douze"),
    "DOC-TOT": ({"basis": "HT", "document": "T2", "declared_total": Decimal("15.00"),
                 "lines_total": Decimal("13.00"), "value": "15,00 / 13,00"},
                "Total HT du document T2 (15) ≠ somme des lignes (13)", None, "15,00 / 13,00"),
    "DOC-HTTTC": ({"document": "T4", "detail": "HT 13,72 > TTC 13,00"},
                  "HT et TTC incohérents pour T4 : HT 13,72 > TTC 13,00", None, "HT 13,72 > TTC 13,00"),
    "DOC-QTE": ({"value": "0", "line": 5, "document": "T3"}, "Quantité invalide « 0 » ligne 5", None, "0"),
    "COR-TVA": ({"value": "TVA 5,5%"}, "Libellé de TVA « TVA 5,5% » sans correspondance", None, "TVA 5,5%"),
    "COR-UNI": ({"value": "Bouteille"}, "Unité « Bouteille » sans correspondance", None, "Bouteille"),
    "COR-PAYS": ({"value": "Hollande"}, "Pays « Hollande » sans correspondance", None, "Hollande"),
    "COR-REGL": ({"value": "Chèque cadeau"}, "Mode de règlement « Chèque cadeau » sans correspondance", None,
                 "Chèque cadeau"),
    "COR-ART": ({"value": "ARRO", "subject": "ARRO"}, "Article « ARRO » sans correspondance : document non intégré",
                "ARRO", "ARRO"),
    "COR-CLI-NEW": ({"customer": "C0009470", "line": 16}, "Le tiers C0009470 sera créé", None, "C0009470"),
    "COR-CLI-HOMO": ({"customer": "C0009462"}, "Homonyme trouvé pour C0009462", None, "C0009462"),
    "COR-CLI-DEF": ({"customer": "NEWCUST1", "client": "PROSPEC", "line": 2},
                    "Client inconnu NEWCUST1 : commande affectée au client par défaut PROSPEC", "PROSPEC", "NEWCUST1"),
    "COR-CLI-ABS": ({"customer": "NEWCUST1", "line": 2},
                    "Client inconnu NEWCUST1 : la réception des tiers du connecteur est « Non concerné »", None,
                    "NEWCUST1"),
    "COR-STALE": ({"mapping": "TVA « V2 - 20 % » (CSV)", "gc_value": "V3", "detail": "en sommeil"},
                  "La correspondance TVA « V2 - 20 % » (CSV) pointe vers V3, en sommeil dans la GC", "V3",
                  "TVA « V2 - 20 % » (CSV)"),
    "COR-REF": ({"value": "Maître", "column": "civilité"},
                "Valeur « Maître » absente des listes de référence (civilité)", None, "Maître"),
    "ART-ABS-GC": ({"article_ref": "VIN-MEURSAULT-2020", "subject": "VIN-MEURSAULT-2020"},
                   "Article commandé « VIN-MEURSAULT-2020 » inconnu de la GC", "VIN-MEURSAULT-2020",
                   "VIN-MEURSAULT-2020"),
    "ART-ABS-SITE": ({"article": "ARRO"}, "Article ARRO exportable sans code externe", "ARRO", "ARRO"),
    "ART-REF-VIDE": ({"subject": "CW_1", "value": ""}, "Produit ou déclinaison sans référence", "CW_1", ""),
    "ART-REF-DUP": ({"article_ref": "MIEL-250", "subject": "MIEL"}, "Référence « MIEL-250 » utilisée plusieurs fois",
                    "MIEL", "MIEL-250"),
    "ART-NEAR": ({"article_ref": "miel 250", "article": "MIEL-250"},
                 "« miel 250 » ne correspond à MIEL-250 qu'après normalisation", "MIEL-250", "miel 250"),
    "ART-INACTIF": ({"article": "SECATV1", "value": "SECAT-V1"}, "L'article SECATV1 est en sommeil ou non vendable",
                    "SECATV1", "SECAT-V1"),
    "TVA-TAUX": ({"item": "le libellé « V2 - 20 % »", "subject": "V1", "value": "V2 - 20 %",
                  "detail": "le libellé indique 20 %, le code GC V1 vaut 5,5 %"},
                 "Taux incohérents pour le libellé « V2 - 20 % » : le libellé indique 20 %, le code GC V1 vaut "
                 "5,5 %", "V1", "V2 - 20 %"),
    "TVA-CONFLIT": ({"vat_label": "TVA 20", "detail": "CSV → V3, FACIL → V5"},
                    "« TVA 20 » est associé à plusieurs codes TVA : CSV → V3, FACIL → V5", "TVA 20", "TVA 20"),
    "TVA-INCONNU": ({"rate": Decimal("19.600"), "country": "FR", "date": D(2026, 11, 23),
                     "detail": "code TVA V9 de la GC", "subject": "V9"},
                    "Taux 19,6 % inconnu pour le pays FR au 23/11/2026 (code TVA V9 de la GC)", "V9", "19,6"),
    "TVA-B2C-UE": ({"document": "CW1", "country": "NL", "rate": Decimal("20.000")},
                   "Vente CW1 à un particulier de l'UE (NL) au taux de 20 %", "CW1", "20"),
    "TVA-B2B-UE": ({"document": "D1", "detail": "acheteur DE avec n° de TVA valide, TVA facturée à 20 %",
                    "value": "20"},
                   "Vente intracommunautaire D1 : acheteur DE avec n° de TVA valide, TVA facturée à 20 %", "D1",
                   "20"),
    "TVA-EXPORT": ({"document": "G1", "detail": "destination GB hors UE, TVA facturée à 20 %", "value": "20"},
                   "Export hors UE, document G1 : destination GB hors UE, TVA facturée à 20 %", "G1", "20"),
    "TVA-NUM": ({"vat_number": "FR00123456789", "detail": "clé de contrôle ou format invalide", "subject": "T1"},
                "Numéro de TVA « FR00123456789 » invalide : clé de contrôle ou format invalide", "T1",
                "FR00123456789"),
    "TVA-PORT": ({"rate": Decimal("5.5"), "document": "D7"},
                 "Taux de TVA du port (5,5 %) incohérent avec les marchandises du document D7", "D7", "5,5"),
    "TVA-TERR": ({"postcode": "97200", "document": "R1"}, "Code postal 97200 facturé au taux métropolitain", "R1",
                 "97200"),
    "CLI-DUP-EMAIL": ({"value": "a@b.fr", "detail": "C1 (Dupont), C2 (Dupont)", "subject": "C1"},
                      "E-mail « a@b.fr » porté par plusieurs tiers : C1 (Dupont), C2 (Dupont)", "C1", "a@b.fr"),
    "CLI-DUP-TEL": ({"value": "+33612345678", "detail": "C1, C2"},
                    "Téléphone +33612345678 porté par plusieurs tiers : C1, C2", None, "+33612345678"),
    "CLI-DUP-SIRET": ({"value": "73282932000074", "detail": "C1, C2 — même SIRET"},
                      "SIRET/SIREN 73282932000074 porté par plusieurs tiers : C1, C2 — même SIRET", None,
                      "73282932000074"),
    "CLI-DUP-CODEEXT": ({"value": "CSV:42", "detail": "C1, C2"},
                        "Code externe CSV:42 lié à plusieurs tiers GC : C1, C2", None, "CSV:42"),
    "CLI-DUP-NOMCP": ({"detail": "C1 (Dupont), C2 (Dupont)", "value": "dupont 59000"},
                      "Même nom et code postal : C1 (Dupont), C2 (Dupont)", None, "dupont 59000"),
    "CLI-SHARED": ({"kind": "E-mail", "value": "foyer@b.fr", "relation": "des tiers à la même adresse (foyer)",
                    "detail": "C1 (Martin), C2 (Durand)"},
                   "E-mail « foyer@b.fr » partagé par des tiers à la même adresse (foyer) : C1 (Martin), C2 (Durand)",
                   None, "foyer@b.fr"),
    "CLI-INVALID": ({"column": "SIRET", "value": "123", "subject": "C1"}, "SIRET invalide : « 123 »", "C1", "123"),
    "CLI-FUZZ": ({"score": 0.8734, "detail": "C1, C2", "subject": "C1, C2", "value": "C1"},
                 "Doublon probable (score 0,87) : C1, C2", "C1, C2", "C1"),
    "CLI-HOMO": ({"detail": "C1 et C2 (e-mail différents)"}, "Homonymes distincts : C1 et C2 (e-mail différents)",
                 None, None),
    "PRIX-ORPH-ART": ({"rule": "TF800018", "article": "ZZ-INCONNU", "detail": "absent"},
                      "Règle TF800018 sur l'article absent ou inactif ZZ-INCONNU", "TF800018", "ZZ-INCONNU"),
    "PRIX-ORPH-CLI": ({"rule": "TF800019", "client": "CLI99999", "article": "ARROS10", "detail": "absent"},
                      "Règle TF800019 sur le client absent ou inactif CLI99999", "TF800019", "CLI99999"),
    "PRIX-ORPH-GRP": ({"rule": "TF800020", "category": "VIP", "article": "TERR40"},
                      "Règle TF800020 sur la catégorie inconnue VIP", "TF800020", "VIP"),
    "PRIX-DUP": ({"rule": "TF800002", "article": "COUSS", "kept_rule": "TF800001"},
                 "Règle TF800002 sur COUSS identique à TF800001, conservée (la plus récente)", "TF800002", "COUSS"),
    "PRIX-CONFLIT": ({"rule": "TF800003", "terms": "prix 5,20", "article": "MIEL",
                      "other_rules": "TF800004 (famcli_prodfam)"},
                     "Règle TF800003 (prix 5,20) en conflit sur MIEL avec TF800004 (famcli_prodfam)", "TF800003",
                     "prix 5,20"),
    "PRIX-CHEV": ({"rule": "TF800005", "article": "BECH", "other_rules": "TF800006"},
                  "Règle TF800005 sur BECH : période commune avec TF800006", "TF800005", "BECH"),
    "PRIX-DATES": ({"rule": "TF800007", "start_date": D(2027, 1, 6), "end_date": D(2026, 11, 7)},
                   "Règle TF800007 : début 06/01/2027 après la fin 07/11/2026", "TF800007", "06/01/2027"),
    "PRIX-EXPIRE": ({"rule": "TF800008", "end_date": D(2026, 10, 28), "article": "CREMBR"},
                    "Règle TF800008 expirée depuis le 28/10/2026", "TF800008", "28/10/2026"),
    "PRIX-NEG": ({"rule": "TF800009", "price": Decimal("-4.5000")}, "Règle TF800009 : prix négatif -4,50",
                 "TF800009", "-4,50"),
    "PRIX-ZERO": ({"rule": "TF800011", "price": Decimal("0.0000")}, "Règle TF800011 : prix net à 0", "TF800011", "0"),
    "PRIX-REM": ({"rule": "TF800012", "discount": Decimal("120.0000")}, "Règle TF800012 : remise 120 % hors limites",
                 "TF800012", "120"),
    "PRIX-COUT": ({"rule": "TF800014", "price": Decimal("6.9"), "cost": Decimal("7.8"), "article": "AOPVEMA15B"},
                  "Règle TF800014 : prix 6,90 sous le prix d'achat 7,80 (AOPVEMA15B)", "TF800014", "6,90"),
    "PRIX-PALIER": ({"rule": "TF800017", "article": "SECAT",
                     "detail": "SECAT / GROS : qté 10 → 19,50 (TF800016), qté 50 → 22,50"},
                    "Paliers de la règle TF800017 incohérents : SECAT / GROS : qté 10 → 19,50 (TF800016), qté 50 → "
                    "22,50", "TF800017", "SECAT"),
    "PRIX-BASE": ({"article": "COFNOEL", "column": "prix_ht"}, "Article COFNOEL sans prix de base", "COFNOEL",
                  "COFNOEL"),
    "PRIX-HTTTC": ({"rule": "H1", "price": Decimal(20)}, "Règle H1 : TTC 20 ≠ HT × (1 + taux)", "H1", "20"),
    "PRIX-CODES": ({"rule": "R1", "value": "EURO", "column": "devise"},
                   "Règle R1 : code EURO non standard (devise)", "R1", "EURO"),
    "SEC-SEUIL": ({"operation": "grilles_suppression", "affected": 6,
                   "detail": "suppression de règles tarifaires : 6 sur 385 (1,6 %) dépasse le seuil de 1 %"},
                  "Opération bloquée : suppression de règles tarifaires : 6 sur 385 (1,6 %) dépasse le seuil de 1 %",
                  "grilles_suppression", "6"),
    "REC-ECHEC": ({"document": "CW_1", "detail": "contrainte violée", "line": 2},
                  "Le document CW_1 n'a pas pu être intégré : contrainte violée", None, None),
    "ENV-ENC": ({"column": "Libellé", "record": "MIEL", "characters": "œ", "encoding": "latin-1", "written": "oe",
                 "value": "Bœuf"},
                "Libellé de MIEL : « œ » absent de l'encodage latin-1, écrit « oe »", "MIEL", "Bœuf"),
    "ENV-PRIX": ({"article": "COFNOEL", "category": "TTC"},
                 "Article COFNOEL envoyé sans prix (ni tarif TTC ni prix HT sur la fiche)", "COFNOEL", None),
    "ENV-FORMULE": ({"column": "Nom", "record": "C1", "written": "'=1+1", "value": "=1+1"},
                    "Nom de C1 commence comme une formule de tableur : écrit « '=1+1 »", "C1", "=1+1"),
}


def test_every_domain_code_is_catalogued() -> None:
    if not DOMAIN.exists():
        pytest.skip("../shared/domain.md not beside the checkout")
    text = DOMAIN.read_text(encoding="utf-8").split("## 4.")[1].split("## 5.")[0]
    codes = set(re.findall(r"\*\*([A-Z]{2,4}(?:-[A-Z0-9]+)+)\*\*", text))
    codes |= {"PRIX-ORPH-ART", "PRIX-ORPH-CLI", "PRIX-ORPH-GRP"}  # written as one line with suffixes there
    codes.discard("PRIX-ORPH-ART / -CLI / -GRP")
    missing = {c for c in codes if c not in CATALOGUE}
    assert not missing, f"codes of domain.md §4 missing from the catalogue: {sorted(missing)}"


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_code_is_well_formed(code: str) -> None:
    spec = CATALOGUE[code]
    assert re.fullmatch(r"[A-Z]{3,4}(-[A-Z0-9]+)+", code)
    assert isinstance(spec.level, Level)
    assert spec.title and spec.template
    # A slot's name says what it holds: « subject » is a report column, never a placeholder.
    assert set(findings.template_slots(spec.template)) <= set(SLOTS) - {"subject"}


def _wrong(value: Any) -> Any:
    """A value of another type than the slot's: an article code for a date, a date for a code."""
    return D(2026, 1, 1) if isinstance(value, str) else "CREMBR"


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_each_slot_holds_what_its_name_says(code: str) -> None:
    """One finding per code: every slot typed as its name says, rendered in its place, refused otherwise."""
    spec = CATALOGUE[code]
    kwargs, message, subject, value = EXAMPLES[code]
    f = findings.make(code, **kwargs)
    assert (f.message, f.subject, f.value) == (message, subject, value)
    for name in spec.slots:
        slot = SLOTS[name]
        given = kwargs[name]
        assert slot.accepts(given), (name, given)
        shown = slot.render(given)
        assert shown in f.message or name in (spec.subject, spec.value), (name, shown, f.message)
        held = getattr(f, name) if name in findings.LOCATION_KEYS else f.extra[name]
        assert held == (str(given) if name == "value" else given)
        with pytest.raises(SlotError):
            findings.make(code, **{**kwargs, name: _wrong(given)})
        with pytest.raises(SlotError):
            findings.make(code, **{k: v for k, v in kwargs.items() if k != name})
    for key, name in (("subject", spec.subject), ("value", spec.value)):
        if name not in (None, key):
            with pytest.raises(SlotError):   # the column comes from the slot, never from a second argument
                findings.make(code, **{**kwargs, key: "autre chose"})


def test_examples_cover_exactly_the_catalogue() -> None:
    assert set(EXAMPLES) == set(CATALOGUE)


def test_dates_and_numbers_are_written_the_french_way() -> None:
    assert findings.fr_number(Decimal("15.9000")) == "15,90" and findings.fr_number(65) == "65"
    assert findings.fr_rate(Decimal("5.500")) == "5,5" and findings.fr_rate(20) == "20"
    assert findings.make("PRIX-EXPIRE", rule="R", end_date=dt.datetime(2026, 1, 2, 9)).message.endswith("02/01/2026")
    with pytest.raises(SlotError):
        findings.make("FIC-REJET", line=True, reason="x")   # a bool is not a line number


def test_make_fills_location_and_dict() -> None:
    f = findings.make("COR-TVA", value="TVA 5,5%", source="commandes.csv", line=12, document="CW_1")
    d = f.to_dict()
    assert d["level"] == "erreur" and d["line"] == 12 and d["document"] == "CW_1"
    assert "TVA 5,5%" in d["message"] and d["hint"]
    e = findings.make("PRIX-EXPIRE", rule="R", end_date=D(2026, 1, 2), rule_id=3).to_dict()
    assert e["extra"] == {"rule": "R", "end_date": "2026-01-02", "rule_id": 3}


def test_level_override_and_worst() -> None:
    a = findings.make("TVA-B2B-UE", detail="x", document="D1")
    e = findings.make("TVA-B2B-UE", level="erreur", detail="x", document="D1")
    assert a.level == Level.ALERTE and e.level == Level.ERREUR
    assert findings.worst_level([a, e]) == Level.ERREUR
    assert findings.worst_level([]) is None


def test_registering_a_code_twice_with_another_meaning_fails() -> None:
    with pytest.raises(ValueError):
        findings.register("TVA-TAUX", "alerte", "autre", "autre", "autre")
    with pytest.raises(SlotError):
        findings.register("XXX-NEW", "alerte", "titre", "Règle {regle_inconnue}", "conseil")
