"""Diagnostic « configuration TVA »: GC codes, label correspondences and the VAT charged on documents.

Documents are the integrated ones (``documents`` + ``document_lines`` + the tiers) and the orders of the
pending files not integrated yet (country and company read from the file, VAT number from the matched GC
tiers); an order both integrated and still in a pending file (a partial reception) counts once, integrated. Rates are
checked against the dated, user-editable ``vat_rates`` table at the document date. The territory comes
from the postcode: 971/972/974 are the DOM rates, 973/976 have no VAT, 20xxx is Corse.

Settings: ``tva.oss`` (``oui``/``non``: registered to the OSS; unset means « to confirm ») and
``tva.seuil_oss`` (EU-wide distance-sales threshold, default 10 000 € HT a calendar year).
VAT numbers are checked offline with python-stdnum (never ``check_vies``).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from decimal import Decimal
from functools import lru_cache
from typing import Any

import duckdb
import pandas as pd
from stdnum import get_cc_module
from stdnum.eu import vat as eu_vat

from .. import findings, store
from ..config.workspace_settings import place
from ..mappings.countries import country_code
from ..mappings.vat import vat_rate
from .base import DiagnosticResult

NAME = "tva"
CODES = ("TVA-TAUX", "TVA-CONFLIT", "TVA-INCONNU", "TVA-B2C-UE", "TVA-B2B-UE", "TVA-EXPORT", "TVA-NUM",
         "TVA-TERR", "TVA-PORT", "COR-STALE")
SETTING_OSS = "tva.oss"
SETTING_THRESHOLD = "tva.seuil_oss"
DEFAULT_THRESHOLD = Decimal(10000)
_DOM_NO_VAT = ("973", "976")          # Guyane, Mayotte: VAT not applicable (domain.md §5)
_DOM_ISO = {"GP": "971", "MQ": "972", "RE": "974", "GF": "973", "YT": "976"}
_TOL = Decimal("0.01")


def _fmt(d: object) -> str:
    v = Decimal(str(d)).normalize()
    return f"{v:f}".replace(".", ",")


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


@lru_cache(maxsize=4096)
def check_vat_number(number: str, country: str | None) -> str | None:
    """None when a VAT number is valid for the billing country, else the French reason (offline)."""
    compact = "".join(ch for ch in number.upper() if ch.isalnum())
    prefix = compact[:2]
    expected = {"GR": "EL"}.get(country or "", country or "")
    if prefix == "GR":
        return "préfixe GR : la Grèce utilise le préfixe EL"
    if expected and prefix != expected and not (expected == "MC" and prefix == "FR") \
            and not (expected == "GB" and prefix == "XI"):
        return f"préfixe {prefix} différent du pays de facturation {country}"
    if prefix.lower() in eu_vat.MEMBER_STATES or prefix == "EL":
        ok = eu_vat.is_valid(compact)
    else:
        try:
            ok = get_cc_module(prefix.lower(), "vat").is_valid(compact)
        except (ImportError, AttributeError):  # no stdnum module for that country: cannot judge, do not accuse
            return None
    return None if ok else "clé de contrôle ou format invalide"


@lru_cache(maxsize=1024)
def _country(text: str | None) -> str | None:
    return country_code(text) or text if text else None


def _territory(country: str | None, cp: str | None) -> tuple[str | None, str]:
    """(country for the rates, territory '' | DOM | CORSE | SANS_TVA) from the country and postcode."""
    if country in _DOM_ISO:
        cp = cp or _DOM_ISO[country]
        country = "FR"
    cp = (cp or "").strip()
    if country in ("FR", "MC") and len(cp) == 5 and cp.isdigit():
        if cp.startswith(_DOM_NO_VAT):
            return "FR", "SANS_TVA"
        if cp.startswith("97"):
            return "FR", "DOM"
        if cp.startswith("20"):
            return "FR", "CORSE"
    return country, ""


def _doc_lines(con: duckdb.DuckDBPyConnection, connector: str | None, pending: pd.DataFrame) -> list[dict]:
    """One row per (document, line) of integrated and pending documents, with the rate charged."""
    labels = sorted({str(v) for v in pending["tva_label"].dropna()})
    con.register("label_rate", pd.DataFrame({"label": labels, "rate": [vat_rate(v) for v in labels]},
                                            dtype=object))
    countries = sorted({str(v) for v in pending["pays"].dropna()})
    con.register("pending_country", pd.DataFrame({"raw": countries, "code": [country_code(v) for v in countries]},
                                                 dtype=object))
    con.register("pending", pending)
    try:
        return _rows(con, """
            SELECT 'integre' AS origin, d.connector, d.ext_number AS document, d.doc_date AS doc_date,
                   NULL AS source, l.line_no AS line, t.code AS tiers, upper(trim(t.pays)) AS country,
                   t.code_postal AS cp, nullif(trim(t.societe), '') IS NOT NULL AS company, t.tva_intra,
                   l.code_tva, l.taux_tva AS rate, tc.taux AS code_rate, tc.type AS code_type,
                   l.qte * l.pu_ht * (1 - coalesce(l.remise_pct, 0) / 100) AS line_ht,
                   d.total_ht, d.total_ttc
            FROM documents d JOIN document_lines l ON l.document_id = d.id
                 LEFT JOIN tiers t ON t.code = d.tiers_code LEFT JOIN tva_codes tc ON tc.code = l.code_tva
            WHERE (? IS NULL OR d.connector = ?)
            UNION ALL
            SELECT 'en_attente', p.connector, p.doc_ext_id, coalesce(try_strptime(p.date, '%d/%m/%Y'),
                   try_cast(p.date AS TIMESTAMP))::DATE, p.source, p.line, g.code,
                   coalesce(pc.code, upper(trim(p.pays))), p.code_postal,
                   nullif(trim(p.societe), '') IS NOT NULL, g.tva_intra, tc.code,
                   coalesce(try_cast(replace(p.tva_taux, ',', '.') AS DECIMAL(6, 3)), tc.taux,
                            try_cast(lr.rate AS DECIMAL(6, 3))),
                   tc.taux, tc.type, NULL, NULL, NULL
            FROM pending p
                 LEFT JOIN pending_country pc ON pc.raw = p.pays
                 LEFT JOIN correspondences ct ON ct.connector = p.connector AND ct.domain = 'tva'
                      AND ct.state = 'valide' AND ct.external_value = p.tva_label AND ct.external_variant = ''
                 LEFT JOIN tva_codes tc ON tc.code = ct.gc_value
                 LEFT JOIN label_rate lr ON lr.label = p.tva_label
                 LEFT JOIN correspondences cc ON cc.connector = p.connector AND cc.domain = 'tiers'
                      AND cc.state = 'valide' AND cc.external_value = p.client_ext_id AND cc.external_variant = ''
                 LEFT JOIN tiers g ON g.code = cc.gc_value
            WHERE nullif(trim(p.sku), '') IS NOT NULL
              -- A partial reception leaves its file pending: a document already integrated from it is
              -- judged once, as integrated (its GC totals and tiers are the ones that count).
              AND NOT EXISTS (SELECT 1 FROM documents i WHERE i.connector = p.connector
                                                          AND i.ext_number = p.doc_ext_id)
            ORDER BY 1, 2, 3, 6""", [connector, connector])
    finally:
        for name in ("label_rate", "pending_country", "pending"):
            con.unregister(name)


def run(workspace: str | os.PathLike[str], *, connector: str | None = None, today: dt.date | None = None,
        **options: Any) -> DiagnosticResult:
    """Run the « configuration TVA » diagnostic.

    Args:
        workspace: the workspace folder.
        connector: restrict documents and correspondences to one connector (default: all).
        today: date used for the GC codes' rates (default: the real today).
        **options: ``pending=False`` skips the pending files; ``oss`` (``"oui"``/``"non"``) and
            ``threshold`` override the settings.

    Returns:
        Findings whose ``subject`` is the document number (document checks), the GC VAT code or label
        (configuration checks) or the tiers code (TVA-NUM).
    """
    from ..reception.pending import empty_pending, pending_lines

    start = time.perf_counter()
    today = today or dt.date.today()
    pend = pending_lines(workspace, connector) if options.get("pending", True) else empty_pending()
    out: list[findings.Finding] = []
    with store.connect(workspace, read_only=True) as con:
        oss = options.get("oss") or store.get_setting(con, SETTING_OSS)
        threshold = Decimal(str(options.get("threshold") or store.get_setting(con, SETTING_THRESHOLD)
                                or DEFAULT_THRESHOLD))
        eu = {r[0] for r in con.execute("SELECT code FROM countries WHERE ue").fetchall()} or set()
        rates = _rate_table(con)
        out += _configuration(con, connector, today, rates)
        out += _numbers(con)
        lines = _doc_lines(con, connector, pend)
    out += _documents(lines, eu, rates, oss, threshold)
    from ..mappings.correspondences import stale

    out += [f for f in stale(workspace) if f.column == "tva" and (connector is None or f.source == connector)]
    return DiagnosticResult(NAME, out, seconds=time.perf_counter() - start)


class _Rates:
    """The workspace's dated rates, indexed by (country, territory)."""

    def __init__(self, rows: list[tuple[str, str, Decimal, dt.date, dt.date | None]]) -> None:
        self.rows: dict[tuple[str, str], list[tuple[Decimal, dt.date, dt.date | None]]] = {}
        for c, t, r, f, u in rows:
            self.rows.setdefault((c, t), []).append((Decimal(r).normalize(), f, u))

    def on(self, country: str | None, territory: str, day: dt.date) -> set[Decimal]:
        c = {"EL": "GR"}.get(country or "", country or "")
        if territory == "SANS_TVA":
            return {Decimal(0)}
        return {r for r, f, u in self.rows.get((c, territory), []) if f <= day and (u is None or day <= u)}

    def known(self, country: str | None) -> bool:
        c = {"EL": "GR"}.get(country or "", country or "")
        return any(k[0] == c for k in self.rows)


