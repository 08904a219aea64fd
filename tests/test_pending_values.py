"""pending_values / unblocked_by on the demo: values of the pending files, counted like the csv module does."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from econn.reception.pending_values import PendingValuesError, documents_using, pending_values, unblocked_by

# Column of the demo files holding each domain's value (data/README.md).
COLUMNS = {"tva": "TVA", "unite": "Unité", "pays": "Pays", "reglement": "Mode de règlement",
           "article": "Référence article"}


def _rows(ws: Path, connector: str = "CSV") -> list[tuple[str, dict[str, str]]]:
    out = []
    for path in sorted((ws / "connecteurs" / connector / "import").glob("*.csv")):
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig") if raw.startswith(b"\xef\xbb\xbf") else raw.decode("cp1252")
        out += [(path.name, r) for r in csv.DictReader(text.splitlines(), delimiter=";")]
    return out


def _documents(ws: Path, domain: str, value: str) -> int:
    return len({r["N° commande"] for _f, r in _rows(ws) if r[COLUMNS[domain]] == value})


def _found(df, domain: str, value: str, variant: str = "") -> dict:
    hit = df[(df["domain"] == domain) & (df["external_value"] == value) & (df["external_variant"] == variant)]
    assert len(hit) == 1, f"{domain} {value!r} / {variant!r} not found once"
    return hit.iloc[0].to_dict()


def test_planted_values_are_found_with_csv_module_counts(demo_workspace: Path) -> None:
    df = pending_values(demo_workspace, "CSV")
    assert list(df.columns) == ["domain", "external_value", "external_variant", "documents", "lines", "files"]
    assert set(df["domain"]) == {"tva", "unite", "pays", "reglement", "article"}
    for domain, value in (("tva", "TVA 5,5%"), ("unite", "Bouteille"), ("pays", "Hollande"), ("article", "ARRO")):
        row = _found(df, domain, value)
        assert row["documents"] == _documents(demo_workspace, domain, value) >= 1
        assert row["lines"] == sum(1 for _f, r in _rows(demo_workspace) if r[COLUMNS[domain]] == value)
        assert unblocked_by(demo_workspace, "CSV", domain, value) == row["documents"]
    # Values shared by both files: counts over both, file names listed.
    fr = _found(df, "pays", "FR")
    assert fr["documents"] == _documents(demo_workspace, "pays", "FR") > 5
    assert fr["files"].count(".csv") == 2
    assert df.attrs["unreadable"] == []


def test_every_value_of_every_domain_matches_csv_module(demo_workspace: Path) -> None:
    df = pending_values(demo_workspace, "CSV")
    rows = _rows(demo_workspace)
    for domain, col in COLUMNS.items():
        expected: dict[tuple[str, str], set[str]] = {}
        for _f, r in rows:
            if r[col].strip():
                variant = r["Déclinaison"] if domain == "article" else ""
                expected.setdefault((r[col], variant), set()).add(r["N° commande"])
        got = {(v, var): n for v, var, n in
               df.loc[df["domain"] == domain, ["external_value", "external_variant", "documents"]].itertuples(
                   index=False)}
        assert got == {k: len(v) for k, v in expected.items()}, domain


def test_article_variants_and_documents_using(demo_workspace: Path) -> None:
    df = pending_values(demo_workspace, "CSV")
    assert _found(df, "article", "DECO-PLAID", "Gris")["documents"] == 1
    # A plain value counts every variant; a (value, variant) pair only that variant.
    all_variants = _documents(demo_workspace, "article", "COUSSIN-DECO")
    assert unblocked_by(demo_workspace, "CSV", "article", "COUSSIN-DECO") == all_variants == 2
    assert documents_using(demo_workspace, "CSV", "article", [("COUSSIN-DECO", "Bleu nuit")]) == 1
    both = {r["N° commande"] for _f, r in _rows(demo_workspace) if r["Pays"] in ("Hollande", "BE")}
    assert documents_using(demo_workspace, "CSV", "pays", ["Hollande", "BE"]) == len(both)
    assert documents_using(demo_workspace, "CSV", "pays", []) == 0
    assert unblocked_by(demo_workspace, "CSV", "tva", "jamais vu") == 0


def test_other_connector_and_errors(demo_workspace: Path) -> None:
    facil = pending_values(demo_workspace, "FACIL")
    assert "TVA 5,5%" not in set(facil["external_value"]) and len(facil) > 0
    with pytest.raises(PendingValuesError) as err:
        pending_values(demo_workspace, "NOPE")
    assert "Connecteur inconnu" in err.value.message_fr


def test_no_pending_file_and_unreadable_file(demo_workspace: Path) -> None:
    folder = demo_workspace / "connecteurs" / "CSV" / "import"
    for p in folder.glob("*.csv"):
        p.rename(p.with_suffix(".bak"))
    empty = pending_values(demo_workspace, "CSV")
    assert empty.empty and list(empty.columns)[:3] == ["domain", "external_value", "external_variant"]
    (folder / "vide.csv").write_bytes(b"")
    df = pending_values(demo_workspace, "CSV")
    assert df.empty and [name for name, _reason in df.attrs["unreadable"]] == ["vide.csv"]
