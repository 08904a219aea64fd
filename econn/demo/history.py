"""The demo's past: ~150 integrated documents, their payments and five months of history rows.

Every timestamp derives from ``today`` and the build's ``random.Random``, so a
build is reproducible; the most recent rows fall in the last 48 hours.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import data as D
from .orders import PAYMENT_LABEL, TVA_LABEL, Line, Order, core_line
from ..findings import make

Row = dict[str, Any]
USERS = ["agodin", "mleroy", "agodin", "tdelattre"]


@dataclass
class History:
    """Rows for documents, document_lines, payments and history, plus the last counter values."""

    documents: list[Row] = field(default_factory=list)
    lines: list[Row] = field(default_factory=list)
    payments: list[Row] = field(default_factory=list)
    history: list[Row] = field(default_factory=list)
    last_document: int = 0
    last_payment: int = 0


def _at(day: dt.date, rng: random.Random, lo: int, hi: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(lo, hi - 1), rng.randint(0, 59), rng.randint(0, 59)))


def _name(t: Row) -> str:
    """How the history names a tiers: the company, else « Prénom NOM » (as in the seed: « Patrick ANDRE »)."""
    if t.get("societe"):
        return str(t["societe"])
    return " ".join(p for p in (t.get("prenom"), (t.get("nom") or "").upper() if t.get("prenom") else t.get("nom"))
                    if p)


def _random_order(rng: random.Random, number: str, day: dt.date, customers: list[tuple[str, Row]],
                  catalogue: list[tuple[Row, str, str]]) -> Order:
    ext, tiers = rng.choice(customers)
    lines = []
    for art, sku, variant in rng.sample(catalogue, rng.randint(1, 4)):
        tva = art["code_tva"]
        lines.append(Line(article=art["code"], sku=sku, variant=variant, libelle=art["libelle"],
                          qte=Decimal(rng.choice([1, 1, 1, 2, 2, 3, 6, 12])), pu_ht=Decimal(str(art["prix_ht"])),
                          code_tva=tva, taux=Decimal(str(D.TVA_RATE[tva])), unite_gc=art["unite"]))
    ht = sum((ln.ht for ln in lines), Decimal(0))
    port = Decimal(0) if ht >= 100 else Decimal(rng.choice(["6.90", "9.90"]))
    payment = rng.choices(["CB", "PAYPAL", "VIR", "CHQ"], [60, 25, 10, 5])[0]
    return Order(number, day, ext, tiers, PAYMENT_LABEL[payment], lines, port=port)


def build_history(rng: random.Random, today: dt.date, tiers: dict[str, Row],
                  customers: dict[str, list[tuple[str, Row]]],
                  catalogues: dict[str, list[tuple[Row, str, str]]], exportable: dict[str, int],
                  n_contacts: int) -> History:
    """Integrated documents for both connectors over ~5 months, errors, client receptions and envois."""
    h = History()
    planned: list[tuple[str, dt.datetime, Order, str | None]] = []  # (connector, integrated_at, order, problem)
    # CSV: shop orders CW_0000021 … CW_0000120, integrated the morning after, ~10 % blocked.
    for i, n in enumerate(range(21, 121)):
        day = today - dt.timedelta(days=150 - int(i * 145 / 100))
        for part in (1, 2) if rng.random() < 0.06 else (1,):
            o = _random_order(rng, f"CW_{n:07d}_{part:02d}", day, customers["CSV"], catalogues["CSV"])
            problem = rng.choice(["COR-ART", "ART-ABS-GC", "COR-TVA", "COR-UNI", "FIC-DUPDOC"]) \
                if rng.random() < 0.1 else None
            planned.append(("CSV", _at(day + dt.timedelta(days=1), rng, 8, 11), o, problem))
    # The seed's history: CW_0000121_01 and _02, Prospect, 180 € (the pending file repeats _02).
    for part in (1, 2):
        day = today - dt.timedelta(days=6)
        o = Order(f"CW_0000121_{part:02d}", day, "PROSPEC", tiers["PROSPEC"], "CB", [core_line("AOPVEMA15B", 12)])
        planned.append(("CSV", _at(today - dt.timedelta(days=5), rng, 9, 10), o, None))
    # FACIL: deliveries ETA-000850 … ETA-000912 from SuiviETA, integrated the same evening; the last yesterday.
    for i, n in enumerate(range(850, 913)):
        day = today - dt.timedelta(days=1 if n >= 910 else 148 - int(i * 150 / 62))
        o = _random_order(rng, f"ETA-{n:06d}", day, customers["FACIL"], catalogues["FACIL"])
        problem = "COR-ART" if rng.random() < 0.06 else None
        if n == 910:  # an open error in the last 48 hours
            problem = "COR-ART"
        lo, hi = (8, 10) if day >= today - dt.timedelta(days=1) else (17, 19)
        planned.append(("FACIL", _at(day, rng, lo, hi), o, problem))
    planned.sort(key=lambda p: (p[1], p[0], p[2].number))

    year_base = planned[0][1].year * 1_000_000 + 100
    gc_no, pay_no = year_base, 0
    for connector, at, o, problem in planned:
        gc_tiers = str(o.customer["code"])
        total_ht, total_ttc = o.totals()
        payment_code = {v: k for k, v in PAYMENT_LABEL.items()}[o.payment]
        common = {"connector": connector, "purchase_date": o.date, "origin_number": o.number,
                  "name": _name(o.customer), "origin_tiers": o.code_client, "amount_ttc": total_ttc}
        if problem:
            h.history.append(dict(common, **_error_row(rng, today, at, o, problem)))
            continue
        gc_no += 1
        doc_id = len(h.documents) + 1
        payment_number = None
        if connector == "CSV":  # auto_payment
            pay_no += 1
            payment_number = f"RG{pay_no:06d}"
            h.payments.append({"id": pay_no, "number": payment_number, "document_id": doc_id,
                               "mode": payment_code, "amount": total_ttc, "paid_on": o.date})
        file_prefix = "commandes" if connector == "CSV" else "livraisons"
        h.documents.append({
            "id": doc_id, "connector": connector, "ext_number": o.number, "gc_number": str(gc_no),
            "doc_type": "commande" if connector == "CSV" else "livraison", "doc_date": o.date,
            "tiers_code": gc_tiers, "tiers_ext": o.code_client, "name": _name(o.customer), "total_ht": total_ht,
            "total_ttc": total_ttc, "payment_code": payment_code, "entreprise": D.ENTREPRISE, "site": D.SITE,
            "transporteur": D.TRANSPORTEUR, "file_name": f"{file_prefix}_{at:%Y%m%d}.csv", "file_sha256": None,
            "integrated_at": at})
        for k, ln in enumerate(o.lines, start=1):
            h.lines.append({"document_id": doc_id, "line_no": k, "article": ln.article, "variant": ln.variant,
                            "libelle": ln.libelle, "qte": ln.qte, "unite": ln.unite_gc, "pu_ht": ln.pu_ht,
                            "remise_pct": ln.remise, "code_tva": ln.code_tva, "taux_tva": ln.taux})
        row = dict(common, kind="reception", data_type="document", at=at, gc_number=str(gc_no),
                   gc_tiers=gc_tiers, payment_number=payment_number, level="succès", code=None,
                   message=f"Document {o.number} intégré : {'commande' if connector == 'CSV' else 'livraison'} "
                           f"n° {gc_no}")
        if o.customer.get("pays") not in (None, "FR") and rng.random() < 0.7:
            f = make("TVA-B2C-UE", document=o.number, country=o.customer["pays"], rate=Decimal(20))
            row.update(level="alerte", code=f.code, message=f.message, hint=f.hint)
        elif rng.random() < 0.05:
            f = make("DOC-TOT", document=o.number, basis="TTC", declared_total=total_ttc,
                     lines_total=total_ttc - Decimal("0.01"))
            row.update(level="alerte", code=f.code, message=f.message, hint=f.hint)
        h.history.append(row)
    h.last_document, h.last_payment = gc_no, pay_no

    for t in tiers.values():  # customers the connector created at reception
        if t["origin"] == "reception":
            h.history.append({"connector": "CSV", "kind": "reception", "data_type": "client", "level": "succès",
                              "at": t["created_at"], "name": _name(t), "gc_tiers": t["code"], "code": "COR-CLI-NEW",
                              "message": f"Client {t['code']} créé à la réception (famille PARTF)"})
    _envois(h, rng, today, exportable, sum(1 for t in tiers.values() if t["type"] == "client"), n_contacts)
    h.history.sort(key=lambda r: (r["at"], r["connector"], r.get("origin_number") or "", r["kind"]))
    for i, r in enumerate(h.history, start=1):
        r["id"] = i
        r["occurred_at"] = r.pop("at")
    return h


def _error_row(rng: random.Random, today: dt.date, at: dt.datetime, o: Order, problem: str) -> Row:
    """A blocked document: open, or closed with a justification (« ressaisi en GC »)."""
    line = o.lines[0]
    if problem == "COR-ART":
        f = make(problem, value="ARRO" if o.number.startswith("CW") else "ECHANT-PUB", document=o.number)
    elif problem == "ART-ABS-GC":
        f = make(problem, article_ref=f"{line.sku}-OLD", document=o.number)
    elif problem == "COR-TVA":
        f = make(problem, value="TVA 20%", document=o.number)
    elif problem == "COR-UNI":
        f = make(problem, value="Carton", document=o.number)
    else:
        f = make(problem, document=o.number)
    row: Row = {"kind": "erreur", "data_type": "document", "level": "erreur", "at": at, "code": f.code,
                "message": f.message, "hint": f.hint, "reference": TVA_LABEL.get(line.code_tva)}
    if at.date() < today - dt.timedelta(days=7) and rng.random() < 0.75:
        closed = at + dt.timedelta(days=rng.randint(0, 3), hours=rng.randint(1, 6))
        row.update(closed_at=closed, closed_by=rng.choice(USERS),
                   justification="Doublon, déjà intégré : ignoré" if problem == "FIC-DUPDOC" else "ressaisi en GC")
    return row


def _envois(h: History, rng: random.Random, today: dt.date, exportable: dict[str, int], n_clients: int,
            n_contacts: int) -> None:
    """Weekly sends: CSV articles (with the ART-ABS-SITE warning for ARRO), FACIL articles and clients."""
    for week in range(22):
        day = today - dt.timedelta(days=1 + 7 * week)
        at = _at(day, rng, 12, 14)
        h.history.append({"connector": "CSV", "kind": "envoi", "data_type": "article", "level": "succès", "at": at,
                          "message": f"{exportable['CSV']} articles envoyés (disponibles à l'export)"})
        f = make("ART-ABS-SITE", article="ARRO")
        h.history.append({"connector": "CSV", "kind": "envoi", "data_type": "article", "level": "alerte", "at": at,
                          "code": f.code, "message": f.message, "hint": f.hint, "reference": "ARRO"})
        at = _at(day, rng, 19, 21)
        h.history.append({"connector": "FACIL", "kind": "envoi", "data_type": "article", "level": "succès",
                          "at": at, "message": f"{exportable['FACIL']} articles envoyés (filtre : PUB)"})
        h.history.append({"connector": "FACIL", "kind": "envoi", "data_type": "client", "level": "succès",
                          "at": at + dt.timedelta(minutes=2),
                          "message": f"{n_clients} clients et {n_contacts} contacts envoyés"})
