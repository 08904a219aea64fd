"""History at scale: the dashboard's filtered query, the 48 h counts and the purge on 10 million rows.

A workspace is generated with DuckDB ``range()`` SQL (no Python loop): ``--rows`` history rows over two
years for six connectors, appended in time order as the application appends them (``--layout time``), or
physically ordered by (connector, occurred_at) (``--layout connector``). Messages, references, names and
document numbers look like the real ones (« Document CW_0001234_01 intégré : commande n° … », « Article
« ARRO » sans correspondance … »), with ~8 % errors of which 10 % stay open.

Timed through the public API (a store connection is opened per call, as a page does):

* ``query``: one connector, one month, a search term (a customer name), ``limit=500`` — repeated
  ``--repeat`` times (median, p95); target median < 200 ms;
* the same without a search term; ``counts`` (48 h); ``daily_volumes`` (90 days);
* ``purge`` with the default 2-month retention (run last: it deletes ~90 % of the rows).

Usage: ``python benchmarks/history_speed.py [--rows 10000000] [--repeat 25] [--layout time|connector]
[--workspace DIR] [--keep]``. Writes ``benchmarks/out/history_speed.json`` (one entry per layout, merged).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from econn import history, store  # noqa: E402

OUT = Path(__file__).parent / "out"
CONNECTORS = ["CSV", "FACIL", "PRESTA", "SHOPIFY", "WOO", "EBP"]
END = dt.datetime(2026, 11, 23, 12, 0)
SPAN_DAYS = 730

_GENERATE = """
INSERT INTO history (id, connector, kind, data_type, level, occurred_at, purchase_date, origin_number, gc_number,
                     name, gc_tiers, origin_tiers, amount_ttc, payment_number, code, message, hint, reference,
                     closed_at, closed_by, justification)
WITH base AS (
    SELECT i,
           ? + to_microseconds(CAST(i * (? / ?) AS BIGINT)) AS ts,
           hash(i) AS hsh,
           (['CSV','FACIL','PRESTA','SHOPIFY','WOO','EBP'])[1 + CAST(hash(i * 7) % 6 AS INTEGER)] AS connector,
           CAST(hash(i * 13) % 100 AS INTEGER) AS r
    FROM range(?) t(i)
), shaped AS (
    SELECT *,
           CASE WHEN r < 8 THEN 'erreur' WHEN r < 20 THEN 'envoi' ELSE 'reception' END AS kind,
           CASE WHEN r < 8 THEN 'erreur' WHEN r < 14 THEN 'alerte' ELSE 'succès' END AS level,
           (['Patrick ANDRE','Thomas BERTHET','Prospect','Hélène LEFEBVRE','Marc DUBOIS','SARL Les Jardins de Provence',
             'Julien MARTIN','Sophie PETIT','Cave du Médoc','Agnès LŒUILLET','Bernard ROUSSEAU','Jean DUPONT',
             'Claire DUBOIS','Domaine des Trois Chênes','Émilie FONTAINE','Zoé LEBRETON'])[1 + CAST(hsh % 16 AS INTEGER)]
               AS name,
           (['ARRO','VIN-CHAB-2022','MIEL','BECH','COUSS','ECHANT-PUB','AOPVEMA15B','JAR-SECAT-V1'])
               [1 + CAST((hsh >> 8) % 8 AS INTEGER)] AS sku,
           printf('CW_%07d_01', i) AS origin
    FROM base
)
SELECT i + 1, connector, kind,
       CASE WHEN kind = 'envoi' THEN 'article' WHEN r % 5 = 0 THEN 'client' ELSE 'document' END,
       level, ts, CAST(ts AS DATE) - 1, origin,
       CASE WHEN kind = 'reception' THEN CAST(2024000000 + i AS VARCHAR) END,
       name, printf('T%05d', CAST(hsh % 30000 AS INTEGER)), printf('C%07d', CAST((hsh >> 4) % 900000 AS INTEGER)),
       CAST(((hsh >> 12) % 90000) / 100.0 AS DECIMAL(18, 4)),
       CASE WHEN kind = 'reception' AND r % 3 = 0 THEN printf('RG%07d', i) END,
       CASE WHEN kind = 'erreur' THEN 'COR-ART' WHEN level = 'alerte' THEN 'TVA-B2C-UE' END,
       CASE WHEN kind = 'erreur' THEN 'Article « ' || sku || ' » sans correspondance : document ' || origin
                                      || ' non intégré'
            WHEN kind = 'envoi' THEN CAST(200 + r AS VARCHAR) || ' articles envoyés (disponibles à l''export)'
            ELSE 'Document ' || origin || ' intégré : commande n° ' || CAST(2024000000 + i AS VARCHAR) END,
       CASE WHEN kind = 'erreur' THEN 'Créez l''article en GC ou renseignez sa correspondance.' END,
       CASE WHEN kind = 'erreur' THEN sku END,
       CASE WHEN kind = 'erreur' AND r % 10 <> 0 THEN ts + INTERVAL 1 DAY END,
       CASE WHEN kind = 'erreur' AND r % 10 <> 0 THEN 'agodin' END,
       CASE WHEN kind = 'erreur' AND r % 10 <> 0 THEN 'ressaisi en GC' END
