"""Generate a large, realistic cp1252 order export for the loader benchmarks.

One row per order line, 27 columns (the demo order header), ``;`` separator,
decimal comma, dates ``dd/mm/yyyy``, some values quoted because they hold a
``;`` or a line break (multi-line addresses), and the cp1252-only characters
€ œ ’ that DuckDB cannot read without transcoding. Deterministic for a seed.

Usage: ``python benchmarks/gen_big_csv.py [--lines 1000000] [--seed 42] [--out benchmarks/out/big_orders_cp1252.csv]``
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

HEADER = ("N° commande;Date commande;Code client;Société;Civilité;Nom;Prénom;E-mail;Téléphone;Mobile;"
          "Adresse 1;Adresse 2;Code postal;Ville;Pays;Mode de règlement;Référence article;Déclinaison;"
          "Désignation;Quantité;Unité;PU HT;Remise %;TVA;Frais de port HT;Total HT;Total TTC")

NOMS = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
        "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "Bœuf", "Gaël", "Noël", "D’Artagnan", "Lemaître"]
PRENOMS = ["Élodie", "Jérôme", "François", "Cécile", "Gaëlle", "Loïc", "Chloé", "Zoé", "Hélène", "Benoît"]
VILLES = [("75011", "Paris"), ("69003", "Lyon"), ("13008", "Marseille"), ("33000", "Bordeaux"),
          ("59800", "Lille"), ("01000", "Bourg-en-Bresse"), ("97400", "Saint-Denis"), ("20000", "Ajaccio"),
          ("44000", "Nantes"), ("67000", "Strasbourg")]
RUES = ["rue de la Paix", "avenue Jean Jaurès", "boulevard Voltaire", "place de l’Église", "chemin des Œillets",
        "impasse du Moulin", "allée des Tilleuls"]
ARTICLES = [("CAF-001", "Café en grains 1 kg", "12,90"), ("THE-010", "Thé vert sencha – 100 g", "6,50"),
            ("TAS-200", "Tasse « œuf » en grès", "9,90"), ("MUG-301", "Mug 35 cl ; anse large", "11,00"),
            ("BOU-050", "Bouilloire 1,7 l", "39,90"), ("FIL-007", "Filtres n°4 (x100)", "3,20"),
            ("000123", "Sucre de canne 500 g", "2,75"), ("CHO-404", "Chocolat noir 70 % – 200 g", "4,95")]
REGLEMENTS = ["CB", "PayPal", "Virement", "Chèque", "Shopify Payments"]
SOCIETES = ["", "", "", "SARL Dupont & Fils", "SAS Œnologie Conseil", "EURL L’Atelier; Bois", "Café du Port"]


def _q(v: str) -> str:
    """Quote a value the way Excel/GC exports do: only when needed, quotes doubled."""
    if any(c in v for c in ';"\n'):
        return '"' + v.replace('"', '""') + '"'
    return v


def _money(x: float) -> str:
    return f"{x:,.2f}".replace(",", "\u00a0").replace(".", ",")


def generate(out: Path, lines: int, seed: int) -> tuple[int, int]:
    """Write the file; return (physical lines, records) including the header."""
    rnd = random.Random(seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    n_lines = 1
    n_rec = 1
    order = 100000
    with out.open("w", encoding="cp1252", newline="") as fh:
        fh.write(HEADER + "\r\n")
        buf: list[str] = []
        while n_lines < lines:
            order += 1
            nom, prenom = rnd.choice(NOMS), rnd.choice(PRENOMS)
            cp, ville = rnd.choice(VILLES)
            adr2 = rnd.choice(["", "", "", "Bât. B", "Résidence Les Érables\nEscalier 3", "BP 12"])
            head = [f"CW_{order:07d}_01", f"{rnd.randint(1, 28):02d}/{rnd.randint(1, 12):02d}/2025",
                    f"C{rnd.randint(1, 99999):05d}", rnd.choice(SOCIETES), rnd.choice(["M.", "Mme", ""]), nom, prenom,
                    f"{prenom.lower()}.{nom.lower()}@exemple.fr".replace("’", ""), f"04 7{rnd.randint(0, 9)} "
                    f"{rnd.randint(10, 99)} {rnd.randint(10, 99)} {rnd.randint(10, 99)}", f"06{rnd.randint(10000000, 99999999)}",
                    f"{rnd.randint(1, 200)} {rnd.choice(RUES)}", adr2, cp, ville, "FR", rnd.choice(REGLEMENTS)]
            for _ in range(rnd.randint(1, 4)):
                sku, label, pu = rnd.choice(ARTICLES)
                qte = rnd.randint(1, 12)
                pu_f = float(pu.replace(",", "."))
                ht = qte * pu_f
                row = head + [sku, rnd.choice(["", "", "Noir", "Blanc"]), label, str(qte), "PCE", pu,
                              rnd.choice(["", "0", "5", "10"]), "V2 - 20 %", "4,90", _money(ht), _money(ht * 1.2)]
                text = ";".join(_q(v) for v in row) + "\r\n"
                buf.append(text)
                n_lines += 1 + text.count("\n") - 1
                n_rec += 1
                if n_lines >= lines:
                    break
            if len(buf) > 5000:
                fh.write("".join(buf))
                buf.clear()
        fh.write("".join(buf))
    return n_lines, n_rec


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "out" / "big_orders_cp1252.csv")
    args = ap.parse_args()
    t = time.perf_counter()
    n_lines, n_rec = generate(args.out, args.lines, args.seed)
    size = args.out.stat().st_size
    print(f"{args.out}: {n_lines} lines, {n_rec} records, {size / 1e6:.1f} MB in {time.perf_counter() - t:.1f} s")


if __name__ == "__main__":
    main()
