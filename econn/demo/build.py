"""The demo workspace: a wine / garden / home shop (« VIGNE ») with two e-connecteur connectors.

:func:`build_demo` writes, deterministically for a given ``(seed, today)``, the GC
reference data, the FACIL and CSV connectors of the seed manual, their
correspondences, five months of integrated documents and history, and the
pending incoming CSV files with the planted problems listed in ``data/README.md``.
"""

from __future__ import annotations

import datetime as dt
import gettext
import random
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from . import data as D
from .. import store
from .gen import (
    ARTICLE_COLUMNS,
    GRID_COLUMNS,
    generate_articles,
    generate_contacts,
    generate_grids,
    generate_tiers,
)
from .history import build_history
from .orders import pending_files, write_orders
from .planted import TIERS_COLUMNS, planted_tiers
from ..errors import WorkspaceError
from ..store.workspace import connector_dir

__all__ = ["CONNECTORS", "DEFAULT_SEED", "build_demo"]

DEFAULT_SEED = 20261123
CONNECTORS = ("FACIL", "CSV")
Row = dict[str, Any]


def build_demo(out: Path, *, force: bool = False, today: dt.date | None = None, seed: int = DEFAULT_SEED) -> str:
    """Build the demo workspace in ``out``.

    Args:
        out: workspace folder (created if absent).
        force: replace an existing workspace (its database and connector folders are removed first).
        today: reference day for every date and timestamp (default: the real today, so that the
            « last 48 h » and « last two months » views have data).
        seed: the random seed; the same ``(seed, today)`` gives identical files and tables.

    Returns:
        A short French summary with the counts.

    Raises:
        WorkspaceError: ``out`` already holds a workspace and ``force`` is false.
    """
    out = Path(out)
    today = today or dt.date.today()
    db = store.db_path(out)
    if db.exists() and not force:
        raise WorkspaceError(
            f"{out} already holds a workspace; use force=True to replace it",
            f"Le dossier {out} contient déjà un espace de travail : relancez avec --force pour le remplacer.",
        )
    if force:
        for p in (db, db.with_name(db.name + ".wal")):
            p.unlink(missing_ok=True)
        shutil.rmtree(out / "connecteurs", ignore_errors=True)
    store.init_store(out)

    rng = random.Random(seed)
    articles = generate_articles(rng)
    tiers = generate_tiers(rng, today)
    contacts = generate_contacts(rng, tiers)
    corr = _correspondences(rng, today, articles, tiers)
    sellable = {r["gc_value"] for r in corr if r["connector"] == "CSV" and r["domain"] == "article"}
    grids = generate_grids(rng, today, articles, tiers, sellable)
    by_code = {t["code"]: t for t in tiers}
    art_by_code = {a["code"]: a for a in articles}
    hist = build_history(
        rng, today, by_code, customers=_customer_pools(corr, by_code), catalogues=_catalogues(corr, art_by_code),
        exportable={"CSV": sum(1 for a in articles if a["export"] and a["actif"]),
                    "FACIL": sum(1 for a in articles if a["famille"] == "PUB" and a["actif"])},
        n_contacts=len(contacts))

    with store.transaction(out) as con:
        _insert(con, "connectors", _connectors(today), None)
        _insert_reference(con)
        _insert(con, "articles", articles, ARTICLE_COLUMNS)
        _insert(con, "tiers", tiers, TIERS_COLUMNS)
        _insert(con, "contacts", contacts, ["id", "tiers", "civilite", "nom", "prenom", "fonction", "email",
                                            "telephone"], sequence="contact_id")
        _insert(con, "price_grids", grids, GRID_COLUMNS, sequence="price_grid_id")
        _insert(con, "correspondences", corr, None)
        _insert(con, "documents", hist.documents, None, sequence="document_id")
        _insert(con, "document_lines", hist.lines, None)
        _insert(con, "payments", hist.payments, None, sequence="payment_id")
        _insert(con, "history", hist.history, _HISTORY_COLUMNS, sequence="history_id")
        con.executemany("INSERT INTO counters VALUES (?, ?)",
                        [["document", hist.last_document], ["payment", hist.last_payment]])
        con.executemany("INSERT INTO settings VALUES (?, ?)",
                        [["demo.seed", str(seed)], ["demo.today", today.isoformat()]])

    n_orders = 0
    for code in CONNECTORS:
        for kind in ("import", "export"):
            connector_dir(out, None, code, kind).mkdir(parents=True, exist_ok=True)
    files = pending_files(today, by_code, rng)
    for code, name, encoding, orders in files:
        write_orders(connector_dir(out, None, code, "import") / name, orders, encoding)
        n_orders += len(orders)
    return (f"{len(articles)} articles, {len(tiers)} tiers, {len(grids)} règles tarifaires, "
            f"{len(hist.documents)} documents intégrés, {len(hist.history)} lignes d'historique, "
            f"{len(files)} fichiers en attente ({n_orders} commandes)")


