"""Diagnostic « grilles de prix »: duplicate, conflicting, overlapping, expired and incoherent price rules.

Sentinels are data, not anomalies (domain.md §2): an empty or ``0`` client/category means « all », an
empty quantity means 1, empty dates are unbounded, and a price of ``-1`` means « keep the base price and
apply the discount » (PrestaShop). A rule's *key* is (article, category, client, minimum quantity,
start, end); two rules with one key and the same values are PRIX-DUP, with other values PRIX-CONFLIT.
A repeated quantity threshold is therefore always reported as PRIX-DUP or PRIX-CONFLIT; PRIX-PALIER
reports prices that rise with the quantity. The table holds neither currency nor country, so
PRIX-CODES is never emitted. Every finding's ``subject`` is the rule's ``ref`` (PRIX-BASE: the article).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from decimal import Decimal
from typing import Any

import duckdb

from .. import findings, store
from ..config.workspace_settings import place
from .base import DiagnosticResult

NAME = "grilles-prix"
CODES = ("PRIX-DUP", "PRIX-CONFLIT", "PRIX-CHEV", "PRIX-DATES", "PRIX-EXPIRE", "PRIX-NEG", "PRIX-ZERO",
         "PRIX-REM", "PRIX-COUT", "PRIX-PALIER", "PRIX-ORPH-ART", "PRIX-ORPH-CLI", "PRIX-ORPH-GRP",
         "PRIX-BASE", "PRIX-HTTTC")
SETTING_MAX_DISCOUNT = "grilles.remise_max"
DEFAULT_MAX_DISCOUNT = Decimal(50)
KEEP_BASE_PRICE = -1  # PrestaShop sentinel
EMPTY = "(vide)"      # a rule without an article, as messages show it

# Normalised rules: sentinels folded once, so that every check below compares like with like.
RULES_SQL = """
    SELECT g.id, coalesce(g.ref, '#' || g.id) AS ref, g.source, g.article,
           nullif(nullif(trim(g.categorie_tarifaire), ''), '0') AS cat,
           nullif(nullif(trim(g.client), ''), '0') AS cli,
           coalesce(nullif(g.qte_min, 0), 1) AS qte,
           g.prix_ht AS prix, g.remise_pct AS rem, g.date_debut AS d0, g.date_fin AS d1, g.created_at
    FROM price_grids g
"""


fmt_num = findings.fr_number   # French number for messages: 15.9000 → « 15,90 », 65.0000 → « 65 »


def _describe(prix: object, rem: object) -> str:
    parts = []
    if prix is not None:
        parts.append("prix de base" if prix == KEEP_BASE_PRICE else f"prix {fmt_num(prix)}")
    if rem is not None:
        parts.append(f"remise {fmt_num(rem)} %")
    return " + ".join(parts) or "sans valeur"


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def duplicate_rules(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Exact duplicates to remove: every rule but the newest of its group (id, ref, kept ref)."""
    return _rows(con, f"""
        WITH r AS ({RULES_SQL}),
        ranked AS (
            SELECT r.*, row_number() OVER w AS rn, first_value(ref) OVER w AS kept, count(*) OVER (
                PARTITION BY article, cat, cli, qte, d0, d1, prix, rem) AS n
            FROM r WINDOW w AS (PARTITION BY article, cat, cli, qte, d0, d1, prix, rem
                                ORDER BY created_at DESC, id DESC))
        SELECT id, ref, kept, article FROM ranked WHERE n > 1 AND rn > 1 ORDER BY ref""")


def run(workspace: str | os.PathLike[str], *, connector: str | None = None, today: dt.date | None = None,
        **options: Any) -> DiagnosticResult:
    """Run the « grilles de prix » diagnostic.

    Args:
        workspace: the workspace folder.
        connector: unused (price grids belong to the GC).
        today: reference date for expired rules (default: the real today).
        **options: ``max_discount`` overrides the ``grilles.remise_max`` setting (default 50 %).

    Returns:
        The findings, one per rule (``subject`` = its ``ref``).
    """
    start = time.perf_counter()
    today = today or dt.date.today()
    out: list[findings.Finding] = []
    with store.connect(workspace, read_only=True) as con:
        ceiling = Decimal(str(options.get("max_discount")
                              or store.get_setting(con, SETTING_MAX_DISCOUNT, str(DEFAULT_MAX_DISCOUNT))))
        for r in duplicate_rules(con):
            out.append(_dup(r))
        out += _conflicts(con)
        out += _overlaps(con)
        out += _single_rule_checks(con, today, ceiling)
        out += _tiers(con)
        for r in _rows(con, "SELECT code FROM articles WHERE actif AND prix_ht IS NULL ORDER BY code"):
            out.append(findings.make("PRIX-BASE", article=r["code"], column="prix_ht"))
    return DiagnosticResult(NAME, out, seconds=time.perf_counter() - start)


