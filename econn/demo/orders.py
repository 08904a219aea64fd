"""Orders of the demo: the pending incoming CSV files (with planted problems) and the integrated history.

Incoming files use the layout of a French shop export: one row per order line,
the order's header fields repeated on each row, ``;`` separator, decimal comma,
``dd/mm/yyyy`` dates, CRLF line ends; cp1252 or UTF-8 with BOM.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from . import data as D

HEADER = [
    "N° commande", "Date commande", "Code client", "Société", "Civilité", "Nom", "Prénom", "E-mail", "Téléphone",
    "Mobile", "Adresse 1", "Adresse 2", "Code postal", "Ville", "Pays", "Mode de règlement", "Référence article",
    "Déclinaison", "Désignation", "Quantité", "Unité", "PU HT", "Remise %", "TVA", "Frais de port HT", "Total HT",
    "Total TTC",
]
# Site VAT labels (the shop numbers its rates its own way: its « V2 - 20 % » is the GC's V3).
TVA_LABEL = {"V3": "V2 - 20 %", "V1": "V1 - 5,5 %", "V2": "V3 - 10 %"}
PAYMENT_LABEL = {"CB": "CB", "PAYPAL": "PayPal", "VIR": "Virement", "CHQ": "Chèque"}
CENT = Decimal("0.01")


def money(x: Decimal) -> Decimal:
    """Round to the cent, half up (what a shop does)."""
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def fr_num(x: Decimal | float, places: int = 2) -> str:
    """French decimal: comma, no thousands separator; whole quantities without decimals."""
    d = Decimal(str(x))
    if places == 0 or (places < 0 and d == d.to_integral_value()):
        return str(int(d))
    return f"{d:.{abs(places)}f}".replace(".", ",")


@dataclass
class Line:
    """One order line as the shop sends it, with the GC values it maps to."""

    article: str          # GC code (None-like '' when the SKU is unknown to the GC)
    sku: str
    variant: str
    libelle: str
    qte: Decimal
    pu_ht: Decimal
    code_tva: str          # GC code, for the integrated history
    taux: Decimal
    unite_ext: str = "UNI"
    unite_gc: str = "UNI"
    remise: Decimal = Decimal(0)
    tva_label: str | None = None

    @property
    def ht(self) -> Decimal:
        return money(self.qte * self.pu_ht * (1 - self.remise / 100))


@dataclass
class Order:
    """An order (header + lines) as exported by the shop."""

    number: str
    date: dt.date
    code_client: str
    customer: dict[str, Any]
    payment: str                      # external label
    lines: list[Line]
    port: Decimal = Decimal(0)
    pays: str | None = None           # overrides the customer's country as written in the file
    extra: dict[str, str] = field(default_factory=dict)

    def totals(self) -> tuple[Decimal, Decimal]:
        """(Total HT, Total TTC): lines + shipping, VAT summed per rate; shipping at the goods' highest rate."""
        ht = sum((ln.ht for ln in self.lines), Decimal(0)) + self.port
        by_rate: dict[Decimal, Decimal] = {}
        for ln in self.lines:
            by_rate[ln.taux] = by_rate.get(ln.taux, Decimal(0)) + ln.ht
        port_rate = max(by_rate) if by_rate else Decimal(20)
        by_rate[port_rate] = by_rate.get(port_rate, Decimal(0)) + self.port
        tva = sum((money(base * rate / 100) for rate, base in by_rate.items()), Decimal(0))
        return money(ht), money(ht + tva)

    def rows(self) -> list[list[str]]:
        """File rows: the header fields repeated on each line."""
        c = self.customer
        total_ht, total_ttc = self.totals()
        head = [self.number, self.date.strftime("%d/%m/%Y"), self.code_client, c.get("societe") or "",
                c.get("civilite") or "", c.get("nom") or "", c.get("prenom") or "", c.get("email") or "",
                c.get("telephone") or "", c.get("mobile") or "", c.get("adresse1") or "", c.get("adresse2") or "",
                c.get("code_postal") or "", c.get("ville") or "", self.pays or c.get("pays") or "FR", self.payment]
        out = []
        for ln in self.lines:
            out.append(head + [
                ln.sku, ln.variant, ln.libelle, fr_num(ln.qte, -2), ln.unite_ext, fr_num(ln.pu_ht),
                fr_num(ln.remise, -2), ln.tva_label or TVA_LABEL[ln.code_tva], fr_num(self.port),
                fr_num(total_ht), fr_num(total_ttc)])
        return out