_HISTORY_COLUMNS = [
    "id", "connector", "kind", "data_type", "level", "occurred_at", "purchase_date", "origin_number", "gc_number", "name",
    "gc_tiers", "origin_tiers", "amount_ttc", "payment_number", "code", "message", "hint", "reference",
    "closed_at", "closed_by", "justification",
]


def _plain(v: Any) -> Any:
    # DuckDB reads object columns by sampling; floats and plain types keep the scan unambiguous.
    return float(v) if isinstance(v, Decimal) else v


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[Row], columns: list[str] | None,
            sequence: str | None = None) -> None:
    """Bulk insert through a registered DataFrame; then move the id sequence past the explicit ids."""
    if not rows:
        return
    columns = columns or list(rows[0])
    df = pd.DataFrame([[_plain(r.get(c)) for c in columns] for r in rows], columns=columns, dtype=object)
    view = f"demo_{table}_rows"
    con.register(view, df)
    try:
        cols = ", ".join(store.quote_ident(c) for c in columns)
        con.execute(f"INSERT INTO {store.quote_ident(table)} ({cols}) SELECT {cols} FROM {store.quote_ident(view)}")
    finally:
        con.unregister(view)
    if sequence:  # explicit ids keep builds identical; later nextval() calls must not reuse them
        con.execute(f"SELECT max(nextval({_sql_str(sequence)})) FROM range(?)", [len(rows)]).fetchall()


def _sql_str(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _connectors(today: dt.date) -> list[Row]:
    created = dt.datetime.combine(today - dt.timedelta(days=420), dt.time(9, 30))
    updated = dt.datetime.combine(today - dt.timedelta(days=35), dt.time(10, 15))
    common = {"mode": "csv", "hidden": False, "import_dir": None, "export_dir": None, "file_encoding": "cp1252",
              "file_delimiter": ";", "unit": "UNI", "depot": D.DEPOT, "entreprise": D.ENTREPRISE, "site": D.SITE,
              "transporteur": D.TRANSPORTEUR, "client_family": "PARTF", "tiers_reception": "avec_commande",
              "created_at": created, "updated_at": updated}
    return [
        dict(common, code="FACIL", partner="SuiviETA", articles_send="filtre", articles_filter="PUB",
             price_category="HT", clients_send="tous", clients_filter=None, send_contacts=True,
             doc_type="livraisons", auto_payment=False, refresh="manuel"),
        dict(common, code="CSV", partner="Autre", articles_send="export", articles_filter=None,
             price_category="TTC", clients_send="aucun", clients_filter=None, send_contacts=False,
             doc_type="commandes", auto_payment=True, refresh="ouverture"),
    ]


def _countries() -> list[Row]:
    import pycountry

    fr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)
    rows = []
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        name = D.COUNTRY_NAME_FR.get(c.alpha_2) or fr.gettext(c.name)
        rows.append({"code": c.alpha_2, "libelle": name, "ue": c.alpha_2 in D.EU_MEMBERS})
    return rows


def _insert_reference(con: duckdb.DuckDBPyConnection) -> None:
    _insert(con, "tva_codes", [{"code": c, "taux": t, "libelle": lib, "type": ty, "pays": "FR", "actif": True}
                               for c, t, lib, ty in D.TVA_CODES], None)
    _insert(con, "units", [{"code": c, "libelle": lib, "unece": u, "actif": True} for c, lib, u in D.UNITS], None)
    _insert(con, "countries", _countries(), None)
    _insert(con, "payment_methods", [{"code": c, "libelle": lib, "condition": cond, "actif": True}
                                     for c, lib, cond in D.PAYMENT_METHODS], None)
    _insert(con, "price_categories", [{"code": c, "libelle": lib, "ttc": ttc}
                                      for c, lib, ttc in D.PRICE_CATEGORIES], None)
    for table, rows in (("entreprises", D.ENTREPRISES), ("sites", D.SITES), ("transporteurs", D.TRANSPORTEURS)):
        _insert(con, table, [{"code": c, "libelle": lib, "actif": True} for c, lib in rows], None)


