"""Seeded generator of a large orders file in the demo's layout, on articles and customers of a workspace.

Every SKU (with its déclinaison), VAT label, unit, payment label and customer code of the file has a
validated correspondence on the connector, so the whole file integrates. Used by
``benchmarks/reception_speed.py`` and by the SIGKILL / concurrency tests.

    python benchmarks/gen_orders.py WORKSPACE OUT.csv [--lines 100000] [--seed 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from decimal import Decimal
from pathlib import Path

from econn import store
from econn.demo.orders import Line, Order, write_orders


def _catalogue(workspace: Path, connector: str) -> tuple[list, list, dict, list]:
    with store.connect(workspace, read_only=True) as con:
        arts = con.execute("""
            SELECT c.external_value, c.external_variant, a.code, a.libelle, CAST(a.prix_ht AS VARCHAR), a.code_tva,
                   CAST(t.taux AS VARCHAR)
            FROM correspondences c JOIN articles a ON a.code = c.gc_value JOIN tva_codes t ON t.code = a.code_tva
            WHERE c.connector = ? AND c.domain = 'article' AND c.state = 'valide' AND a.actif
              AND a.prix_ht IS NOT NULL
              AND a.code_tva IN (SELECT gc_value FROM correspondences WHERE connector = ? AND domain = 'tva'
                                 AND state = 'valide')
            ORDER BY 1, 2""", [connector, connector]).fetchall()
        cust = con.execute("""
            SELECT c.external_value, t.societe, t.civilite, t.nom, t.prenom, t.email, t.telephone, t.mobile,
                   t.adresse1, t.adresse2, t.code_postal, t.ville
            FROM correspondences c JOIN tiers t ON t.code = c.gc_value
            WHERE c.connector = ? AND c.domain = 'tiers' AND c.state = 'valide' AND t.actif AND t.type = 'client'
            ORDER BY 1""", [connector]).fetchall()
        labels = dict(con.execute("""SELECT gc_value, min(external_value) FROM correspondences
                                     WHERE connector = ? AND domain = 'tva' AND state = 'valide' GROUP BY 1""",
                                  [connector]).fetchall())
        pays = [r[0] for r in con.execute("""SELECT external_value FROM correspondences WHERE connector = ?
                                             AND domain = 'reglement' AND state = 'valide' ORDER BY 1""",
                                          [connector]).fetchall()]
    return arts, cust, labels, pays


def _cp1252(text: str | None) -> str:
    return (text or "").encode("cp1252", errors="replace").decode("cp1252")


def generate(workspace: str | Path, out: str | Path, *, lines: int = 100_000, seed: int = 7,
             connector: str = "CSV", prefix: str = "BM", today: dt.date | None = None) -> dict[str, int]:
    """Write ``out`` (cp1252) with about ``lines`` order lines (1–9 per order, ~5 on average).

    Returns ``{"documents": n, "lines": m}`` (header excluded).
    """
    rng = random.Random(seed)
    arts, cust, labels, pays = _catalogue(Path(workspace), connector)
    if not arts or not cust:
        raise SystemExit("the workspace has no mapped articles or customers for this connector")
    today = today or dt.date.today()
    orders, n_lines, k = [], 0, 0
    while n_lines < lines:
        k += 1
        nl = min(rng.randint(1, 9), lines - n_lines)
        ext, soc, civ, nom, prenom, email, tel, mob, a1, a2, cp, ville = rng.choice(cust)
        customer = {"societe": _cp1252(soc), "civilite": civ, "nom": _cp1252(nom), "prenom": _cp1252(prenom),
                    "email": email, "telephone": tel, "mobile": mob, "adresse1": _cp1252(a1),
                    "adresse2": _cp1252(a2), "code_postal": cp, "ville": _cp1252(ville), "pays": "FR"}
        ls = []
        for sku, var, code, lib, prix, tva, taux in rng.sample(arts, nl):
            ls.append(Line(article=code, sku=sku, variant=var, libelle=_cp1252(lib), qte=Decimal(rng.randint(1, 12)),
                           pu_ht=Decimal(prix).quantize(Decimal("0.01")), code_tva=tva, taux=Decimal(taux),
                           remise=Decimal(rng.choice([0, 0, 0, 5, 10])), tva_label=labels[tva]))
        port = Decimal(rng.choice(["0.00", "6.90", "9.90", "14.90"]))
        orders.append(Order(f"{prefix}_{k:07d}", today - dt.timedelta(days=rng.randint(0, 30)), ext, customer,
                            rng.choice(pays), ls, port=port))
        n_lines += nl
    write_orders(Path(out), orders, "cp1252")
    return {"documents": len(orders), "lines": n_lines}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("workspace")
    p.add_argument("out")
    p.add_argument("--lines", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--connector", default="CSV")
    a = p.parse_args(argv)
    print(generate(a.workspace, a.out, lines=a.lines, seed=a.seed, connector=a.connector))
    return 0


if __name__ == "__main__":
    sys.exit(main())
