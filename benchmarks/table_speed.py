"""How fast the paged DataTable answers a click on large tables (issue #9).

Usage: python benchmarks/table_speed.py [--rows 20000] [--repeat 15] [--reception [--lines 100000]]

A findings-like table of ``--rows`` rows (codes, levels, French messages with accents, line numbers,
hostile values) is shown in a :class:`econn.ui.table.DataTable`; each interaction is timed in the kernel
(wall time, medians over ``--repeat`` runs where the action can repeat). « premier … » rows include
the one-time keys a column's first sort or filter builds. For comparison, the former way — one
``html_table`` with every row — is timed too. ``--reception`` also analyses a generated orders file
(``benchmarks/gen_orders.py``, ~20,000 documents for 100,000 lines) and times its documents table.
Writes benchmarks/out/table_speed.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from econn.ui.format import fr_int, fr_number, html_table  # noqa: E402
from econn.ui.table import DataTable  # noqa: E402

OUT = Path(__file__).resolve().parent / "out" / "table_speed.json"
COLUMNS = [("code", "Code"), ("level", "Niveau"), ("message", "Message"), ("line", "Ligne"),
           ("document", "Document"), ("value", "Valeur")]
CODES = ["COR-ART", "COR-TVA", "COR-UNI", "FIC-DUPDOC", "TVA-TAUX", "CLI-HOMO", "ART-ABS-GC"]
LEVELS = ["erreur", "alerte", "succès"]


def findings_rows(n: int) -> list[dict[str, Any]]:
    """``n`` findings-like rows; one in 97 carries a hostile value."""
    return [{"code": CODES[i % 7], "level": LEVELS[i % 3],
             "message": f"Article « REF-{i % 997:04d} » sans correspondance GC (élément n°{i})",
             "line": i + 2 if i % 11 else None, "document": f"CW_{i // 5:07d}_01",
             "value": "<script>alert(1)</script>" if i % 97 == 0 else f"Référence éà {i % 503}"}
            for i in range(n)]


def ms(fn: Callable[[], object], repeat: int = 1) -> float:
    """Median wall time of ``fn`` in milliseconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def synthetic(n: int, repeat: int) -> dict[str, float]:
    """Every interaction on an ``n``-row findings table."""
    rows = findings_rows(n)
    out: dict[str, float] = {}
    out["html_table, toutes les lignes (avant)"] = ms(lambda: html_table(rows, COLUMNS))
    out["  octets HTML, toutes les lignes"] = len(html_table(rows, COLUMNS))
    holder: list[DataTable] = []
    out["DataTable : construction + 1re page"] = ms(lambda: holder.append(DataTable(COLUMNS, rows)))
    t = holder[-1]
    out["  octets HTML, une page de 50"] = len(t.body.value)
    out["page suivante (médiane)"] = ms(t.next_button.click, repeat)
    out["dernière page"] = ms(lambda: t.goto(t.pages - 1), repeat)
    out["premier tri, texte (clés construites)"] = ms(lambda: setattr(t.sort_by, "value", "message"))
    out["tri inverse"] = ms(lambda: setattr(t.descending, "value", not t.descending.value), repeat)
    out["premier tri, nombres"] = ms(lambda: setattr(t.sort_by, "value", "line"))
    out["page suivante, trié (médiane)"] = ms(t.next_button.click, repeat)
    out["premier filtre texte (index construit)"] = ms(lambda: setattr(t.filter_text, "value", "element n°1"))
    words = ["ref-0042", "sans corresp", "reference ea 5", "cw_00012", "alerte", "script"]
    out["filtre texte suivant (médiane)"] = statistics.median(
        ms(lambda w=w: setattr(t.filter_text, "value", w)) for w in words)
    t.filter_text.value = ""
    out["filtre par valeur (code)"] = ms(lambda: t.set_filters({"code": "COR-ART"}), repeat)
    t.set_filters({})
    out["passage à 500 par page"] = ms(lambda: setattr(t.page_size, "value", 500))
    out["page suivante, 500 par page (médiane)"] = ms(t.next_button.click, repeat)
    return out


def reception(lines: int) -> dict[str, float]:
    """Analyse a generated orders file and time its documents table (set_data, page change)."""
    from gen_orders import generate

    from econn.demo.build import build_demo
    from econn.reception import analyze
    from econn.ui.format import fr_amount
    from econn.ui.reception_steps_view import DOCUMENT_COLUMNS, documents_rows, findings_rows as rows_of

    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="econn-table-bench-") as tmp:
        ws = Path(tmp) / "demo"
        build_demo(ws)
        src = Path(tmp) / "orders.csv"
        gen = generate(ws, src, lines=lines)
        res = analyze(ws, "CSV", src)
        files = list(res.files)
        res.close()
    out["  lignes du fichier"] = gen["lines"]
    docs: list[list[dict[str, Any]]] = []
    out["documents_rows (statuts des documents)"] = ms(lambda: docs.append(documents_rows(files)))
    out["  documents"] = len(docs[-1])
    out["  constats"] = sum(len(fa.findings) for fa in files)
    holder: list[DataTable] = []
    out["DataTable documents : construction + 1re page"] = ms(
        lambda: holder.append(DataTable(DOCUMENT_COLUMNS, docs[-1], formats={"ttc": fr_amount},
                                        filters=[("state", "État")])))
    t = holder[-1]
    out["html_table, tous les documents (avant)"] = ms(lambda: html_table(docs[-1], DOCUMENT_COLUMNS))
    out["page suivante (médiane de 15)"] = ms(t.next_button.click, 15)
    out["premier tri par montant"] = ms(lambda: setattr(t.sort_by, "value", "ttc"))
    out["premier filtre texte"] = ms(lambda: setattr(t.filter_text, "value", "cw_0001"))
    out["lignes des constats (findings_rows)"] = ms(lambda: rows_of([f for fa in files for f in fa.findings]))
    return out


def _figure(label: str, value: float) -> str:
    """Counts (indented labels) as integers, times with one decimal, French separators."""
    return fr_int(int(value)) if label.startswith("  ") else fr_number(value, 1)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--reception", action="store_true", help="also time a real analysis' documents table")
    ap.add_argument("--lines", type=int, default=100_000)
    a = ap.parse_args()
    report: dict[str, Any] = {"rows": a.rows, "synthetic_ms": synthetic(a.rows, a.repeat),
                              "load_average": list(os.getloadavg())}
    print(f"Tableau de {fr_int(a.rows)} constats (ms, mur ; médianes de {a.repeat} quand l'action se répète)")
    for k, v in report["synthetic_ms"].items():
        print(f"  {k:<46} {_figure(k, v):>12}")
    if a.reception:
        report["reception_ms"] = reception(a.lines)
        print(f"Réception d'un fichier de {fr_int(a.lines)} lignes (ms)")
        for k, v in report["reception_ms"].items():
            print(f"  {k:<46} {_figure(k, v):>12}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"→ {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