_REGULARS_CSV = {"PROSPEC": "PROSPEC", "HUBOL": "C0000318", "OENOT": "C0000562", "VANKO": "C0000734",
                 "DEVAN": "C0000801", "LEGMA": "C0000905"}
_SEED_TIERS = {"DERYCKE.MICHEL@FR": "RYCMI", "ANDPA": "ANDPA", "0641215874": "GUEPI"}


def _correspondences(rng: random.Random, today: dt.date, articles: list[Row], tiers: list[Row]) -> list[Row]:
    """Validated mappings of both connectors (ARRO deliberately unmapped on CSV)."""
    rows: list[Row] = []
    stamp = dt.datetime.combine(today - dt.timedelta(days=210), dt.time(14, 0))

    def add(connector: str, domain: str, ext: str, gc: str, variant: str = "") -> None:
        rows.append({"connector": connector, "domain": domain, "external_value": ext, "external_variant": variant,
                     "gc_value": gc, "state": "valide", "origin": "import", "score": None, "reason": None,
                     "updated_by": "agodin", "updated_at": stamp + dt.timedelta(minutes=len(rows))})

    planted = {t["code"] for t in planted_tiers()}  # keep the planted cases out of the random pools
    skus: set[str] = {sku for v in D.CORE_CSV_SKUS.values() for sku, _v in v}
    for c in CONNECTORS:
        add(c, "tva", "V2 - 20 %", "V3")
        add(c, "tva", "V1 - 5,5 %", "V1")
        add(c, "tva", "V3 - 10 %", "V2")
        add(c, "unite", "UNI", "UNI")
        for ext, gc in (("CB", "CB"), ("PayPal", "PAYPAL"), ("Virement", "VIR"), ("Chèque", "CHQ")):
            add(c, "reglement", ext, gc)
        add(c, "pays", "FR", "FR")
        for ext, gc in _SEED_TIERS.items():
            add(c, "tiers", ext, gc)
    for gc, ext in _REGULARS_CSV.items():
        add("CSV", "tiers", ext, gc)
    add("FACIL", "tiers", "OENOT", "OENOT")
    clients = [t for t in tiers if t["type"] == "client" and t["actif"] and t["code"] not in planted]
    for n, t in enumerate(rng.sample(clients, 500)):
        add("CSV", "tiers", f"C{1000 + n * 7:07d}", t["code"])
    for t in rng.sample(clients, 250):
        add("FACIL", "tiers", t["code"], t["code"])
    for gc, core_skus in D.CORE_CSV_SKUS.items():
        for sku, variant in core_skus:
            add("CSV", "article", sku, gc, variant)
    core = {a[0] for a in D.CORE_ARTICLES}
    for a in articles:
        if a["code"] in core:
            continue
        if a["export"]:
            sku = a["code"] if rng.random() < 0.4 else f"{a['code'][:3]}-{rng.randint(10000, 99999)}"
            while sku in skus:
                sku = f"{a['code'][:3]}-{rng.randint(10000, 99999)}"
            skus.add(sku)
            if a["famille"] == "MAIS" and rng.random() < 0.3:
                for colour in rng.sample(["Vert sauge", "Terracotta", "Bleu canard", "Naturel", "Gris"], 2):
                    add("CSV", "article", sku, a["code"], colour)
            else:
                add("CSV", "article", sku, a["code"])
        if a["famille"] == "PUB" and a["actif"]:
            add("FACIL", "article", a["code"], a["code"])
    for code in ("AOPVEMA15B", "ARRO", "BECH", "COUSS", "MIEL", "PUBTAB", "PUBTIR", "PUBCAT"):
        add("FACIL", "article", code, code)
    return rows


def _customer_pools(corr: list[Row], tiers: dict[str, Row]) -> dict[str, list[tuple[str, Row]]]:
    pools: dict[str, list[tuple[str, Row]]] = {c: [] for c in CONNECTORS}
    for r in corr:
        if r["domain"] == "tiers" and r["gc_value"] != "PROSPEC":
            pools[r["connector"]].append((r["external_value"], tiers[r["gc_value"]]))
    return pools


def _catalogues(corr: list[Row], articles: dict[str, Row]) -> dict[str, list[tuple[Row, str, str]]]:
    cats: dict[str, list[tuple[Row, str, str]]] = {c: [] for c in CONNECTORS}
    for r in corr:
        a = articles.get(r["gc_value"]) if r["domain"] == "article" else None
        if a is not None and a["actif"] and a["prix_ht"] is not None and a["code"] != "ARRO":
            cats[r["connector"]].append((a, r["external_value"], r["external_variant"]))
    return cats