def _rate_table(con: duckdb.DuckDBPyConnection) -> _Rates:
    return _Rates(con.execute("SELECT country, upper(territory), rate, valid_from, valid_to FROM vat_rates").fetchall())


def _configuration(con: duckdb.DuckDBPyConnection, connector: str | None, today: dt.date,
                   rates: _Rates) -> list[findings.Finding]:
    """TVA-TAUX (label vs code), TVA-CONFLIT (label → two codes), TVA-INCONNU (code rate)."""
    out: list[findings.Finding] = []
    for r in _rows(con, """
            SELECT c.connector, c.external_value, c.gc_value, t.taux
            FROM correspondences c JOIN tva_codes t ON t.code = c.gc_value
            WHERE c.domain = 'tva' AND c.state = 'valide' AND (? IS NULL OR c.connector = ?)
            ORDER BY 1, 2""", [connector, connector]):
        read = vat_rate(r["external_value"])
        if read is not None and read != Decimal(r["taux"]).normalize():
            out.append(findings.make(
                "TVA-TAUX", item=f"le libellé « {r['external_value']} »", subject=r["gc_value"],
                value=r["external_value"], source=r["connector"],
                detail=f"le libellé indique {_fmt(read)} %, le code GC {r['gc_value']} vaut {_fmt(r['taux'])} %"))
    for r in _rows(con, """
            SELECT lower(trim(external_value)) AS label, min(external_value) AS shown,
                   list(DISTINCT gc_value ORDER BY gc_value) AS codes,
                   list(DISTINCT connector || ' → ' || gc_value ORDER BY connector || ' → ' || gc_value) AS detail
            FROM correspondences WHERE domain = 'tva' AND state = 'valide' AND gc_value IS NOT NULL
              AND (? IS NULL OR connector = ?)
            GROUP BY 1 HAVING count(DISTINCT gc_value) > 1 ORDER BY 1""", [connector, connector]):
        out.append(findings.make("TVA-CONFLIT", vat_label=r["shown"], detail=", ".join(r["detail"])))
    for code, taux, pays in con.execute(
            "SELECT code, taux, upper(pays) FROM tva_codes WHERE actif AND taux <> 0 ORDER BY code").fetchall():
        rate = Decimal(taux).normalize()
        allowed = set().union(*(rates.on(pays, t, today) for t in ("", "DOM", "CORSE")))
        if rates.known(pays) and rate not in allowed:
            out.append(findings.make("TVA-INCONNU", rate=rate, country=pays, date=today,
                                     detail=f"code TVA {code} de la GC", subject=code, column="taux"))
    return out


