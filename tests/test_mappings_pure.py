"""Pure lookups: countries, VAT rates, units, payment families."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from econn.mappings import (
    country_code, label_kind, lookup_country, payment_family, rates_for, suggest_country, unit_code, vat_rate,
)


@pytest.mark.parametrize(("text", "code"), [
    ("Hollande", "NL"), ("Pays Bas", "NL"), ("pays-bas", "NL"), ("EL", "GR"), ("el", "GR"), ("XI", "GB"),
    ("Réunion", "RE"), ("La Réunion", "RE"), ("reunion", "RE"), ("royaume uni", "GB"), ("UK", "GB"),
    ("Grande-Bretagne", "GB"), ("Angleterre", "GB"), ("Deutschland", "DE"), ("ALLEMAGNE", "DE"),
    ("USA", "US"), ("Etats-Unis", "US"), ("États Unis", "US"), ("Tchéquie", "CZ"),
    ("République tchèque", "CZ"), ("Belgique", "BE"), ("België", "BE"), ("Guadeloupe", "GP"),
    ("Martinique", "MQ"), ("Guyane", "GF"), ("Mayotte", "YT"), ("St Barth", "BL"),
    ("Saint-Barthélemy", "BL"), ("fr", "FR"), ("FRA", "FR"), ("250", "FR"), ("  france ", "FR"),
    ("Côte d’Ivoire", "CI"), ("Grèce", "GR"),
    ("Germany", "DE"), ("Suisse", "CH"),
])
def test_country_code(text: str, code: str) -> None:
    assert country_code(text) == code


@pytest.mark.parametrize("text", ["", None, "XX", "Atlantide", "Allemgne"])
def test_country_code_unknown(text: object) -> None:
    assert country_code(text) is None


def test_country_lookup_kind_separates_standard_from_variants() -> None:
    assert lookup_country("DE")[1] == "iso"
    assert lookup_country("Allemagne")[1] == "nom"
    assert lookup_country("Hollande")[1] == "variante"
    assert lookup_country("EL") == ("GR", "prefixe_tva")


def test_suggest_country_fuzzy_typo() -> None:
    s = suggest_country("Allemgne")
    assert s and s[0].gc_value == "DE" and 0 < s[0].score < 0.9 and s[0].kind == "fuzzy"
    assert "allemagne" in s[0].reason
    assert suggest_country("Zz") == []
    el = suggest_country("EL")[0]
    assert el.gc_value == "GR" and "Grèce" in el.reason and el.score < 1


@pytest.mark.parametrize(("label", "rate"), [
    ("V2 - 20 %", "20"), ("TVA 5,5%", "5.5"), ("FR TVA 20%", "20"), ("IVA 21%", "21"), ("20,00", "20"),
    ("0.2", "20"), ("0,055", "5.5"), ("Exonéré", "0"), ("Autoliquidation", "0"),
    ("TVA non applicable, art. 293 B du CGI", "0"), ("TVA 2,1 %", "2.1"), ("TVA20%", "20"), ("T3 20", "20"),
    ("0", "0"), ("Taux 10", "10"), ("MwSt. 7 %", "7"), ("19.6%", "19.6"),
])
def test_vat_rate(label: str, rate: str) -> None:
    assert vat_rate(label) == Decimal(rate)


@pytest.mark.parametrize("label", ["Taux normal", "V2", "V20 %", "3 - 20", "2024", "", None, "TVA"])
def test_vat_rate_unreadable(label: object) -> None:
    assert vat_rate(label) is None


def test_label_kind() -> None:
    assert label_kind("Exonéré") == "exonere_intracom"
    assert label_kind("Livraison intracommunautaire") == "exonere_intracom"
    assert label_kind("Export hors UE 0%") == "export"
    assert label_kind("Autoliquidation") == "autoliquidation"
    assert label_kind("TVA non applicable, art. 293 B du CGI") == "non_soumis"
    assert label_kind("TVA 20 %") is None


def test_rates_for_dated_changes() -> None:
    d = Decimal
    assert d("22") in rates_for("EE", date(2025, 6, 30)) and d("24") not in rates_for("EE", date(2025, 6, 30))
    assert d("24") in rates_for("EE", date(2025, 7, 1)) and d("22") not in rates_for("EE", date(2025, 7, 1))
    assert rates_for("FI", date(2024, 8, 31), kind="standard") == {d("24")}
    assert rates_for("FI", date(2024, 9, 1), kind="standard") == {d("25.5")}
    assert rates_for("SK", date(2024, 12, 31), kind="standard") == {d("20")}
    assert rates_for("SK", date(2025, 1, 1), kind="standard") == {d("23")}
    assert rates_for("RO", date(2025, 7, 31), kind="standard") == {d("19")}
    assert rates_for("RO", date(2025, 8, 1)) == {d("21"), d("11")}
    assert rates_for("FR", date(2025, 1, 1)) == {d("20"), d("10"), d("5.5"), d("2.1")}
    assert rates_for("FR", date(2025, 1, 1), "DOM") == {d("8.5"), d("2.1")}
    assert rates_for("Réunion", date(2025, 1, 1)) == {d("8.5"), d("2.1")}
    assert {d("13"), d("0.9")} <= rates_for("FR", date(2025, 1, 1), "corse")
    greece = {d("24"), d("13"), d("6")}
    assert rates_for("EL", date(2025, 1, 1)) == rates_for("GR", date(2025, 1, 1)) == greece
    assert rates_for("Mayotte", date(2025, 1, 1)) == {d("0")}
    assert rates_for("ZZ", date(2025, 1, 1)) == set()


@pytest.mark.parametrize(("text", "code"), [
    ("pièce", "H87"), ("PCE", "H87"), ("pc", "H87"), ("Pièces", "H87"), ("U", "C62"), ("UN", "C62"),
    ("UNI", "C62"), ("unité", "C62"), ("kg", "KGM"), ("Kilo", "KGM"), ("kilos", "KGM"), ("Kg.", "KGM"),
    ("kilogramme", "KGM"), ("g", "GRM"), ("gramme", "GRM"), ("litre", "LTR"), ("L", "LTR"), ("cl", "CLT"),
    ("centilitre", "CLT"), ("ml", "MLT"), ("m", "MTR"), ("mètre", "MTR"), ("m²", "MTK"), ("m2", "MTK"),
    ("Mètre carré", "MTK"), ("m³", "MTQ"), ("heure", "HUR"), ("h", "HUR"), ("jour", "DAY"),
    ("carton", "CT"), ("ctn", "CT"), ("Bouteille", "BO"), ("bouteilles", "BO"), ("btl", "BO"),
    ("douzaine", "DZN"), ("paire", "PR"), ("lot", "LO"), ("boîte", "BX"), ("sachet", "BG"),
    ("palette", "PF"),
])
def test_unit_code(text: str, code: str) -> None:
    assert unit_code(text) == code


@pytest.mark.parametrize("text", ["", None, "xyz", "Bouteil"])
def test_unit_code_unknown(text: object) -> None:
    assert unit_code(text) is None


@pytest.mark.parametrize(("text", "family"), [
    ("CB", "carte"), ("Carte bancaire", "carte"), ("Carte Bleue", "carte"), ("VISA", "carte"),
    ("Shopify Payments", "carte"), ("PayPal Express Checkout", "paypal"), ("Virement bancaire", "virement"),
    ("Bank transfer", "virement"), ("Chèque", "cheque"), ("cheque", "cheque"), ("Chèque cadeau", "cadeau"),
    ("Alma 3x", "fractionne"), ("Prélèvement SEPA", "prelevement"), ("Espèces", "especes"),
    ("Paiement à la livraison", "contre_remboursement"),
])
def test_payment_family(text: str, family: str) -> None:
    assert payment_family(text) == family


def test_payment_family_unknown() -> None:
    assert payment_family("Bitcoin") is None
    assert payment_family("") is None


def test_seed_vat_rates_is_idempotent_and_keeps_user_edits(workspace) -> None:  # noqa: ANN001
    from econn import store
    from econn.mappings import seed_vat_rates

    with store.transaction(workspace) as con:
        # a new workspace is seeded at creation; empty it to see what one seeding adds
        con.execute("DELETE FROM vat_rates")
        added = seed_vat_rates(con)
        assert added == con.execute("SELECT count(*) FROM vat_rates").fetchall()[0][0] > 80
        con.execute("UPDATE vat_rates SET valid_to = DATE '2030-12-31' WHERE country = 'FR' AND rate = 20 "
                    "AND territory = ''")
        assert seed_vat_rates(con) == 0
        row = con.execute("SELECT valid_to FROM vat_rates WHERE country = 'FR' AND rate = 20 "
                          "AND territory = ''").fetchall()[0]
        assert str(row[0]) == "2030-12-31"
        ee = con.execute("SELECT rate FROM vat_rates WHERE country = 'EE' AND kind = 'standard' "
                         "AND DATE '2025-07-01' BETWEEN valid_from AND coalesce(valid_to, DATE '9999-12-31')"
                         ).fetchall()
        assert [float(r[0]) for r in ee] == [24.0]