def write_orders(path: Path, orders: list[Order], encoding: str) -> dict[str, list[int]]:
    """Write orders as a shop export; returns the physical line numbers of each order (header = line 1)."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(HEADER)
    where: dict[str, list[int]] = {}
    line_no = 1
    for o in orders:
        for row in o.rows():
            line_no += 1
            w.writerow(row)
            where.setdefault(o.number, []).append(line_no)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue().encode(encoding))  # cp1252 raises on a character it cannot hold
    return where


# ---------------------------------------------------------------------------
# Pending files

_CORE = {a[0]: a for a in D.CORE_ARTICLES}


def core_line(code: str, qte: float, *, sku: str | None = None, variant: str = "", unite: str = "UNI",
              tva_label: str | None = None, remise: float = 0, facil: bool = False) -> Line:
    """A line on a core article, with its CSV (or FACIL: GC code) reference."""
    _c, lib, unit, tva, pv, _pa, _f, _a, _e = _CORE[code]
    if sku is None:
        sku = code if facil else D.CORE_CSV_SKUS[code][0][0]
    return Line(article=code, sku=sku, variant=variant, libelle=lib, qte=Decimal(str(qte)),
                pu_ht=Decimal(str(pv)), code_tva=tva, taux=Decimal(str(D.TVA_RATE[tva])), unite_ext=unite,
                unite_gc=unit, remise=Decimal(str(remise)), tva_label=tva_label)


def _with_label(line: Line, suffix: str) -> Line:
    line.libelle += suffix  # shops append promotions to the designation (and bring a € to the cp1252 file)
    return line


def _new(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = dict.fromkeys(["societe", "civilite", "nom", "prenom", "email", "telephone", "mobile",
                                          "adresse1", "adresse2", "code_postal", "ville", "pays"])
    base.update(kw)
    return base


def pending_files(today: dt.date, tiers: dict[str, dict[str, Any]], rng: random.Random
                  ) -> list[tuple[str, str, str, list[Order]]]:
    """The incoming files: (connector, file name, encoding, orders). Planted problems are commented."""
    j2, j1 = today - dt.timedelta(days=2), today - dt.timedelta(days=1)
    q = rng.randint  # quantities of clean lines vary with the seed; the planted values do not
    t = tiers
    rycmi = dict(t["RYCMI"], adresse2="Résidence Les Tilleuls; bât. B")  # a ';' inside a quoted field
    main = [
        # FIC-DUPDOC: already integrated (documents table, CSV connector).
        Order("CW_0000121_02", j2 - dt.timedelta(days=3), "PROSPEC", t["PROSPEC"], "CB",
              [core_line("AOPVEMA15B", 12)]),
        # The seed manual's example: Prospect, 180,00 €, CB — clean.
        Order("CW_0000121_03", j2 - dt.timedelta(days=3), "PROSPEC", t["PROSPEC"], "CB",
              [core_line("AOPVEMA15B", 12)]),
        Order("CW_0000122_01", j2 - dt.timedelta(days=2), "DERYCKE.MICHEL@FR", rycmi, "CB",
              [core_line("CHAB22", q(2, 6)), _with_label(core_line("COFCOE", 1), " – prix doux 39 €")],
              port=Decimal("9.90")),
        # COR-ART: ARRO has no correspondence on CSV → the whole document is blocked.
        Order("CW_0000123_01", j2 - dt.timedelta(days=2), "ANDPA", t["ANDPA"], "CB",
              [core_line("BECH", 3), core_line("ARRO", 2, sku="ARRO")]),
        # Customer found by e-mail (new shop code); COR-TVA: unknown VAT label « TVA 5,5% » (→ V1).
        Order("CW_0000124_01", j2 - dt.timedelta(days=2), "C0009458",
              _new(civilite="M.", nom="Vasseur", prenom="Thierry", email="thierry.vasseur@wanadoo.fr",
                   adresse1="7 place Lamartine", code_postal="62400", ville="Béthune", pays="FR"), "PayPal",
              [core_line("MIEL", 4, tva_label="TVA 5,5%"), core_line("CONFIG", q(1, 3))], port=Decimal("6.90")),
        # Customer found by phone only; COR-UNI: unknown unit « Bouteille » (→ BTL, UN/ECE BO).
        Order("CW_0000125_01", j2 - dt.timedelta(days=1), "C0009461",
              _new(civilite="Mme", nom="Carpentier", prenom="Nadine", email="nadine.c80@gmail.com",
                   mobile="06.72.18.44.90", adresse1="18 rue des Otages", code_postal="80000", ville="Amiens",
                   pays="FR"), "CB",
              [core_line("CDR21R", 6, unite="Bouteille"), core_line("SECAT", 1)], port=Decimal("6.90")),
        # COR-PAYS: country written « Hollande » (→ NL).
        Order("CW_0000126_01", j2 - dt.timedelta(days=1), "C0000801", t["DEVAN"], "CB",
              [core_line("PLAID", 1, variant="Gris"), core_line("BOUGFIG", q(1, 3), variant="Figuier")],
              port=Decimal("14.90"), pays="Hollande"),
        # COR-CLI-HOMO: same nom + prénom + CP + ville as GC tiers FONEM, different e-mail and phone.
        Order("CW_0000127_01", j2 - dt.timedelta(days=1), "C0009462",
              _new(civilite="Mme", nom="Fontaine", prenom="Émilie", email="e.fontaine59@laposte.net",
                   mobile="07 45 19 62 08", adresse1="3 rue Solférino", code_postal="59800", ville="Lille",
                   pays="FR"), "CB",
              [core_line("HUILE50", 2), core_line("TAPEN", q(2, 4))], port=Decimal("6.90")),
        # COR-CLI-NEW: a new company (Société filled → type société), country written « France ».
        Order("CW_0000128_01", j2, "C0009470",
              _new(societe="SAS Domaine des Trois Chênes", civilite="M.", nom="Ménard", prenom="Paul",
                   email="paul.menard@troischenes.fr", telephone="03 80 24 55 10",
                   adresse1="La Croix-Blanche; route de Pommard", code_postal="21200", ville="Beaune",
                   pays="France"), "Virement",
              [core_line("CREMBR", 24, remise=10), core_line("COFCOE", 6)]),
        # COR-CLI-NEW: a new individual.
        Order("CW_0000129_01", j2, "C0009473",
              _new(civilite="Mme", nom="Lebreton", prenom="Zoé", email="zoe.lebreton@gmail.com",
                   mobile="06 81 27 43 95", adresse1="44 boulevard de la Liberté", code_postal="35000",
                   ville="Rennes", pays="FR"), "PayPal",
              [core_line("MIEL", 2), core_line("COUSS", 1, variant="Bleu nuit")], port=Decimal("6.90")),
        # ART-ABS-GC (+ COR-ART): SKU « VIN-MEURSAULT-2020 » unknown to the GC → document blocked.
        Order("CW_0000130_01", j2, "C0000734", t["VANKO"], "CB",
              [core_line("CHAB22", 3),
               Line(article="", sku="VIN-MEURSAULT-2020", variant="", libelle="Meursault 2020 75 cl",
                    qte=Decimal(2), pu_ht=Decimal("42.00"), code_tva="V3", taux=Decimal(20))],
              port=Decimal("14.90")),
        Order("CW_0000131_01", j2, "C0000562", t["OENOT"], "Virement",
              [core_line("CDR21R", 24), core_line("CREMBR", 12)], pays="France"),
    ]
    second = [
        Order("CW_0000132_01", j1, "0641215874", t["GUEPI"], "CB",
              [core_line("TERR40", q(2, 5)), core_line("ARROS10", 1)], port=Decimal("9.90")),
        Order("CW_0000133_01", j1, "C0000318", t["HUBOL"], "PayPal",
              [core_line("CHAB22", q(1, 3)), core_line("TAPEN", 1)], port=Decimal("6.90")),
        Order("CW_0000134_01", j1, "C0000905", t["LEGMA"], "CB",
              [core_line("COUSS", 2, variant="Lin naturel"), core_line("MIEL", 1)], port=Decimal("6.90")),
    ]
    facil = [
        Order("ETA-000913", j1, "DERYCKE.MICHEL@FR", t["RYCMI"], "Virement",
              [core_line("PUBTAB", 2, facil=True), core_line("PUBTIR", q(5, 12), facil=True)]),
        Order("ETA-000914", j1, "OENOT", t["OENOT"], "Virement",
              [core_line("PUBCAT", 50, facil=True), core_line("PUBTIR", 20, facil=True)]),
    ]
    return [
        ("CSV", f"commandes_{j2:%Y%m%d}.csv", "cp1252", main),
        ("CSV", f"commandes_{j1:%Y%m%d}.csv", "utf-8-sig", second),
        ("FACIL", f"livraisons_{j1:%Y%m%d}.csv", "cp1252", facil),
    ]