CLEANUP_CODES = ("PRIX-EXPIRE", "PRIX-DUP", "PRIX-ORPH-ART", "PRIX-ORPH-CLI", "PRIX-ORPH-GRP")


def cleanup_findings(con: duckdb.DuckDBPyConnection, today: dt.date) -> list[findings.Finding]:
    """The findings of :func:`run` that the nettoyage removes (expired, exact duplicates, orphans).

    The same checks as the diagnostic, so that the nettoyage never plans a rule the diagnostic does not
    report with the same code; each finding carries ``extra["rule_id"]``.
    """
    out = [_dup(r) for r in duplicate_rules(con)]
    out += [f for f in _single_rule_checks(con, today, DEFAULT_MAX_DISCOUNT) if f.code in CLEANUP_CODES]
    return out


def _dup(r: dict[str, Any]) -> findings.Finding:
    return findings.make("PRIX-DUP", rule=r["ref"], article=r["article"] or EMPTY, kept_rule=r["kept"],
                         rule_id=r["id"])


def _conflicts(con: duckdb.DuckDBPyConnection) -> list[findings.Finding]:
    rows = _rows(con, f"""
        WITH r AS ({RULES_SQL}),
        k AS (SELECT r.*, count(DISTINCT (coalesce(prix, -999999), coalesce(rem, -999999)))
                  OVER (PARTITION BY article, cat, cli, qte, d0, d1) AS nv FROM r)
        SELECT a.ref, a.article, list(b.ref || ' (' || coalesce(b.source, '?') || ')' ORDER BY b.ref) AS others,
               any_value(a.prix) AS prix, any_value(a.rem) AS rem
        FROM k a JOIN k b ON b.id <> a.id AND b.article = a.article AND b.cat IS NOT DISTINCT FROM a.cat
             AND b.cli IS NOT DISTINCT FROM a.cli AND b.qte = a.qte AND b.d0 IS NOT DISTINCT FROM a.d0
             AND b.d1 IS NOT DISTINCT FROM a.d1
             AND (b.prix IS DISTINCT FROM a.prix OR b.rem IS DISTINCT FROM a.rem)
        WHERE a.nv > 1 GROUP BY a.ref, a.article ORDER BY a.ref""")
    return [findings.make("PRIX-CONFLIT", rule=r["ref"], terms=_describe(r["prix"], r["rem"]), article=r["article"],
                          other_rules=", ".join(r["others"])) for r in rows]


def _overlaps(con: duckdb.DuckDBPyConnection) -> list[findings.Finding]:
    rows = _rows(con, f"""
        WITH r AS ({RULES_SQL} WHERE g.date_debut IS NULL OR g.date_fin IS NULL OR g.date_debut <= g.date_fin)
        SELECT a.ref, a.article, list(b.ref ORDER BY b.ref) AS others
        FROM r a JOIN r b ON b.id <> a.id AND b.article = a.article AND b.cat IS NOT DISTINCT FROM a.cat
             AND b.cli IS NOT DISTINCT FROM a.cli AND b.qte = a.qte
             AND (b.d0 IS DISTINCT FROM a.d0 OR b.d1 IS DISTINCT FROM a.d1)
             AND coalesce(a.d0, DATE '0001-01-01') <= coalesce(b.d1, DATE '9999-12-31')
             AND coalesce(b.d0, DATE '0001-01-01') <= coalesce(a.d1, DATE '9999-12-31')
        GROUP BY a.ref, a.article ORDER BY a.ref""")
    return [findings.make("PRIX-CHEV", rule=r["ref"], article=r["article"], other_rules=", ".join(r["others"]))
            for r in rows]