FROM shaped
"""


def generate(ws: Path, rows: int, layout: str) -> float:
    """Create the workspace and ``rows`` history rows; returns seconds."""
    if ws.exists():
        shutil.rmtree(ws)
    store.init_store(ws)
    start = END - dt.timedelta(days=SPAN_DAYS)
    span_us = SPAN_DAYS * 86400 * 1_000_000
    t = time.perf_counter()
    with store.transaction(ws) as con:
        if layout == "connector":
            # Physically ordered by (connector, occurred_at): generate into a scratch table, copy sorted.
            con.execute("CREATE TEMP TABLE gen AS SELECT * FROM history LIMIT 0")
            con.execute(_GENERATE.replace("INSERT INTO history", "INSERT INTO gen", 1),
                        [start, float(span_us), float(rows), rows])
            con.execute("INSERT INTO history SELECT * FROM gen ORDER BY connector, occurred_at")
            con.execute("DROP TABLE gen")
        else:
            con.execute(_GENERATE, [start, float(span_us), float(rows), rows])
    with store.connect(ws) as con:
        con.execute("CHECKPOINT")
    return time.perf_counter() - t


def timed(fn, repeat: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    fn()  # warm the OS cache and DuckDB's metadata once
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return {"median_ms": round(statistics.median(samples), 1),
            "p95_ms": round(samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))], 1),
            "min_ms": round(samples[0], 1), "max_ms": round(samples[-1], 1), "runs": repeat}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--repeat", type=int, default=25)
    ap.add_argument("--layout", choices=["time", "connector"], default="time")
    ap.add_argument("--workspace", type=Path, default=None)
    ap.add_argument("--keep", action="store_true", help="keep the generated workspace")
    ap.add_argument("--reuse", action="store_true", help="reuse --workspace if it already holds --rows rows")
    args = ap.parse_args()
    ws = args.workspace or Path(tempfile.mkdtemp(prefix="econn-history-bench-")) / "ws"

    gen_s = None
    if args.reuse and store.db_path(ws).exists():
        with store.connect(ws, read_only=True) as con:
            have = store.first(con.execute("SELECT count(*) FROM history"))[0]  # type: ignore[index]
        if have != args.rows:
            raise SystemExit(f"{ws} holds {have} rows, not {args.rows}: drop --reuse")
        gen_s = 0.0
    if gen_s is None:
        gen_s = generate(ws, args.rows, args.layout)
    size_mb = store.db_path(ws).stat().st_size / 1e6
    print(f"generated {args.rows:,} rows ({args.layout} layout) in {gen_s:.1f} s, {size_mb:.0f} MB", flush=True)

    month_from, month_to = dt.date(2026, 9, 1), dt.date(2026, 9, 30)
    results: dict[str, object] = {}

    def dashboard() -> None:
        df = history.query(ws, "PRESTA", date_from=month_from, date_to=month_to, search="dubois", limit=500)
        results["dashboard_rows"] = len(df)
        results["dashboard_total"] = df.attrs["total"]

    timings = {
        "query_connector_month_search_500": timed(dashboard, args.repeat),
        "query_connector_month_500": timed(
            lambda: history.query(ws, "PRESTA", date_from=month_from, date_to=month_to, limit=500), args.repeat),
        "query_open_errors_all_500": timed(lambda: history.query(ws, open_only=True, limit=500), args.repeat),
        "query_search_everything_500": timed(lambda: history.query(ws, search="CW_0012345", limit=500),
                                             max(5, args.repeat // 5)),
        "counts_48h": timed(lambda: history.counts(ws, now=END), args.repeat),
        "daily_volumes_90d": timed(lambda: history.daily_volumes(ws, "PRESTA", days=90, now=END.replace(hour=23)),
                                   args.repeat),
    }
    for k, v in timings.items():
        print(f"{k:<36} median {v['median_ms']:>8.1f} ms   p95 {v['p95_ms']:>8.1f} ms", flush=True)

    # Purge a copy, so that --keep leaves a full workspace for --reuse.
    scratch = ws.parent / (ws.name + "-purge")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    shutil.copy2(store.db_path(ws), store.db_path(scratch))
    t = time.perf_counter()
    deleted = history.purge(scratch, now=END)
    purge_s = time.perf_counter() - t
    with store.connect(scratch, read_only=True) as con:
        left = store.first(con.execute("SELECT count(*) FROM history"))[0]  # type: ignore[index]
    shutil.rmtree(scratch, ignore_errors=True)
    print(f"purge (2 months): {deleted:,} rows deleted, {left:,} kept, {purge_s:.2f} s", flush=True)

    entry = {
        "rows": args.rows, "layout": args.layout, "connectors": len(CONNECTORS), "span_days": SPAN_DAYS,
        "generate_s": round(gen_s, 1) if gen_s else "reused", "db_size_mb": round(size_mb), "timings": timings,
        "dashboard_query": {"connector": "PRESTA", "from": month_from.isoformat(), "to": month_to.isoformat(),
                            "search": "dubois", "limit": 500, "rows_returned": results.get("dashboard_rows"),
                            "rows_matching": results.get("dashboard_total")},
        "target_median_ms": 200,
        "meets_target": timings["query_connector_month_search_500"]["median_ms"] < 200,
        "purge": {"deleted": deleted, "kept": left, "seconds": round(purge_s, 2)},
        "command": "python " + " ".join(["benchmarks/history_speed.py", *sys.argv[1:]]),
        "when": dt.datetime.now().isoformat(timespec="seconds"),
    }
    OUT.mkdir(exist_ok=True)
    out = OUT / "history_speed.json"
    data = json.loads(out.read_text()) if out.exists() else {}
    data[args.layout] = entry
    out.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    print(f"written {out}")
    if not args.keep:
        shutil.rmtree(ws.parent if args.workspace is None else ws, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
