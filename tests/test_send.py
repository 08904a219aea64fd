"""« Envoyer les données »: recap, files read back identically by ``econn preview``, neutralisation, history."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from econn.config import connectors
from econn import store
from econn import send as snd
from econn.send.filters import FilterError, compile_filter
from econn.safe_output import neutralise

NOW = dt.datetime(2026, 11, 23, 14, 30)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "econn.cli", *args], capture_output=True, text=True, timeout=120)


def _scalar(ws: Path, sql: str, params: list[object] | None = None) -> object:
    with store.connect(ws, read_only=True) as con:
        return store.first(con.execute(sql, params or []))[0]


def _plant(ws: Path, code: str, **values: str) -> None:
    with store.transaction(ws) as con:
        sets = ", ".join(f"{k} = ?" for k in values)
        con.execute(f"UPDATE tiers SET {sets} WHERE code = ?", [*values.values(), code])


def test_plan_follows_the_connector_settings(demo_workspace: Path) -> None:
    p = snd.plan(demo_workspace, "FACIL", now=NOW)
    counts = {i.data_type: i.count for i in p.items}
    assert counts["articles"] == _scalar(demo_workspace, "SELECT count(*) FROM articles WHERE famille = 'PUB' AND actif")
    assert counts["clients"] == _scalar(demo_workspace, "SELECT count(*) FROM tiers WHERE type = 'client' AND actif")
    assert counts["contacts"] == _scalar(
        demo_workspace, "SELECT count(*) FROM contacts c JOIN tiers t ON t.code = c.tiers "
                        "WHERE t.type = 'client' AND t.actif")
    assert [i.file_name for i in p.items] == ["articles_20261123.csv", "clients_20261123.csv", "contacts_20261123.csv"]
    recap = p.recap()
    assert list(recap["Type de données"]) == ["Articles", "Clients", "Contacts"]
    assert recap.iloc[0]["Paramètres envoyés"].startswith("Filtre : PUB")
    assert recap.iloc[1]["Paramètres envoyés"] == "Tous les clients + Contacts"
    csv_plan = snd.plan(demo_workspace, "CSV", now=NOW)
    assert [i.data_type for i in csv_plan.items] == ["articles"]
    assert csv_plan.items[0].count == _scalar(demo_workspace, "SELECT count(*) FROM articles WHERE export AND actif")


def test_overrides_change_this_send_only(demo_workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "ailleurs"
    out.mkdir()
    p = snd.plan(demo_workspace, "CSV", {"articles_send": "filtre", "articles_filter": "famille=VIN ET prix_ht>=20",
                                          "clients_send": "filtre", "clients_filter": "cp=59*",
                                          "send_contacts": "non", "export_dir": str(out)}, now=NOW)
    assert p.export_dir == out
    assert p.item("articles").count == _scalar(
        demo_workspace, "SELECT count(*) FROM articles WHERE famille = 'VIN' AND prix_ht >= 20 AND actif")
    assert p.item("clients").count == _scalar(
        demo_workspace, "SELECT count(*) FROM tiers WHERE type = 'client' AND actif AND code_postal LIKE '59%'")
    assert p.item("contacts") is None
    assert connectors.get(demo_workspace, "CSV").articles_send == "export"  # the connector is unchanged
    with pytest.raises(connectors.ConnectorValidationError) as ei:
        snd.plan(demo_workspace, "CSV", {"unit": "XXX", "export_dir": str(tmp_path / "absent")})
    assert set(ei.value.errors) == {"unit", "export_dir"}
    with pytest.raises(connectors.ConnectorValidationError):
        snd.plan(demo_workspace, "CSV", {"doc_type": "livraisons"})  # not an envoi setting


def test_send_round_trip_through_econn_preview(demo_workspace: Path) -> None:
    hostile = '=HYPERLINK("x")'
    _plant(demo_workspace, "ANDPA", nom=hostile, adresse2="Résidence « Les Pins »; bât. B")
    r = cli("send", "--connector", "FACIL", "--workspace", str(demo_workspace), "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert [f["data_type"] for f in out["files"]] == ["articles", "clients", "contacts"]
    p = snd.plan(demo_workspace, "FACIL")
    for f in out["files"]:
        path = Path(f["path"])
        assert path.parent == demo_workspace / "connecteurs" / "FACIL" / "export"
        pv = cli("preview", str(path), "--json", "--full", "--rows", "100000")
        assert pv.returncode == 0, pv.stderr
        back = json.loads(pv.stdout)
        assert back["encoding"] == "cp1252" and back["delimiter"] == ";" and back["rows_rejected"] == 0
        expected = snd.rows(demo_workspace, p, f["data_type"])
        assert back["columns"] == list(expected.columns) == f["columns"]
        assert back["rows_ok"] == len(expected) == f["rows"]
        want = [{c: neutralise(None if v is None or v != v else v) for c, v in row.items()}
                for row in expected.to_dict(orient="records")]
        got = [{c: (v or "") for c, v in row.items()} for row in back["sample"]]
        assert got == want
    clients = json.loads(cli("preview", str(demo_workspace / "connecteurs" / "FACIL" / "export" / out["files"][1]
                                          ["path"].rsplit("/", 1)[1]), "--json", "--full", "--rows", "100000").stdout)
    andpa = next(r for r in clients["sample"] if r["Code client"] == "ANDPA")
    assert andpa["Nom"] == "'" + hostile and andpa["Adresse 2"] == "Résidence « Les Pins »; bât. B"
    assert any(f["code"] == "ENV-FORMULE" and f["subject"] == "ANDPA" for f in out["findings"])
    first = clients["sample"][0]
    assert first["Date de création"].count("/") == 2  # dd/mm/yyyy


def test_articles_file_uses_decimal_comma_and_the_price_category(demo_workspace: Path) -> None:
    res = snd.send(demo_workspace, "FACIL", {"price_category": "GROS", "articles_filter": "code=BECH,MIEL"}, now=NOW)
    df = snd.rows(demo_workspace, res.plan, "articles").set_index("Code article")
    gros = _scalar(demo_workspace, "SELECT prix_ht FROM price_grids WHERE article = 'BECH' AND "
                                   "categorie_tarifaire = 'GROS' AND client IS NULL AND qte_min = 1 "
                                   "AND (date_debut IS NULL OR date_debut <= ?) ORDER BY id LIMIT 1", [NOW.date()])
    assert df.loc["BECH", "Catégorie tarifaire"] == "GROS"
    assert df.loc["BECH", "Prix HT"] == f"{gros:.2f}".replace(".", ",")
    assert pd.isna(df.loc["MIEL", "Catégorie tarifaire"])  # no GROS rule: the article's prix_ht
    miel = _scalar(demo_workspace, "SELECT prix_ht FROM articles WHERE code = 'MIEL'")
    assert df.loc["MIEL", "Prix HT"] == f"{miel:.2f}".replace(".", ",")
    assert df.loc["MIEL", "Taux TVA"] == "5,5" and df.loc["MIEL", "Dépôt"] == "DEP1"
    text = (res.plan.export_dir / "articles_20261123.csv").read_bytes().decode("cp1252")
    assert text.startswith("Code article;Désignation;") and "\r\n" in text


def test_send_records_history(demo_workspace: Path) -> None:
    res = snd.send(demo_workspace, "FACIL", now=NOW)
    with store.connect(demo_workspace, read_only=True) as con:
        rows = con.execute("SELECT kind, data_type, level, message, occurred_at FROM history WHERE id IN "
                           f"({', '.join('?' for _ in res.history_ids)}) ORDER BY id", res.history_ids).fetchall()
    assert [(r[0], r[1], r[2]) for r in rows][:2] == [("envoi", "article", "succès"), ("envoi", "client", "succès")]
    n_art, n_cli, n_con = (i.count for i in res.plan.items)
    assert rows[0][3].startswith(f"{n_art} articles envoyés (Filtre : PUB")
    assert rows[1][3].startswith(f"{n_cli} clients et {n_con} contacts envoyés")
    assert all(r[4] == NOW for r in rows)


def test_dry_run_writes_nothing(demo_workspace: Path) -> None:
    before = _scalar(demo_workspace, "SELECT count(*) FROM history")
    res = snd.send(demo_workspace, "FACIL", dry_run=True, now=NOW)
    assert res.dry_run and [f.rows for f in res.files] == [i.count for i in res.plan.items]
    assert list((demo_workspace / "connecteurs" / "FACIL" / "export").iterdir()) == []
    assert _scalar(demo_workspace, "SELECT count(*) FROM history") == before and res.history_ids == []


def test_unencodable_name_is_a_finding_not_a_crash(demo_workspace: Path) -> None:
    _plant(demo_workspace, "ANDPA", nom="Wałęsa")
    res = snd.send(demo_workspace, "FACIL", {"clients_filter": "code=ANDPA", "clients_send": "filtre",
                                              "articles_send": "aucun"}, now=NOW)
    enc = [f for f in res.findings if f.code == "ENV-ENC"]
    assert len(enc) == 1 and enc[0].subject == "ANDPA" and enc[0].column == "Nom" and enc[0].level.value == "alerte"
    text = (res.plan.export_dir / "clients_20261123.csv").read_bytes().decode("cp1252")
    assert ";Walesa;" in text
    levels = _scalar(demo_workspace, "SELECT list(level ORDER BY id) FROM history WHERE kind = 'envoi' AND "
                                     "occurred_at = ?", [NOW])
    assert levels == ["succès", "alerte"]


def test_article_without_price_is_reported(demo_workspace: Path) -> None:
    res = snd.send(demo_workspace, "CSV", now=NOW, dry_run=True)
    assert [f.subject for f in res.findings if f.code == "ENV-PRIX"] == ["COFNOEL"]


def test_cli_send_refuses_bad_overrides_in_french(demo_workspace: Path) -> None:
    r = cli("send", "--connector", "CSV", "--workspace", str(demo_workspace), "--set", "unit=XXX")
    assert r.returncode == 2 and "Unité « XXX » absente de la GC." in r.stderr and "Traceback" not in r.stderr
    r = cli("send", "--connector", "NOPE", "--workspace", str(demo_workspace))
    assert r.returncode == 2 and r.stderr.strip() == "econn : Connecteur inconnu : NOPE."
    r = cli("send", "--connector", "CSV", "--workspace", str(demo_workspace), "--dry-run", "--set",
            "articles_send=aucun")
    assert r.returncode == 0 and "Aucune donnée à envoyer" in r.stdout


@pytest.mark.parametrize("expr,domain,sql_has", [
    ("PUB", "articles", "lower(a.famille) IN (?)"),
    ("PUB, VIN", "articles", "IN (?, ?)"),
    ("famille=VIN ET prix_ht>=10", "articles", '"prix_ht" >= ?'),
    ("code=VIN*", "articles", "ILIKE ?"),
    ("libelle~bio", "articles", "ILIKE ?"),
    ("export=oui", "articles", "coalesce"),
    ("cp=59* & pays!=BE", "clients", "NOT coalesce"),
])
def test_filter_language(expr: str, domain: str, sql_has: str) -> None:
    sql, params = compile_filter(expr, domain, "a")
    assert sql_has in sql and "'" not in sql.replace("'\\'", "")  # values are parameters, never in the SQL


@pytest.mark.parametrize("expr,message", [
    ("poids>3", "champ « poids » inconnu"),
    ("prix_ht>cher", "n'est pas un nombre"),
    ("famille = VIN ET", "condition vide"),
    ("DROP TABLE articles; --", "incompris"),
    ("export=peut-être", "export=oui ou export=non"),
])
def test_filter_errors(expr: str, message: str) -> None:
    with pytest.raises(FilterError) as ei:
        compile_filter(expr, "articles")
    assert message in ei.value.message_fr


def test_filter_values_cannot_inject_sql(demo_workspace: Path) -> None:
    p = snd.plan(demo_workspace, "CSV", {"articles_send": "filtre",
                                          "articles_filter": "famille=PUB'; DELETE FROM articles; --"}, now=NOW)
    assert p.item("articles").count == 0
    assert _scalar(demo_workspace, "SELECT count(*) FROM articles") > 300


def test_cp1252_send_writes_no_live_formula_from_look_alikes(demo_workspace: Path) -> None:
    """Issue #17: the cp1252 conversion turned ``−`` into ``-`` and ``＝`` into ``=`` after the check."""
    import csv
    import io

    from tests.test_safe_output import live_formula

    hostile = {"ANDPA": "\u2212cmd|' /C calc'!A0", "RYCMI": '\uff1dHYPERLINK("http://x";"clic")',
               "GUEPI": "\u200b=1+1"}
    for code, name in hostile.items():
        _plant(demo_workspace, code, nom=name, adresse2="\ufeff@SUM(1)")
    res = snd.send(demo_workspace, "FACIL", {"clients_filter": "code=ANDPA,RYCMI,GUEPI", "clients_send": "filtre",
                                              "articles_send": "aucun"}, now=NOW)
    text = (res.plan.export_dir / "clients_20261123.csv").read_bytes().decode("cp1252")
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    assert sorted(r["Code client"] for r in rows) == sorted(hostile)
    live = [c for r in rows for c in r.values() if c and live_formula(c)]
    assert live == []
    assert {r["Code client"]: r["Nom"] for r in rows}["ANDPA"] == "'-cmd|' /C calc'!A0"
    flagged = {(f.subject, f.column) for f in res.findings if f.code == "ENV-FORMULE"}
    assert {(c, "Nom") for c in hostile} | {(c, "Adresse 2") for c in hostile} <= flagged