def _numbers(con: duckdb.DuckDBPyConnection) -> list[findings.Finding]:
    """TVA-NUM: intra-EU VAT numbers of the active tiers, checked offline."""
    out = []
    for code, number, pays in con.execute(
            "SELECT code, trim(tva_intra), upper(trim(pays)) FROM tiers "
            "WHERE actif AND nullif(trim(tva_intra), '') IS NOT NULL ORDER BY code").fetchall():
        why = check_vat_number(number, _country(pays))
        if why:
            out.append(findings.make("TVA-NUM", subject=code, vat_number=number, column="tva_intra", detail=why))
    return out


def _documents(lines: list[dict], eu: set[str], rates: _Rates, oss: str | None,
               threshold: Decimal) -> list[findings.Finding]:
    out: list[findings.Finding] = []
    docs: dict[tuple[str, str, str], dict[str, Any]] = {}
    for ln in lines:
        key = (ln["origin"], ln["connector"], ln["document"])
        d = docs.setdefault(key, {**ln, "lines": []})
        d["lines"].append(ln)
    # EU B2C distance sales per calendar year (integrated documents), for the OSS threshold.
    b2c: dict[int, Decimal] = {}
    for d in docs.values():
        d["vat_ok"] = bool(d["tva_intra"]) and check_vat_number(d["tva_intra"], d["country"]) is None
        d["eu_other"] = d["country"] in eu and d["country"] not in ("FR", "MC")
        if d["origin"] == "integre" and d["eu_other"] and not d["vat_ok"] and d["doc_date"] and d["total_ht"]:
            b2c[d["doc_date"].year] = b2c.get(d["doc_date"].year, Decimal(0)) + Decimal(d["total_ht"])
    for d in docs.values():
        out += _document_findings(d, eu, rates, oss, threshold, b2c)
    return out


