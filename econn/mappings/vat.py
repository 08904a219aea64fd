"""VAT: read a rate in any label, the dated reference rates, and TVA code suggestions.

Reference rates live in ``econn/data/vat_rates.csv`` (domain.md §5), copied into the workspace's
``vat_rates`` table by :func:`seed_vat_rates` so that users can edit them there.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import duckdb

from .countries import country_code
from .normalize import fold
from .suggestion import DERIVED, EXACT, Suggestion, best_first

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "vat_rates.csv"

# Words that mean "no VAT charged" (CGI art. 262 ter I intracom, 262 I export, 283 autoliquidation,
# 293 B franchise en base). Checked before numbers: "art. 293 B" holds a number that is not a rate.
_ZERO_WORDS = re.compile(
    r"\b(exonere\w*|exoneration|exempt\w*|autoliquid\w*|auto liquidation|reverse charge|non applicable|"
    r"293 b|franchise|non soumis|hors champ|intracom\w*|intra communautaire|export\w*|zero rated)\b"
)
# Kind of GC code a label asks for, in the vocabulary of tva_codes.type.
_KIND_WORDS: list[tuple[str, re.Pattern[str]]] = [
    ("autoliquidation", re.compile(r"\b(autoliquid\w*|auto liquidation|reverse charge|283)\b")),
    ("export", re.compile(r"\b(export\w*|hors ue|hors union|262 i)\b")),
    ("non_soumis", re.compile(r"\b(non applicable|293 b|franchise|non soumis|hors champ)\b")),
    ("exonere_intracom",
     re.compile(r"\b(intracom\w*|intra communautaire|262 ter|exonere\w*|exoneration|exempt\w*)\b")),
]
_PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s*%")
_BARE = re.compile(r"(?<![A-Za-z0-9.,])(\d+(?:[.,]\d+)?)(?![A-Za-z0-9]|[.,]\d)")
_MAX_RATE = Decimal(30)  # no VAT rate in Europe reaches 30 %: larger bare numbers are codes or years


def _clean(d: Decimal) -> Decimal:
    """20.000 → 20, 5.50 → 5.5 (never 2E+1)."""
    d = d.quantize(Decimal("0.001")).normalize()
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d


def _to_decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None


def vat_rate(label: object) -> Decimal | None:
    """The VAT rate (in percent) written in a label, or None when none can be read.

    Rules, in order:

    1. words meaning no VAT (exonéré, autoliquidation, intracommunautaire, export, « TVA non
       applicable, art. 293 B du CGI », franchise, hors champ) → 0;
    2. a number followed by ``%`` (``V2 - 20 %`` → 20, ``TVA 5,5%`` → 5.5, ``IVA 21%`` → 21); a number
       glued to a single letter is a code (the 2 of ``V2``), glued to a word it is read (``TVA20%``);
    3. otherwise one bare number between 0 and 30, not glued to letters (``20,00`` → 20); a bare value
       below 1 with decimals is a fraction (``0.2`` → 20, ``0,055`` → 5.5); two different candidates
       (``T3 20`` is fine, ``3 - 20`` is not) → None.

    ``Taux normal`` gives None: the rate depends on the country (see :func:`rates_for`).
    """
    if label is None:
        return None
    text = str(label).strip()
    if not text:
        return None
    if _ZERO_WORDS.search(fold(text)):
        return Decimal(0)
    for m in _PERCENT.finditer(text):
        letters = re.search(r"([A-Za-z]*)$", text[: m.start()]).group(1)
        if len(letters) in (1, 2):  # V2 - 20 % has its % on the 20; "V20 %" is a code and a stray %
            continue
        d = _to_decimal(m.group(1))
        if d is not None and 0 <= d <= 100:
            return _clean(d)
    found: set[Decimal] = set()
    for m in _BARE.finditer(text):
        d = _to_decimal(m.group(1))
        if d is None:
            continue
        if d < 1 and ("." in m.group(1) or "," in m.group(1)):
            d = d * 100
        if 0 <= d <= _MAX_RATE:
            found.add(_clean(d))
    return found.pop() if len(found) == 1 else None


def label_kind(label: object) -> str | None:
    """The kind of GC VAT code a label asks for: ``exonere_intracom``, ``export``, ``autoliquidation``,
    ``non_soumis``, or None for an ordinary rate."""
    f = fold(label)
    for kind, pattern in _KIND_WORDS:
        if pattern.search(f):
            return kind
    return None


@dataclass(frozen=True)
class RateRow:
    """One dated reference rate."""

    country: str
    territory: str
    rate: Decimal
    kind: str
    valid_from: date
    valid_to: date | None


@lru_cache(maxsize=1)
def reference_rates() -> tuple[RateRow, ...]:
    """The packaged reference table (``econn/data/vat_rates.csv``)."""
    with DATA_FILE.open(encoding="utf-8") as fh:
        lines = [ln for ln in fh if not ln.startswith("#")]
    rows = []
    for r in csv.DictReader(lines):
        rows.append(RateRow(r["country"], r["territory"], _clean(Decimal(r["rate"])), r["kind"],
                            date.fromisoformat(r["valid_from"]),
                            date.fromisoformat(r["valid_to"]) if r["valid_to"] else None))
    return tuple(rows)


_DOM = {"GP", "MQ", "RE"}


def _country_territory(country: str, territory: str) -> tuple[str, str]:
    code = country_code(country) or str(country).upper()
    if code in _DOM:  # DOM filed under their own ISO code share the French DOM rates
        return "FR", "DOM"
    return code, (territory or "").upper()


def rates_for(country: str, on: date, territory: str = "", *, kind: str | None = None) -> set[Decimal]:
    """Rates in force in a country on a date (empty set for an unknown country).

    Args:
        country: ISO code or name (``EL`` and ``Grèce`` are Greece; GP/MQ/RE are the French DOM).
        on: the date of the operation; rates are versioned (EE, FI, SK, RO changed in 2024–2025).
        territory: ``''`` (metropolitan), ``DOM`` or ``CORSE`` for France.
        kind: only ``standard``, ``reduit``, ``super_reduit`` or ``parking`` rates.
    """
    c, t = _country_territory(country, territory)
    return {r.rate for r in reference_rates()
            if r.country == c and r.territory == t and r.valid_from <= on
            and (r.valid_to is None or on <= r.valid_to) and (kind is None or r.kind == kind)}


def seed_vat_rates(con: duckdb.DuckDBPyConnection) -> int:
    """Add the reference rates missing from the workspace's ``vat_rates`` table; returns rows added.

    Idempotent, and it never overwrites or deletes a row a user edited: a row is missing when no row
    has the same country, territory, rate, kind and start date.
    """
    before = con.execute("SELECT count(*) FROM vat_rates").fetchall()[0][0]
    rows = [(r.country, r.territory, r.rate, r.kind, r.valid_from, r.valid_to) for r in reference_rates()]
    con.execute("CREATE TEMP TABLE IF NOT EXISTS _vat_seed (country VARCHAR, territory VARCHAR, "
                "rate DECIMAL(6, 3), kind VARCHAR, valid_from DATE, valid_to DATE)")
    con.execute("DELETE FROM _vat_seed")
    con.executemany("INSERT INTO _vat_seed VALUES (?, ?, ?, ?, ?, ?)", rows)
    con.execute("""
        INSERT INTO vat_rates (country, territory, rate, kind, valid_from, valid_to)
        SELECT s.* FROM _vat_seed s
        WHERE NOT EXISTS (SELECT 1 FROM vat_rates v WHERE v.country = s.country AND v.territory = s.territory
                          AND v.rate = s.rate AND v.kind = s.kind AND v.valid_from = s.valid_from)""")
    con.execute("DROP TABLE _vat_seed")
    return int(con.execute("SELECT count(*) FROM vat_rates").fetchall()[0][0] - before)


# Preferred GC types for each label kind (first is best).
_PREFERRED = {
    "exonere_intracom": ("exonere_intracom", "autoliquidation"),
    "autoliquidation": ("autoliquidation", "exonere_intracom"),
    "export": ("export",),
    "non_soumis": ("non_soumis",),
}
_RATE_WORDS = [
    ("super_reduit", re.compile(r"\bsuper reduit\b")),
    ("standard", re.compile(r"\b(normal|standard|plein)\b")),
    ("reduit", re.compile(r"\b(reduit|intermediaire)\b")),
]


def _label_country(label: str) -> str | None:
    """Country written as a leading ISO code ("FR TVA 20%", "DE MwSt 19%")."""
    m = re.match(r"\s*([A-Za-z]{2})\b[\s\-:]", label)
    return country_code(m.group(1)) if m else None


def _fmt(d: Decimal) -> str:
    return f"{d}".replace(".", ",")


def suggest_gc(con: duckdb.DuckDBPyConnection, values: list[str], *, country: str | None = None,
               on: date | None = None, **_: object) -> dict[str, list[Suggestion]]:
    """Candidate GC VAT codes (``tva_codes``, active ones) for each external label.

    Order: identical code (1.0), identical label (0.98), then the rate read by :func:`vat_rate`
    matched with the codes of that rate (≤ 0.9), preferring the code type the label asks for and
    the country (given, or written at the start of the label).
    """
    gc = con.execute("SELECT code, taux, coalesce(libelle, ''), type, pays FROM tva_codes "
                     "WHERE actif").fetchall()
    on = on or date.today()
    out: dict[str, list[Suggestion]] = {}
    for v in values:
        raw = str(v).strip()
        cands = [Suggestion(c, 1.0, "Code TVA GC identique", EXACT)
                 for c, *_ in gc if c.upper() == raw.upper()]
        cands += [Suggestion(c, 0.98, "Libellé TVA GC identique", EXACT)
                  for c, _, lib, *_ in gc if lib and fold(lib) == fold(raw)]
        ctry = _label_country(raw) or (country_code(country) if country else None)
        rate = vat_rate(raw)
        wanted = label_kind(raw)
        rates: dict[Decimal, str] = {}
        if rate is not None:
            rates[rate] = f"taux {_fmt(rate)} % lu dans le libellé"
        elif ctry:
            f = fold(raw)
            for rkind, pat in _RATE_WORDS:
                if pat.search(f):
                    for r in sorted(rates_for(ctry, on, kind=rkind)):
                        rates[r] = f"taux {rkind.replace('_', ' ')} de {ctry} au {on:%d/%m/%Y} : {_fmt(r)} %"
                    break
        matched = []
        for code, taux, _lib, typ, pays in gc:
            why = rates.get(_clean(Decimal(taux)))
            if why is None:
                continue
            score = 0.75 if rate is not None else 0.6
            notes = [why]
            if wanted:
                pref = _PREFERRED[wanted]
                if typ in pref:
                    score += 0.1 if typ == pref[0] else 0.05
                    notes.append(f"type {typ}")
                else:
                    score -= 0.15
                    notes.append(f"type {typ} alors que le libellé indique {wanted}")
            elif typ in ("normal", "reduit"):
                score += 0.05
            if ctry:
                if pays == ctry:
                    score += 0.05
                else:
                    score -= 0.2
                    notes.append(f"code du pays {pays}, libellé pour {ctry}")
            matched.append((code, score, notes))
        top = max((s for _, s, _ in matched), default=0)
        tied = sum(1 for _, s, _ in matched if s == top)
        for code, score, notes in matched:
            if tied > 1 and score == top:
                score -= 0.1
                notes = notes + [f"{tied} codes GC possibles"]
            reason = "Taux identique : " + " ; ".join(notes)
            cands.append(Suggestion(code, round(max(score, 0.05), 3), reason, DERIVED))
        out[v] = best_first(cands)
    return out
