"""Pair and cluster precision / recall / F1 of econn's duplicate finder, and of splink, on one table.

Usage::

    .venv/bin/python benchmarks/duplicates_quality.py --n 20000 --seed 7 \
        [--splink-python /tmp/splink-venv/bin/python]

splink (unsupervised, DuckDB backend: ``estimate_u_using_random_sampling`` then expectation
maximisation per blocking rule) runs in a child process with the given interpreter, because splink
5 pulls pyarrow, which we keep out of econn's environment (pandas 3 switches its string storage
when pyarrow is importable); ``--splink-python ''`` skips it. splink gets the same table with the
cheap normalisation a user would do (lower case, accents, phone digits); econn gets the raw table.
Writes ``benchmarks/out/duplicates_quality.json`` and prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from gen_customers import OUT, load_or_generate, truth_pairs  # noqa: E402

from econn.duplicates import find_duplicates  # noqa: E402

ROLES = {"company": "societe", "last_name": "nom", "first_name": "prenom", "email": "email", "phone": "telephone",
         "mobile": "mobile", "address": "adresse", "postal_code": "code_postal", "city": "ville",
         "country": "pays", "siret": "siret", "vat_number": "tva", "birth_date": "date_naissance"}


def pair_metrics(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> dict[str, float]:
    """Precision, recall and F1 of predicted pairs against the true pairs."""
    tp = len(found & truth)
    p = tp / len(found) if found else 1.0
    r = tp / len(truth) if truth else 1.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
            "tp": tp, "fp": len(found) - tp, "fn": len(truth) - tp}


def cluster_pairs(clusters: list[list[str]]) -> set[tuple[str, str]]:
    """The pairs implied by clusters (every two members of one cluster)."""
    out = set()
    for members in clusters:
        m = sorted(members)
        out.update((a, b) for i, a in enumerate(m) for b in m[i + 1:])
    return out


def exact_clusters(found: list[list[str]], df: pd.DataFrame) -> dict[str, float]:
    """Share of true multi-record entities recovered exactly as one cluster (cluster-level recall)."""
    true = {tuple(sorted(g)) for g in df.groupby("entity")["id"].apply(list) if len(g) > 1}
    got = {tuple(sorted(c)) for c in found}
    hit = len(true & got)
    return {"true_clusters": len(true), "found_clusters": len(got), "exact": hit,
            "cluster_precision": round(hit / len(got), 4) if got else 1.0,
            "cluster_recall": round(hit / len(true), 4) if true else 1.0}


def run_econn(df: pd.DataFrame, truth: set[tuple[str, str]], threshold: float | None) -> dict:
    t0 = time.perf_counter()
    res = find_duplicates(df, ROLES, id_column="id", threshold=threshold)
    secs = time.perf_counter() - t0
    pairs = {tuple(sorted(p)) for p in zip(res.pairs["id_l"], res.pairs["id_r"], strict=True)}
    clusters = [c["members"] for c in res.clusters]
    return {"seconds": round(secs, 2), "pairs": pair_metrics(pairs, truth),
            "cluster_pairs": pair_metrics(cluster_pairs(clusters), truth), **exact_clusters(clusters, df),
            "candidates": res.stats["candidates"]}


# Run by the splink interpreter: same table, same normalised e-mail/phone inputs a user would give it.
SPLINK = r"""
import json, re, sys, time
import duckdb, splink
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
import splink.comparison_library as cl
path, out, clusters_out = sys.argv[1:4]
con = duckdb.connect()
df = con.execute(f'''SELECT id, lower(trim(email)) AS email,
    lower(strip_accents(replace(replace(nom, 'œ', 'oe'), 'Œ', 'OE'))) AS nom,
    lower(strip_accents(replace(replace(prenom, 'œ', 'oe'), 'Œ', 'OE'))) AS prenom,
    lower(strip_accents(replace(replace(societe, 'œ', 'oe'), 'Œ', 'OE'))) AS societe,
    right(regexp_replace(coalesce(mobile, telephone), '[^0-9]', '', 'g'), 9) AS tel,
    lower(strip_accents(adresse)) AS adresse, code_postal, lower(strip_accents(ville)) AS ville,
    siret, date_naissance FROM read_parquet('{path}')''').df()