def _document_findings(d: dict[str, Any], eu: set[str], rates: _Rates, oss: str | None, threshold: Decimal,
                       b2c: dict[int, Decimal]) -> list[findings.Finding]:
    out: list[findings.Finding] = []
    doc, day = d["document"], d["doc_date"] or dt.date.today()
    where = {"document": doc, "source": d["source"] or d["connector"]}
    charged = sorted({Decimal(ln["rate"]).normalize() for ln in d["lines"] if ln["rate"] is not None})
    top = max(charged, default=None)
    country, territory = _territory(d["country"], d["cp"])
    # Line rate vs the GC code it carries.
    for ln in d["lines"]:
        if ln["rate"] is not None and ln["code_rate"] is not None and Decimal(ln["rate"]) != Decimal(ln["code_rate"]):
            out.append(findings.make("TVA-TAUX", item=f"le code TVA {ln['code_tva']}", subject=doc,
                                     value=ln["code_tva"], line=ln["line"], column="taux_tva",
                                     detail=f"ligne {ln['line']} à {_fmt(ln['rate'])} %, code {ln['code_tva']} à "
                                            f"{_fmt(ln['code_rate'])} %", **where))
    # Rates unknown everywhere they could legitimately come from (destination, France, territory).
    known = rates.on(country, territory, day) | rates.on("FR", "", day) | {Decimal(0)}
    if rates.known(country) or territory:
        for r in charged:
            if r not in known:
                out.append(findings.make("TVA-INCONNU", rate=r, country=country, date=day,
                                         detail=f"document {doc}", subject=doc, column="taux_tva", **where))
    if top is None:
        return out
    if territory and country == "FR":
        local = rates.on("FR", territory, day)
        wrong = [r for r in charged if r not in local and r in rates.on("FR", "", day)]
        if wrong:
            out.append(findings.make("TVA-TERR", postcode=d["cp"], column="code_postal",
                                     hint=_TERR_HINT[territory], **where))
    elif d["eu_other"]:
        if d["vat_ok"] and top > 0:
            out.append(findings.make("TVA-B2B-UE", value=_fmt(top), column="taux_tva",
                                     detail=f"acheteur {d['country']} avec n° de TVA valide {d['tva_intra']}, "
                                            f"TVA facturée à {_fmt(top)} %", **where))
        elif not d["vat_ok"] and top == 0:
            out.append(findings.make("TVA-B2B-UE", findings.Level.ERREUR, value="0", column="taux_tva",
                                     detail=f"acheteur {d['country']} sans n° de TVA valide, facturé à 0 %",
                                     **where))
        elif not d["vat_ok"]:
            out += _b2c(d, top, country, day, rates, oss, threshold, b2c, where)
    elif country not in ("FR", "MC") and country is not None and country not in eu:
        if top > 0:
            out.append(findings.make("TVA-EXPORT", value=_fmt(top), column="taux_tva",
                                     detail=f"destination {country} hors UE, TVA facturée à {_fmt(top)} %", **where))
        else:
            codes = sorted({ln["code_tva"] for ln in d["lines"] if ln["code_type"] not in (None, "export")
                            and ln["code_tva"]})
            if codes:
                out.append(findings.make("TVA-EXPORT", value="0", column="code_tva",
                                         detail=f"0 % sur le code {', '.join(codes)} qui n'est pas un code export",
                                         **where))
    out += _shipping(d, charged, where)
    return out


