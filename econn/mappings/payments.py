"""Payment labels from shops (CB, PayPal, Shopify Payments, virement…) → GC payment methods.

Families are the usual French payment means (carte, PayPal, virement, prélèvement, chèque,
espèces, contre-remboursement, paiement fractionné, carte cadeau); the spellings come from
WooCommerce/PrestaShop/Shopify gateway names and French ERP method labels.
"""

from __future__ import annotations

import re

import duckdb
import numpy as np
from rapidfuzz import fuzz, process

from .normalize import fold
from .suggestion import DERIVED, EXACT, FUZZY, Suggestion, best_first

# Family → French name and the folded words/phrases that identify it (checked in this order: the
# more specific families first, "carte cadeau" before "carte").
FAMILIES: list[tuple[str, str, tuple[str, ...]]] = [
    ("cadeau", "carte cadeau / bon d'achat",
     ("carte cadeau", "gift card", "bon d achat", "cheque cadeau", "avoir")),
    ("fractionne", "paiement en plusieurs fois", ("alma", "oney", "klarna", "scalapay", "plusieurs fois",
                                                   "3x", "4x", "3 fois", "4 fois", "cofidis")),
    ("paypal", "PayPal", ("paypal", "ppcp", "pay pal")),
    ("contre_remboursement", "contre-remboursement", ("contre remboursement", "cash on delivery", "cod",
                                                             "paiement a la livraison")),
    ("prelevement", "prélèvement", ("prelevement", "direct debit", "sepa debit", "gocardless", "sdd")),
    ("virement", "virement", ("virement", "bank transfer", "wire transfer", "transfert bancaire", "bacs",
                              "vir", "virt", "bank wire", "sepa transfer", "bankwire")),
    ("cheque", "chèque", ("cheque", "check", "chq", "cheques")),
    ("especes", "espèces", ("especes", "espece", "cash", "liquide", "numeraire")),
    ("carte", "carte bancaire", ("cb", "carte bancaire", "carte bleue", "carte de credit", "credit card",
                                 "debit card", "card", "carte", "cartes", "visa", "mastercard",
                                 "master card", "amex",
                                 "american express", "stripe", "shopify payments", "sumup", "payplug",
                                 "systempay", "monetico", "paybox", "e carte bleue", "apple pay",
                                 "google pay",
                                 "lyra", "adyen", "mollie", "up2pay", "tpe")),
]
_PATTERNS = [(fam, label, re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b"))
             for fam, label, words in FAMILIES]


def payment_family(text: object) -> str | None:
    """Payment family of a label (``carte``, ``paypal``, ``virement``, ``cheque``…) or None.

    ``"CB"``, ``"Carte Bleue"``, ``"Visa"`` and ``"Shopify Payments"`` are ``carte``;
    ``"Bank transfer"`` and ``"Virement bancaire"`` are ``virement``; ``"Chèque"`` is ``cheque``.
    """
    f = fold(text)
    if not f:
        return None
    for fam, _, pat in _PATTERNS:
        if pat.search(f):
            return fam
    return None


_FAMILY_NAME = {fam: label for fam, label, _ in FAMILIES}


def suggest_gc(con: duckdb.DuckDBPyConnection, values: list[str], **_: object) -> dict[str, list[Suggestion]]:
    """Candidate GC payment methods (``payment_methods``, active) for each external payment label.

    Identical code (1.0) or label (0.97); same payment family as the GC method's code or label
    (0.85 when one GC method has that family, 0.7 each when several); else label similarity
    (WRatio ≥ 75, scaled to at most 0.6).
    """
    gc = con.execute("SELECT code, coalesce(libelle, '') FROM payment_methods WHERE actif").fetchall()
    gc_fam = [(c, lib, payment_family(lib) or payment_family(c)) for c, lib in gc]
    choices = [fold(f"{lib} {c}") for c, lib in gc]
    sim = (process.cdist([fold(v) for v in values], choices, scorer=fuzz.WRatio, workers=1)
           if values and choices else np.zeros((len(values), 0)))
    out: dict[str, list[Suggestion]] = {}
    for i, v in enumerate(values):
        raw = str(v).strip()
        cands = [Suggestion(c, 1.0, "Code de règlement GC identique", EXACT)
                 for c, _ in gc if c.upper() == raw.upper()]
        cands += [Suggestion(c, 0.97, "Libellé de règlement GC identique", EXACT)
                  for c, lib in gc if lib and fold(lib) == fold(raw)]
        fam = payment_family(raw)
        same = [c for c, _, f in gc_fam if fam and f == fam]
        for c in same:
            score = 0.85 if len(same) == 1 else 0.7
            note = "" if len(same) == 1 else f" ({len(same)} modes GC de cette famille)"
            reason = f"Même famille de règlement : {_FAMILY_NAME[fam]}{note}"
            cands.append(Suggestion(c, score, reason, DERIVED))
        for j in np.flatnonzero(sim[i] >= 75) if len(choices) else []:
            c = gc[j][0]
            reason = f"Libellé proche de « {gc[j][1] or c} » (similarité {sim[i, j]:.0f} %)"
            cands.append(Suggestion(c, round(0.6 * float(sim[i, j]) / 100, 3), reason, FUZZY))
        out[v] = best_first(cands)
    return out
