"""Unit labels and abbreviations → UN/ECE Recommendation 20 codes, and unit suggestions.

Source of the codes: UNECE Recommendation No. 20 "Codes for Units of Measure Used in International
Trade" (Rev. 17, annexes I–III). Only units seen in French shop and ERP exports are listed.
Traps: ``C62`` ("one", a counting unit) and ``H87`` (piece) are both used for « unité »/« pièce »
and treated as equivalent when matching; ``ml`` is read as millilitre, although some trades write
« ML » for mètre linéaire (map it by hand there).
"""

from __future__ import annotations

import duckdb

from .normalize import fold
from .suggestion import DERIVED, EXACT, Suggestion, best_first

# UN/ECE code → French and English spellings (folded when indexed; plurals are handled by the lookup).
UNITS: dict[str, tuple[str, ...]] = {
    "C62": ("u", "un", "uni", "unit", "unite", "unites", "unitaire", "ea", "each", "c62"),
    "H87": ("piece", "pce", "pc", "pcs", "pieces", "pi", "h87"),
    "KGM": ("kg", "kilo", "kilogramme", "kilogram", "kgs", "kgm"),
    "GRM": ("g", "gr", "gramme", "gram", "grm"),
    "MGM": ("mg", "milligramme"),
    "TNE": ("t", "tonne", "tonnes", "tne"),
    "LTR": ("l", "lt", "litre", "liter", "ltr"),
    "CLT": ("cl", "centilitre", "clt"),
    "MLT": ("ml", "millilitre", "mlt"),
    "MTR": ("m", "metre", "meter", "mtr", "metre lineaire", "mètre linéaire"),
    "CMT": ("cm", "centimetre", "cmt"),
    "MMT": ("mm", "millimetre", "mmt"),
    "KMT": ("km", "kilometre", "kmt"),
    "MTK": ("m2", "m²", "metre carre", "metres carres", "square metre", "mtk"),
    "MTQ": ("m3", "m³", "metre cube", "metres cubes", "cubic metre", "mtq"),
    "HUR": ("h", "hr", "heure", "hour", "hur"),
    "MIN": ("min", "minute"),
    "DAY": ("j", "jr", "jour", "journee", "day"),
    "WEE": ("semaine", "week", "wee"),
    "MON": ("mois", "month"),
    "CT": ("carton", "ctn", "crt", "ct", "colis"),
    "BO": ("bouteille", "btl", "bte bouteille", "bottle", "bo"),
    "DZN": ("douzaine", "dz", "dzn", "dozen"),
    "PR": ("paire", "pair", "pr"),
    "LO": ("lot", "lo"),
    "SET": ("set", "ensemble", "kit", "jeu"),
    "BX": ("boite", "bte", "box", "bx"),
    "BG": ("sachet", "sac", "bag", "bg"),
    "PF": ("palette", "pal", "pallet", "pf"),
    "RO": ("rouleau", "roll", "rlx", "ro"),
    "PK": ("paquet", "pack", "pqt", "pk"),
}

# Equivalent counting units: a GC that uses H87 for « unité » is right for « pièce » too.
_EQUIV = {"C62": "H87", "H87": "C62"}


def _build_index() -> dict[str, str]:
    idx: dict[str, str] = {}
    for code, names in UNITS.items():
        for n in names:
            idx.setdefault(fold(n).replace(" ", ""), code)
    return idx


_INDEX = _build_index()


def unit_code(text: object) -> str | None:
    """UN/ECE Rec 20 code of a unit label or abbreviation, or None.

    ``"pièce"`` → H87, ``"U"``/``"UNI"`` → C62, ``"Kilo"`` → KGM, ``"m²"``/``"m2"`` → MTK,
    ``"Bouteille"`` → BO, ``"douzaine"`` → DZN, ``"Kg."`` → KGM, ``"cartons"`` → CT.
    """
    raw = str(text or "").strip().replace("²", "2").replace("³", "3")
    key = fold(raw).replace(" ", "")
    if not key:
        return None
    if key in _INDEX:
        return _INDEX[key]
    for suffix in ("s", "x"):  # plurals: kilos, litres, rouleaux
        if key.endswith(suffix) and key[:-1] in _INDEX and len(key) > 3:
            return _INDEX[key[:-1]]
    return None


def suggest_gc(con: duckdb.DuckDBPyConnection, values: list[str], **_: object) -> dict[str, list[Suggestion]]:
    """Candidate GC units (``units`` table, active ones) for each external unit.

    Identical code (1.0), identical label (0.95), then the UN/ECE code of the value against the GC
    unit's ``unece`` column (0.9; 0.8 through the C62/H87 equivalence), or against the UN/ECE code
    read from the GC unit's own code or label when its ``unece`` is empty (0.8).
    """
    gc = con.execute("SELECT code, coalesce(libelle, ''), coalesce(unece, '') FROM units "
                     "WHERE actif").fetchall()
    gc_unece = [(code, lib, unece.upper() or None, unit_code(code) or unit_code(lib))
                for code, lib, unece in gc]
    out: dict[str, list[Suggestion]] = {}
    for v in values:
        raw = str(v).strip()
        cands = [Suggestion(c, 1.0, "Code unité GC identique", EXACT)
                 for c, *_ in gc if c.upper() == raw.upper()]
        cands += [Suggestion(c, 0.95, "Libellé unité GC identique", EXACT)
                  for c, lib, _ in gc if lib and fold(lib) == fold(raw)]
        code = unit_code(raw)
        if code:
            for gcode, lib, unece, guessed in gc_unece:
                if unece == code:
                    cands.append(Suggestion(gcode, 0.9, f"Même code UN/ECE {code} que l'unité GC", DERIVED))
                elif unece and unece == _EQUIV.get(code):
                    cands.append(Suggestion(gcode, 0.8, f"« {raw} » = {code}, unité GC en {unece} "
                                            "(unité de comptage équivalente)", DERIVED))
                elif not unece and guessed == code:
                    cands.append(Suggestion(gcode, 0.8, f"« {raw} » et l'unité GC « {lib or gcode} » "
                                            f"désignent toutes deux {code} (UN/ECE)", DERIVED))
        out[v] = best_first(cands)
    return out
