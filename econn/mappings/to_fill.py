"""What a consultant has to fill in before the next reception, beyond the stored correspondences.

Two kinds of rows, both absent from the ``correspondences`` table until someone decides:

* ``en_attente``: an external value used by a connector's pending files (TVA « 5,5% », unit « Bouteille »,
  country « Hollande », article « ARRO ») that nothing maps yet (:func:`correspondences.resolve` gives
  None) and that has no stored row — each blocks the documents using it. Its best suggestion is computed
  (not stored).
* ``sans_code``: a GC article the connector sends but that has no external code on it (ART-ABS-SITE).

:func:`rows` lists them in that order, most used values first; the Excel export puts them at the top of
their sheets.
"""

from __future__ import annotations

import os
from typing import Any

from .. import store
from . import correspondences as cor

PENDING, WITHOUT_CODE = "en_attente", "sans_code"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n > 1 else ''}"


def rows(workspace: str | os.PathLike[str], connector: str | None = None) -> list[dict[str, Any]]:
    """The values to fill, as rows shaped like the correspondences (``gc_value`` None, ``state``
    ``non_verifie``) plus ``kind`` (``en_attente`` | ``sans_code``), ``suggestion`` and ``documents``.

    Args:
        workspace: the workspace folder.
        connector: one connector (default: every connector).
    """
    from ..diagnostics.articles import articles_without_code
    from ..reception.pending_values import pending_values
    from . import suggest_con

    with store.connect(workspace, read_only=True) as con:
        codes = [r[0] for r in con.execute("SELECT code FROM connectors WHERE (? IS NULL OR code = ?) ORDER BY code",
                                           [connector, connector]).fetchall()]
        stored = {(c, d, e, v) for c, d, e, v in con.execute(
            "SELECT connector, domain, external_value, external_variant FROM correspondences").fetchall()}
        without = articles_without_code(con, connector)
    pending: list[dict[str, Any]] = []
    for code in codes:
        df = pending_values(workspace, code)
        for domain, sub in df.groupby("domain", sort=False):
            keys = [(str(v), str(x or "")) for v, x in zip(sub["external_value"], sub["external_variant"])]
            resolved = cor.resolve(workspace, code, str(domain), keys)
            todo = [r for r, k in zip(sub.to_dict("records"), keys)
                    if resolved.get(k) is None and (code, domain, *k) not in stored]
            if not todo:
                continue
            with store.connect(workspace, read_only=True) as con:
                found = suggest_con(con, code, str(domain), [str(r["external_value"]) for r in todo])
            for r in todo:
                best = (found.get(str(r["external_value"])) or [None])[0]
                where = f"{_plural(int(r['documents']), 'document')} en attente ({r['files']})"
                pending.append({
                    "kind": PENDING, "connector": code, "domain": domain, "external_value": str(r["external_value"]),
                    "external_variant": str(r["external_variant"] or ""), "gc_value": None, "state": "non_verifie",
                    "suggestion": best.gc_value if best else None, "score": best.score if best else None,
                    "reason": f"Sans correspondance, bloque {where}" + (f" ; suggestion : {best.reason}" if best else ""),
                    "documents": int(r["documents"])})
    pending.sort(key=lambda r: (r["connector"], -r["documents"], r["domain"], r["external_value"]))
    return pending + [{
        "kind": WITHOUT_CODE, "connector": r["connector"], "domain": "article", "external_value": "",
        "external_variant": "", "gc_value": r["code"], "state": "non_verifie", "suggestion": None, "score": None,
        "reason": f"Article GC envoyé sans code externe ({r['libelle'] or r['code']}) : saisissez sa valeur externe",
        "documents": 0} for r in without]
