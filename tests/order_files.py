"""Generated order files for the reception's property test (issue #18: never a crash, whatever the file).

:func:`order_files` is a hypothesis strategy of :class:`OrderFile`: a few orders written in one export layout
— the demo's own header, the synonyms of :mod:`econn.reading.headers`, or the header of any registered format
of :mod:`econn.reading.formats` (every flow: an articles export dropped in the orders folder too) — with
values drawn from the demo workspace's GC data (:class:`DemoPool`: mapped articles, tiers, VAT labels, units,
countries, payment modes, integrated documents) mixed with unknown and odd ones, columns emptied, dropped,
added or shuffled, stray rows, and the dialect (separator, decimal mark, encoding, line ends, quoting) of
the file.

The file knows where each of its records starts (physical line), so a test can check that the reception
accounts for every one of them.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st

from econn import store
from econn.demo.orders import HEADER as DEMO_HEADER
from econn.reading.formats import FORMATS, SourceFormat
from econn.reading.headers import SYNONYMS, map_headers

# Canonical fields written once per order (the rest are line fields); see econn.reception.analysis.
ORDER_FIELDS = {"doc_ext_id", "date", "client_ext_id", "code_erp", "societe", "civilite", "nom", "prenom",
                "email", "telephone", "mobile", "adresse1", "adresse2", "code_postal", "ville", "pays",
                "reglement", "nom_complet", "transporteur", "port_ht", "port_ttc", "total_ht", "total_ttc",
                "total_tva", "remise_ttc", "remise_ht", "sous_total", "devise", "statut"}

# Values a shop export, a spreadsheet or a broken template puts anywhere.
ODD = ("", " ", "-", "0", "NULL", "N/A", "#N/A", "nan", "None", "=1+1", "+33 6 12", "'", "\"", "\"\"", ";",
       ",", "\t", "a;b", "x\ny", "x\r\ny", "€", "1 234,56", "1.234,56", "1,234.56", "12,5 €", "-0", "1e9",
       "1E-3", "99999999999999999999", "0x1F", "∞", "½", "١٢٣", "Ⅻ", "🍷", "Ünïcödé", "ß", "\u00a0",
       "\u202f12", "a" * 300, "é" * 120, "<b>gras</b>", "'01000", "#1001", "31/02/2026", "2026-13-45",
       "00/00/0000", "\\N", "\\", "true", "FALSE", "[]", "{}", "NaN", "inf", "-inf", "1e400", "01/01/0001",
       "31/12/9999")
UNKNOWN_WORDS = ("Zyxwvut", "Qwerty", "Bouteille", "Hollande", "Deutschland", "Stripe", "Apple Pay", "TVA 7%",
                 "Standard rate", "FR TVA 20%", "pièce", "Carton de 12", "XX", "ZZ", "CUSTOM-1", "SKU-404",
                 "Lorem ipsum", "Mme", "Dr", "GB", "CH", "EL", "MC", "GP")
ENCODINGS = ("utf-8", "utf-8", "utf-8-sig", "cp1252", "cp1252", "utf-16")
DELIMITERS = (";", ",", "\t", "|")


@dataclass(frozen=True)
class DemoPool:
    """The GC data of a workspace that generated files draw from (external values the connector maps).

    Attributes:
        articles: (SKU, variant, label, VAT rate) of the connector's article correspondences.
        gc_articles: (GC code, label, VAT rate) of GC articles (a GC code without correspondence is « sans
            correspondance »).
        tiers: GC tiers records with the connector's external code when it has one (key ``code_ext``).
        vat_labels: (external label, rate): the validated correspondences and the GC codes themselves.
        units, countries, payments: external values with a validated correspondence, and GC codes.
        documents: numbers of the connector's integrated documents (« déjà intégré »).
    """

    articles: tuple[tuple[str, str, str, float], ...]
    gc_articles: tuple[tuple[str, str, float], ...]
    tiers: tuple[dict[str, str | None], ...]
    vat_labels: tuple[tuple[str, float], ...]
    units: tuple[str, ...]
    countries: tuple[str, ...]
    payments: tuple[str, ...]
    documents: tuple[str, ...]

    @classmethod
    def load(cls, workspace: Path, connector: str = "CSV") -> DemoPool:
        """Read the pool from a workspace (the demo's)."""
        with store.connect(workspace, read_only=True) as con:
            def values(domain: str, gc_table: str) -> list[str]:
                return [r[0] for r in con.execute(
                    "SELECT DISTINCT external_value FROM correspondences WHERE connector = ? AND domain = ? "
                    "AND state = 'valide' ORDER BY 1", [connector, domain]).fetchall()] + [
                    r[0] for r in con.execute(f"SELECT code FROM {gc_table} ORDER BY 1 LIMIT 60").fetchall()]

            articles = con.execute("""
                SELECT c.external_value, c.external_variant, coalesce(a.libelle, ''), CAST(t.taux AS DOUBLE)
                FROM correspondences c JOIN articles a ON a.code = c.gc_value
                     LEFT JOIN tva_codes t ON t.code = a.code_tva
                WHERE c.connector = ? AND c.domain = 'article' AND c.state = 'valide' AND a.actif
                ORDER BY 1, 2""", [connector]).fetchall()
            gc_articles = con.execute("""
                SELECT a.code, a.libelle, CAST(t.taux AS DOUBLE) FROM articles a
                LEFT JOIN tva_codes t ON t.code = a.code_tva ORDER BY 1""").fetchall()
            tiers = con.execute("""
                SELECT t.code, c.external_value AS code_ext, t.societe, t.civilite, t.nom, t.prenom, t.email,
                       t.telephone, t.mobile, t.adresse1, t.adresse2, t.code_postal, t.ville, t.pays
                FROM tiers t LEFT JOIN correspondences c ON c.gc_value = t.code AND c.connector = ?
                     AND c.domain = 'tiers'
                ORDER BY t.code LIMIT 400""", [connector]).df()
            vat = con.execute("""
                SELECT c.external_value, CAST(t.taux AS DOUBLE) FROM correspondences c JOIN tva_codes t
                ON t.code = c.gc_value WHERE c.connector = ? AND c.domain = 'tva' AND c.state = 'valide'
                UNION ALL SELECT code, CAST(taux AS DOUBLE) FROM tva_codes WHERE actif ORDER BY 1""",
                              [connector]).fetchall()
            documents = [r[0] for r in con.execute(
                "SELECT ext_number FROM documents WHERE connector = ? ORDER BY 1 LIMIT 40",
                [connector]).fetchall()]
            units, countries = values("unite", "units"), values("pays", "countries") + ["France", "Belgique"]
            payments = values("reglement", "payment_methods")
        recs = [{k: (None if v is None or v != v else str(v)) for k, v in r.items()}
                for r in tiers.to_dict("records")]
        return cls(tuple(articles), tuple(gc_articles), tuple(recs), tuple(vat), tuple(units),
                   tuple(countries), tuple(payments), tuple(documents))


@dataclass(frozen=True)
class Layout:
    """The header row of an export and the canonical field each column holds (None: not imported)."""

    id: str
    headers: tuple[str, ...]
    fields: tuple[str | None, ...]
    first_line_only: tuple[str, ...] = ()
    strip_prefix: tuple[tuple[str, str], ...] = ()


def _format_layouts(fmt: SourceFormat) -> list[Layout]:
    out = []
    for lang, headers in fmt.headers.items():
        fields = tuple(fmt.field_of(h)[1] for h in headers)
        out.append(Layout(f"{fmt.id}:{lang}", headers, fields, fmt.semantics.first_line_only,
                          tuple(fmt.semantics.strip_prefix.items())))
    return out


def layouts() -> list[Layout]:
    """The demo's header and every registered format's header (each language)."""
    demo = Layout("demo", tuple(DEMO_HEADER),
                  tuple(m.field for m in map_headers(list(DEMO_HEADER), "documents")))
    return [demo, *(lay for fmt in FORMATS for lay in _format_layouts(fmt))]


LAYOUTS = layouts()


@dataclass
class OrderFile:
    """A generated file: its bytes and the physical line where each of its records starts."""

    name: str
    layout: str
    data: bytes
    # Start line of every line after the header, and of the lines before it: each one must be accounted for.
    records: list[int] = field(default_factory=list)
    header_line: int = 1
    orders: int = 0
    headers: tuple[str, ...] = ()

    def write(self, folder: Path) -> Path:
        """Write the file into ``folder``; returns its path."""
        p = folder / self.name
        p.write_bytes(self.data)
        return p

    def __repr__(self) -> str:   # hypothesis prints the falsifying example: show the text, not bytes
        return f"OrderFile({self.name!r}, {self.layout!r}, {self.data.decode('utf-8', 'replace')!r})"


# ------------------------------------------------------------------------------------------------ values

class _Values:
    """Cell values of one file. ``mess`` sets how hostile they are: 0 a clean export of known data (it must
    integrate), 1 a few unknown values, 2 unknown and odd values everywhere."""

    def __init__(self, r: random.Random, pool: DemoPool, decimal: str, mess: int,
                 fields: set[str | None]) -> None:
        self.r, self.pool, self.decimal, self.fields = r, pool, decimal, fields
        self.p_odd = (0.0, 0.03, 0.2)[mess]
        self.p_unknown = (0.0, 0.12, 0.35)[mess]

    def odd(self) -> bool:
        return self.r.random() < self.p_odd

    def unknown(self) -> bool:
        return self.r.random() < self.p_unknown

    def num(self, x: float) -> str:
        """A number the way exports write it: mostly plain, sometimes with thousands, currency or junk."""
        r = self.r
        if self.odd():
            return r.choice(ODD)
        k = r.random()
        if k < 0.8 or self.p_odd == 0:
            s = f"{x:.2f}" if r.random() < 0.7 else (str(int(x)) if x == int(x) else f"{x:.4f}".rstrip("0"))
            return s.replace(".", self.decimal)
        if k < 0.9:
            s = f"{x:,.2f}".replace(",", "\u202f" if self.decimal == "," else ",")
            return s.replace(".", self.decimal) if self.decimal == "," else s
        return f"{x:.2f} €".replace(".", self.decimal)

    def date(self) -> str:
        r = self.r
        if self.odd():
            return r.choice(ODD)
        d, m, y = r.randint(1, 28), r.randint(1, 12), r.choice((2024, 2025, 2026))
        clean = (f"{d:02d}/{m:02d}/{y}", f"{y}-{m:02d}-{d:02d} 10:14:22 +0200", f"{y}-{m:02d}-{d:02d}")
        if self.p_odd == 0:
            return r.choice(clean)
        return r.choice((*clean, f"{y}-{m:02d}-{d:02d} 9:05", f"{d}/{m}/{y % 100:02d}",
                         "Mar 3, 2025 10:14:22 AM", f"{m:02d}/{d:02d}/{y}"))

    def pick(self, known: tuple[str, ...] | list[str], empty_ok: bool = True) -> str:
        """A known value, else (as ``mess`` allows) an unknown, empty or odd one."""
        r = self.r
        if self.odd():
            return r.choice(ODD)
        if self.unknown() or not known:
            return r.choice(UNKNOWN_WORDS + (("",) if empty_ok else ()))
        return r.choice(known)


@dataclass
class _Line:
    sku: str
    variant: str
    label: str
    qte: float
    unit: str
    price: float
    remise: float
    vat: str
    rate: float


@dataclass
class _Order:
    number: str
    values: dict[str, str]
    lines: list[_Line]


def _customer(v: _Values) -> dict[str, str | None]:
    r, pool = v.r, v.pool
    if pool.tiers and r.random() < 0.6:
        t = dict(r.choice(pool.tiers))
        if v.unknown():            # a GC tiers under another shop code, or a homonym of it
            t["code_ext"] = r.choice(("", f"NEW{r.randint(1, 99999)}", t.get("code_ext") or ""))
            t["email"] = r.choice((t.get("email") or "", f"autre{r.randint(1, 999)}@example.org", ""))
        return t
    return {"code_ext": r.choice(("", f"C{r.randint(1, 10**7):07d}")),
            "societe": r.choice(("", "", "SAS Les Trois Chênes", "EARL du Moulin")),
            "civilite": v.pick(("M.", "Mme", "Mlle")), "nom": v.pick(("Zyxwvut", "Martin", "Ménard"), False),
            "prenom": v.pick(("Qqqq", "Paul", "Émilie")),
            "email": r.choice(("", f"x{r.randint(1, 10**6)}@example.org")),
            "telephone": r.choice(("", "03 80 24 55 10", "+33 3 80 24 55 10")),
            "mobile": r.choice(("", "06.72.18.44.90")),
            "adresse1": v.pick(("1 rue Nulle", "3 rue Solférino")),
            "adresse2": v.pick(("", "", "Bât. B; 2e étage", "Résidence\nLes Tilleuls")),
            "code_postal": v.pick(("99999", "75001", "97110", "20000", "01000", "'01000")),
            "ville": v.pick(("Nullepart", "Paris", "Lille"), False)}


def _order_line(v: _Values) -> _Line:
    r, pool = v.r, v.pool
    rate: float | None
    if v.unknown() and r.random() < 0.5 and pool.gc_articles:
        sku, label, rate = r.choice(pool.gc_articles)   # a GC code without correspondence (only suggested)
        variant = ""
    elif v.unknown() or not pool.articles:
        sku, variant, label, rate = (r.choice(("QQQ-UNKNOWN", "SKU-404", "", f"X{r.randint(1, 999)}")), "",
                                     r.choice(("Qqqqqq xxxxx", "", "Vin rouge")), None)
    else:
        sku, variant, label, rate = r.choice(pool.articles)
        if v.unknown():
            variant = r.choice(("", "Inconnue"))
    if v.odd():
        sku, variant, label = (r.choice((sku, r.choice(ODD))), r.choice((variant, r.choice(ODD))),
                               r.choice(ODD))
    elif r.random() < 0.1:
        label += " – promo 39 €"
    # The VAT label: one the GC maps to the article's rate (what a clean export writes), else any.
    same = [lab for lab, x in pool.vat_labels if x == rate]
    vat = r.choice(same) if same and not v.unknown() else v.pick([lab for lab, _ in pool.vat_labels])
    rate = dict(pool.vat_labels).get(vat, rate if rate is not None else 20.0)
    if v.unknown():
        rate = r.choice((7.0, 100.0, -20.0, rate))
    qte = r.choice((1, 1, 2, 3, 12, 0.5, 2.5)) if not v.unknown() else r.choice((0, -1, 1000, 1e-3))
    price = r.choice((9.9, 12.0, 39.0, 0.01, 1234.56)) if not v.unknown() else r.choice((0.0, -3.0, 1e7))
    remise = r.choice((0.0, 0.0, 0.0, 10.0, 25.0)) if not v.unknown() else r.choice((100.0, 150.0, -5.0))
    if "remise_pct" not in v.fields:   # nowhere to write it: the price is the net price
        remise = 0.0
    return _Line(sku, variant, label, qte, v.pick(pool.units), price, remise, vat, rate)


def _order(v: _Values, number: str) -> _Order:
    r = v.r
    t = _customer(v)
    port = r.choice((0.0, 0.0, 6.9, 9.9, 14.9)) if not v.unknown() else r.choice((-5.0, 1e6))
    lines = [_order_line(v) for _ in range(r.choice((1, 1, 2, 2, 3, 4)))]
    # As a shop computes them: each line rounded, VAT per line, shipping at the highest rate of the lines.
    line_ht = [round(ln.qte * ln.price * (1 - ln.remise / 100), 2) for ln in lines]
    ht = round(sum(line_ht), 2)
    rate = max((ln.rate for ln in lines), default=20.0)
    tva_lines = round(sum(x * ln.rate / 100 for x, ln in zip(line_ht, lines)), 2)
    tva = round(tva_lines + port * rate / 100, 2)
    total_ht, total_ttc = ht + port, ht + port + tva
    if v.unknown():
        total_ht, total_ttc = r.choice(((ht, ht), (0.0, total_ttc), (total_ttc, total_ht), (-ht, 1e9)))
    name = " ".join(x for x in (t.get("prenom"), t.get("nom")) if x)
    vals = {"doc_ext_id": number, "date": v.date(), "client_ext_id": t.get("code_ext") or "",
            "code_erp": ((t.get("code") or "") if r.random() < 0.1
                         else "NOPE" if v.unknown() and v.odd() else ""),
            "nom_complet": name, "pays": v.pick(v.pool.countries), "reglement": v.pick(v.pool.payments),
            "transporteur": v.pick(("Colissimo", "DANZA")), "devise": v.pick(("EUR",)),
            "statut": v.pick(("paid", "pending", "1")),
            "port_ht": v.num(port), "port_ttc": v.num(round(port * (1 + rate / 100), 2)),
            "total_ht": v.num(round(total_ht, 2)), "total_ttc": v.num(round(total_ttc, 2)),
            "total_tva": v.num(tva),
            # Shopify's subtotal: the lines as the shop prices them (TTC here)
            "sous_total": v.num(round(ht + tva_lines, 2)),
            "remise_ttc": r.choice(("", "", "0", v.num(5.0))) if v.unknown() else "",
            "remise_ht": r.choice(("", "0")) if v.unknown() else ""}
    for f in ("societe", "civilite", "nom", "prenom", "email", "telephone", "mobile", "adresse1", "adresse2",
              "code_postal", "ville"):
        vals[f] = t.get(f) or ""
        if v.odd():
            vals[f] = r.choice(ODD)
    for f in ("liv_nom", "liv_prenom", "liv_adresse1", "liv_code_postal", "liv_ville", "liv_pays",
              "liv_societe", "liv_adresse2", "liv_telephone", "liv_nom_complet"):
        vals[f] = vals.get(f.removeprefix("liv_"), "") if not v.unknown() else v.pick(())
    return _Order(number, vals, lines)


def _line_value(v: _Values, fld: str, ln: _Line) -> str:
    if fld == "sku":
        return ln.sku
    if fld == "declinaison":
        return ln.variant
    if fld == "libelle":
        return ln.label
    if fld == "qte":
        return v.num(ln.qte)
    if fld == "unite":
        return ln.unit
    if fld in ("pu_ht", "pu_ttc"):
        return v.num(ln.price if fld == "pu_ht" else round(ln.price * (1 + ln.rate / 100), 2))
    if fld == "remise_pct":
        return v.num(ln.remise) if ln.remise or v.r.random() < 0.5 else ""
    if fld == "tva_label":
        return ln.vat
    if fld == "tva_taux":
        return v.num(ln.rate)
    return ""


def _cell(v: _Values, fld: str | None, order: _Order, ln: _Line, first: bool, first_only: tuple[str, ...],
          strip: dict[str, str]) -> str:
    if fld is None:      # a column econn does not import: anything
        return v.r.choice(("", "", "x", v.r.choice(UNKNOWN_WORDS), v.r.choice(ODD)))
    if fld in ORDER_FIELDS or fld.startswith("liv_"):
        if not first and fld in first_only and fld != "doc_ext_id":
            return ""    # Shopify: order fields on the first line only
        value = order.values.get(fld, "")
        if value and fld in strip and v.r.random() < 0.5:
            value = strip[fld] + value
        return value
    return _line_value(v, fld, ln)


# -------------------------------------------------------------------------------------------- the file

# The orders layouts come up most; a customer or product export dropped in the orders folder now and then.
_ORDERS = [lay for lay in LAYOUTS if lay.id == "demo" or lay.id.split(":")[0] in
           {f.id for f in FORMATS if f.flow == "documents"}]
_OTHERS = [lay for lay in LAYOUTS if lay not in _ORDERS]
_CHOICES: list[Layout | None] = [*_ORDERS * 3, *[None] * 3, *_OTHERS]   # None: a header of synonyms


def _synonyms(r: random.Random) -> Layout:
    """A header of synonyms of :data:`econn.reading.headers.SYNONYMS` (a shop's own template)."""
    chosen: dict[str, str] = {}
    for f, names in SYNONYMS["documents"].items():
        if names and (f in ("doc_ext_id", "sku", "qte", "pu_ht") or r.random() < 0.6):
            h = r.choice(names)
            chosen.setdefault(h, f)
    return Layout("synonymes", tuple(chosen), tuple(chosen.values()))


@st.composite
def order_files(draw: st.DrawFn, pool: DemoPool, name: str = "commandes.csv", mess: int | None = None,
                layout: str | None = None) -> OrderFile:
    """A strategy of :class:`OrderFile` drawn from ``pool`` (see the module docstring).

    The structural choices (layout, hostility, dialect, column changes, numbers of orders and stray rows) are
    drawn by hypothesis and shrink; the values come from a ``random.Random`` seeded by hypothesis, so that a
    file of a few hundred cells stays one cheap draw. ``mess`` (0–2, see :class:`_Values`) and ``layout``
    (a :class:`Layout` id, or ``synonymes``) force those choices.
    """
    r = random.Random(draw(st.integers(0, 2**32 - 1)))
    if layout is not None:
        lay = _synonyms(r) if layout == "synonymes" else next(x for x in LAYOUTS if x.id == layout)
    else:
        lay = draw(st.sampled_from(_CHOICES)) or _synonyms(r)
    if mess is None:
        mess = draw(st.sampled_from((0, 1, 1, 2)))
    headers, fields = list(lay.headers), list(lay.fields)
    # Columns: some dropped, some left empty, unknown ones added, the order shuffled.
    empty: set[int] = set()
    if mess and draw(st.booleans()):
        for i in sorted(r.sample(range(len(headers)), k=min(len(headers) - 1, r.choice((1, 1, 2, 5)))),
                        reverse=True):
            del headers[i], fields[i]
        empty = {i for i in range(len(headers)) if r.random() < 0.08}
    for _ in range(draw(st.integers(0, 3))):
        pos = r.randint(0, len(headers))
        headers.insert(pos, r.choice(("Notes internes", "Colonne 1", "Commentaire", "Unnamed: 3",
                                      *((headers[0], "", r.choice(ODD)) if mess == 2 and headers else ()),
                                      r.choice(UNKNOWN_WORDS))))
        fields.insert(pos, None)
        empty = {i + 1 if i >= pos else i for i in empty}
    if draw(st.booleans()) and r.random() < 0.3:
        order = list(range(len(headers)))
        r.shuffle(order)
        headers, fields = [headers[i] for i in order], [fields[i] for i in order]
        empty = {order.index(i) for i in empty}
    delimiter = draw(st.sampled_from(DELIMITERS))
    decimal = "." if delimiter == "," or r.random() < 0.3 else ","
    encoding = draw(st.sampled_from(ENCODINGS))
    eol = r.choice(("\r\n", "\r\n", "\n", "\n", "\r"))
    quoting = r.choice((csv.QUOTE_MINIMAL, csv.QUOTE_MINIMAL, csv.QUOTE_ALL))
    first_only = lay.first_line_only if r.random() < 0.8 else ()
    strip = dict(lay.strip_prefix)
    v = _Values(r, pool, decimal, mess, set(fields))
    # Orders: new numbers, numbers already integrated in the demo, repeated or empty ones.
    n_orders = draw(st.integers(1, 6))
    numbers: list[str] = []
    for i in range(n_orders):
        if not numbers or not v.unknown():
            numbers.append(f"PB_{r.randint(1, 10**6):06d}_{i}")
        else:
            numbers.append(r.choice((*pool.documents[:1], r.choice(pool.documents or ("",)),
                                     r.choice(numbers), r.choice(numbers), "", " ", r.choice(ODD))))
    orders = [_order(v, n) for n in numbers]
    rows: list[list[str]] = []
    for o in orders:
        for j, ln in enumerate(o.lines):
            row = [_cell(v, f, o, ln, j == 0, first_only, strip) for f in fields]
            rows.append(["" if i in empty else c for i, c in enumerate(row)])
    # Stray rows: blank cells, ragged rows (too few or too many cells), an order number alone.
    for _ in range(draw(st.integers(0, 3)) if mess else 0):
        pos = r.randint(0, len(rows))
        width = len(headers)
        stray = r.choice(([""] * width, [""] * max(1, width - 2) + ["x"], ["x"] * (width + 2), ["PB_STRAY"],
                          [r.choice(ODD)] + [""] * (width - 1)))
        rows.insert(pos, stray)
    # Lines that are no record: Excel's « sep=; », a title, blank lines, a footer.
    items: list[tuple[str, list[str] | str]] = [("row", row) for row in rows]
    if mess:
        for _ in range(draw(st.integers(0, 2))):
            items.insert(r.randint(0, len(items)), ("raw", ""))
        if r.random() < 0.2:
            items.append(("raw", r.choice(("Total : 3 commandes", f"Total{delimiter}{delimiter}12,00", ""))))
    preamble = ([r.choice((f"sep={delimiter}", "Export des commandes du 06/12/2026"))]
                if mess and r.random() < 0.15 else [])
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=delimiter, lineterminator=eol, quoting=quoting)
    term = eol[-1]   # what the reader counts lines by
    starts: list[int] = []
    line = 1
    for text in preamble:
        starts.append(line)
        buf.write(text + eol)
        line += 1
    w.writerow(headers)
    line = 1 + buf.getvalue().count(term)
    for kind, item in items:
        starts.append(line)
        before = len(buf.getvalue())
        if kind == "raw":
            buf.write(str(item) + eol)
        else:
            w.writerow(item)
        line += buf.getvalue()[before:].count(term)
    text = buf.getvalue()
    data = text.encode("cp1252", errors="replace") if encoding == "cp1252" else text.encode(encoding)
    return OrderFile(name, lay.id, data, starts, len(preamble) + 1, n_orders, tuple(headers))