t0 = time.perf_counter()
settings = SettingsCreator(
    link_type="dedupe_only", unique_id_column_name="id",
    comparisons=[
        cl.NameComparison("nom"), cl.NameComparison("prenom"), cl.JaroWinklerAtThresholds("societe"),
        cl.EmailComparison("email"), cl.ExactMatch("tel"), cl.LevenshteinAtThresholds("adresse", [2, 5]),
        cl.ExactMatch("code_postal"), cl.ExactMatch("siret"), cl.ExactMatch("date_naissance"),
    ],
    blocking_rules_to_generate_predictions=[
        block_on("email"), block_on("tel"), block_on("siret"), block_on("code_postal", "substr(nom, 1, 3)"),
        block_on("code_postal", "substr(prenom, 1, 3)"), block_on("code_postal", "substr(societe, 1, 4)"),
        block_on("date_naissance", "prenom"),
    ],
    retain_intermediate_calculation_columns=False,
)
db_api = DuckDBAPI(con)
linker = Linker(db_api.register(df), settings)  # splink 5: tables are registered on the backend first
linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
for rule in (block_on("code_postal", "nom"), block_on("email"), block_on("tel")):
    linker.training.estimate_parameters_using_expectation_maximisation(rule)
pred = linker.inference.predict(threshold_match_probability=0.5)
clus = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, threshold_match_probability=0.5)
p = pred.as_pandas_dataframe()[["id_l", "id_r"]]
p.to_csv(out, index=False)
clus.as_pandas_dataframe()[["cluster_id", "id"]].to_csv(clusters_out, index=False)
print(json.dumps({"splink_version": splink.__version__, "duckdb_version": duckdb.__version__,
                  "fit_predict_seconds": round(time.perf_counter() - t0, 2)}))
"""


def run_splink(python: str, path: Path, truth: set[tuple[str, str]], df: pd.DataFrame) -> dict:
    out = OUT / "splink_pairs.csv"
    cmd = [python, "-c", SPLINK, str(path), str(out), str(OUT / "splink_clusters.csv")]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    secs = time.perf_counter() - t0
    if proc.returncode != 0:
        return {"error": proc.stderr[-2000:]}
    meta = json.loads(proc.stdout.strip().splitlines()[-1])
    sp = pd.read_csv(out, dtype=str)
    pairs = {tuple(sorted(p)) for p in zip(sp["id_l"], sp["id_r"], strict=True)}
    cl = pd.read_csv(OUT / "splink_clusters.csv", dtype=str)
    clusters = [g.tolist() for _, g in cl.groupby("cluster_id")["id"] if len(g) > 1]
    return {"seconds": round(secs, 2), "pairs": pair_metrics(pairs, truth),
            "cluster_pairs": pair_metrics(cluster_pairs(clusters), truth), **exact_clusters(clusters, df), **meta}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--threshold", type=float, default=None)
    ap.add_argument("--splink-python", default="/tmp/splink-venv/bin/python")
    a = ap.parse_args()
    df = load_or_generate(a.n, a.seed)
    truth = truth_pairs(df)
    report = {"n": len(df), "seed": a.seed, "true_pairs": len(truth), "econn": run_econn(df, truth, a.threshold)}
    if a.splink_python:
        report["splink"] = run_splink(a.splink_python, OUT / f"customers_{a.n}_{a.seed}.parquet", truth, df)
    OUT.mkdir(exist_ok=True)
    (OUT / "duplicates_quality.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"{len(df)} records, {len(truth)} true pairs (seed {a.seed})\n")
    print("| tool | level | precision | recall | F1 | exact clusters | seconds |")
    print("|---|---|---|---|---|---|---|")
    for tool in ("econn", "splink"):
        r = report.get(tool)
        if not r:
            continue
        if "error" in r:
            print(f"| {tool} | error | | | | | |\n\n{r['error']}")
            continue
        for level in ("pairs", "cluster_pairs"):
            m = r[level]
            print(f"| {tool} | {level} | {m['precision']:.4f} | {m['recall']:.4f} | {m['f1']:.4f} | "
                  f"{r['exact']}/{r['true_clusters']} | {r['seconds']} |")


if __name__ == "__main__":
    main()