def _single_rule_checks(con: duckdb.DuckDBPyConnection, today: dt.date,
                        ceiling: Decimal) -> list[findings.Finding]:
    out: list[findings.Finding] = []
    rows = _rows(con, f"""
        WITH r AS ({RULES_SQL})
        SELECT r.*, a.code IS NOT NULL AS art_exists, a.actif AS art_actif, a.prix_ht AS base,
               a.prix_achat AS cost, t.code IS NOT NULL AS cli_exists, t.actif AS cli_actif,
               pc.code IS NOT NULL AS cat_exists, coalesce(pc.ttc, false) AS ttc, tv.taux AS taux,
               CAST(CASE WHEN r.prix = {KEEP_BASE_PRICE} OR r.prix IS NULL THEN a.prix_ht ELSE r.prix END
                    * (1 - coalesce(r.rem, 0) / 100) AS DECIMAL(18, 4)) AS net
        FROM r LEFT JOIN articles a ON a.code = r.article
               LEFT JOIN tiers t ON t.code = r.cli
               LEFT JOIN price_categories pc ON pc.code = r.cat
               LEFT JOIN tva_codes tv ON tv.code = a.code_tva
        ORDER BY r.ref""")
    for r in rows:
        ref = r["ref"]
        rule = {"rule": ref, "rule_id": r["id"], "article": r["article"] or EMPTY}
        if not r["art_exists"] or not r["art_actif"]:
            out.append(findings.make("PRIX-ORPH-ART", **rule, column="article",
                                     detail="absent" if not r["art_exists"] else "en sommeil"))
        if r["cli"] is not None and (not r["cli_exists"] or not r["cli_actif"]):
            out.append(findings.make("PRIX-ORPH-CLI", **rule, client=r["cli"], column="client",
                                     detail="absent" if not r["cli_exists"] else "en sommeil"))
        if r["cat"] is not None and not r["cat_exists"]:
            out.append(findings.make("PRIX-ORPH-GRP", **rule, category=r["cat"], column="categorie_tarifaire"))
        inverted = r["d0"] is not None and r["d1"] is not None and r["d0"] > r["d1"]
        if inverted:
            out.append(findings.make("PRIX-DATES", **rule, start_date=r["d0"], end_date=r["d1"],
                                     column="date_debut"))
        elif r["d1"] is not None and r["d1"] < today:
            out.append(findings.make("PRIX-EXPIRE", **rule, end_date=r["d1"], column="date_fin"))
        prix = r["prix"]
        if prix is not None and prix < 0 and prix != KEEP_BASE_PRICE:
            out.append(findings.make("PRIX-NEG", **rule, price=prix, column="prix_ht"))
        if prix is not None and prix == 0:
            out.append(findings.make("PRIX-ZERO", **rule, price=prix, column="prix_ht"))
        rem = r["rem"]
        if rem is not None and (rem <= 0 or rem > 100):
            out.append(findings.make("PRIX-REM", **rule, discount=rem, column="remise_pct"))
        elif rem is not None and rem > ceiling:
            out.append(findings.make(
                "PRIX-REM", findings.Level.ALERTE, **rule, discount=rem, column="remise_pct",
                hint=f"Remise supérieure au plafond de {fmt_num(ceiling)} % (réglage {SETTING_MAX_DISCOUNT} : "
                     f"{place(SETTING_MAX_DISCOUNT)})."))
        net, cost = r["net"], r["cost"]
        # A discount outside 0–100 % is already PRIX-REM: its absurd net price would only add noise.
        rem_ok = rem is None or 0 < rem <= 100
        if net is not None and cost is not None and r["art_exists"] and rem_ok:
            net_ht = net / (1 + Decimal(r["taux"] or 0) / 100) if r["ttc"] else net
            if net_ht < cost:
                out.append(findings.make("PRIX-COUT", price=net_ht, cost=cost, **rule,
                                         column="prix_ht"))
        if (r["ttc"] and prix is not None and prix > 0 and r["base"] is not None and r["taux"]
                and abs(prix - r["base"]) <= Decimal("0.01")
                and abs(prix - r["base"] * (1 + r["taux"] / 100)) > Decimal("0.01")):
            # A TTC category holding exactly the HT base price: the HT price was typed where TTC is expected.
            out.append(findings.make("PRIX-HTTTC", **rule, price=prix, column="prix_ht"))
    return out


def _tiers(con: duckdb.DuckDBPyConnection) -> list[findings.Finding]:
    """PRIX-PALIER: within one scope and period, a higher quantity must not cost more."""
    rows = _rows(con, f"""
        WITH r AS ({RULES_SQL} WHERE g.prix_ht IS NOT NULL AND g.prix_ht > 0 AND g.remise_pct IS NULL),
        s AS (SELECT r.*, lag(prix) OVER w AS prev_prix, lag(qte) OVER w AS prev_qte, lag(ref) OVER w AS prev_ref
              FROM r WINDOW w AS (PARTITION BY article, cat, cli, d0, d1 ORDER BY qte, id))
        SELECT * FROM s WHERE prev_prix IS NOT NULL AND qte > prev_qte AND prix > prev_prix ORDER BY ref""")
    return [findings.make(
        "PRIX-PALIER", rule=r["ref"], article=r["article"] or EMPTY,
        detail=f"{r['article']} / {r['cat'] or r['cli'] or 'tous'} : qté {fmt_num(r['prev_qte'])} → "
               f"{fmt_num(r['prev_prix'])} ({r['prev_ref']}), qté {fmt_num(r['qte'])} → {fmt_num(r['prix'])}")
        for r in rows]