_TERR_HINT = {
    "DOM": "DOM (Guadeloupe, Martinique, Réunion) : 8,5 % / 2,1 %.",
    "CORSE": "Corse : 13 / 10 / 2,1 / 0,9 % selon les produits.",
    "SANS_TVA": "Guyane et Mayotte : TVA non applicable pour l'instant.",
}


def _b2c(d: dict[str, Any], top: Decimal, country: str | None, day: dt.date, rates: _Rates, oss: str | None,
         threshold: Decimal, b2c: dict[int, Decimal], where: dict[str, Any]) -> list[findings.Finding]:
    sales = b2c.get(day.year, Decimal(0))
    above = sales > threshold or b2c.get(day.year - 1, Decimal(0)) > threshold
    destination = rates.on(country, "", day)
    expected_dest = oss == "oui" or above
    expected = destination if expected_dest else rates.on("FR", "", day)
    status = {"oui": "inscrit à l'OSS", "non": "non inscrit à l'OSS"}.get(str(oss), "statut OSS non renseigné")
    if oss in ("oui", "non") and top in expected:
        return []
    rule = (f"taux de {country} attendu ({', '.join(_fmt(r) for r in sorted(destination))} %)" if expected_dest
            else "taux français admis sous le seuil")
    detail = (f"ventes à distance UE {day.year} : {_fmt(sales.quantize(Decimal('0.01')))} € HT pour un seuil de "
              f"{_fmt(threshold)} € ; {status} ; {rule}")
    return [findings.make("TVA-B2C-UE", rate=top, country=country, column="taux_tva", detail=detail,
                          hint=f"{detail[0].upper()}{detail[1:]}. Confirmez le statut OSS : réglage {SETTING_OSS} "
                               f"= oui/non ({place(SETTING_OSS)}).", **where)]


def _shipping(d: dict[str, Any], charged: list[Decimal], where: dict[str, Any]) -> list[findings.Finding]:
    """TVA-PORT / TVA-TAUX from the document totals (integrated documents: totals include shipping)."""
    if d["origin"] != "integre" or d["total_ht"] is None or d["total_ttc"] is None:
        return []
    lines = [ln for ln in d["lines"] if ln["line_ht"] is not None and ln["rate"] is not None]
    goods = sum((Decimal(ln["line_ht"]) for ln in lines), Decimal(0))
    goods_tax = sum((Decimal(ln["line_ht"]) * Decimal(ln["rate"]) / 100 for ln in lines), Decimal(0))
    port = Decimal(d["total_ht"]) - goods
    tax = Decimal(d["total_ttc"]) - Decimal(d["total_ht"])
    tol = _TOL * (len(lines) + 2)
    top = max(charged, default=Decimal(0))
    prorata = goods_tax / goods if goods else top / 100
    if abs(tax - goods_tax - port * top / 100) <= tol or abs(tax - goods_tax - port * prorata) <= tol:
        return []
    if port > _TOL:
        port_rate = (tax - goods_tax) / port * 100
        return [findings.make("TVA-PORT", rate=port_rate.quantize(Decimal("0.1")), column="port", **where)]
    implied = tax / Decimal(d["total_ht"]) * 100 if d["total_ht"] else Decimal(0)
    return [findings.make("TVA-TAUX", item=f"le document {where['document']}", subject=where["document"],
                          value=where["document"], column="total_ttc",
                          detail=f"taux calculé HT/TTC {_fmt(implied.quantize(Decimal('0.01')))} % ≠ taux des lignes "
                                 f"{', '.join(_fmt(r) for r in charged)} %", **where)]
