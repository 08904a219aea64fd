"""Nettoyage des grilles (plan, backup, apply, history) and the safety mode (SEC-SEUIL, lift)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from econn import store
from econn.diagnostics import grid_cleanup, safety
from econn.diagnostics.safety import SafetyError

TODAY = dt.date(2026, 11, 23)
PLANTED = {"TF800002", "TF800008", "TF800018", "TF800019", "TF800020", "TF800021"}


def _count(ws: Path, sql: str, params: list | None = None) -> int:
    with store.connect(ws, read_only=True) as con:
        return int(con.execute(sql, params or []).fetchall()[0][0])


def test_plan_then_apply_with_backup(demo_workspace: Path, tmp_path: Path) -> None:
    ws = demo_workspace
    before = _count(ws, "SELECT count(*) FROM price_grids")
    plan = grid_cleanup.plan(ws, today=TODAY)
    assert {e["ref"] for e in plan.extra["plan"]} == PLANTED
    assert _count(ws, "SELECT count(*) FROM price_grids") == before  # a dry run changes nothing
    res = grid_cleanup.apply(ws, [e["id"] for e in plan.extra["plan"]], backup_dir=tmp_path / "bk", user="alice",
                             justification="nettoyage de test", today=TODAY)
    assert res["status"] == "applique" and set(res["refs"]) == PLANTED
    with open(res["backup"], encoding="utf-8-sig", newline="") as fh:
        backed = list(csv.DictReader(fh, delimiter=";"))
    assert {r["ref"] for r in backed} == PLANTED and all(r["motif"] for r in backed)
    assert _count(ws, "SELECT count(*) FROM price_grids") == before - len(PLANTED)
    assert _count(ws, "SELECT count(*) FROM price_grids WHERE ref IN (SELECT unnest(?::VARCHAR[]))",
                  [sorted(PLANTED)]) == 0
    assert _count(ws, "SELECT count(*) FROM price_grids WHERE ref = 'TF800001'") == 1  # newest duplicate kept
    assert _count(ws, "SELECT count(*) FROM history WHERE kind = 'action' AND data_type = 'diagnostic' "
                      "AND closed_by = 'alice' AND reference = ?", [res["backup"]]) == 1
    assert grid_cleanup.plan(ws, today=TODAY).extra["plan"] == []


def test_apply_refuses_rules_outside_the_plan(demo_workspace: Path, tmp_path: Path) -> None:
    with pytest.raises(grid_cleanup.CleanupError):
        grid_cleanup.apply(demo_workspace, [100], backup_dir=tmp_path, user="a", today=TODAY)


def test_safety_blocks_until_lifted_with_justification(demo_workspace: Path, tmp_path: Path) -> None:
    ws = demo_workspace
    with store.transaction(ws) as con:
        store.set_setting(con, safety.setting_key("grilles_suppression"), "1")  # 6 of 385 rules = 1.6 %
    plan = grid_cleanup.plan(ws, today=TODAY)
    assert "SEC-SEUIL" in {f.code for f in plan.findings}
    ids = [e["id"] for e in plan.extra["plan"]]
    res = grid_cleanup.apply(ws, ids, backup_dir=tmp_path / "bk", user="alice", today=TODAY)
    assert (res["status"], res["removed"], res["finding"]["code"]) == ("bloque", 0, "SEC-SEUIL")
    assert not (tmp_path / "bk").exists() or not list((tmp_path / "bk").iterdir())  # no backup, nothing deleted
    assert _count(ws, "SELECT count(*) FROM price_grids WHERE id IN (SELECT unnest(?::BIGINT[]))", [ids]) == len(ids)
    for bad in (None, "", "   ", "ok"):
        with pytest.raises(SafetyError):
            safety.lift(ws, "grilles_suppression", "bob", bad)
    assert safety.check(ws, "grilles_suppression", len(ids), 385) is not None
    safety.lift(ws, "grilles_suppression", "bob", "Nettoyage annuel validé par la direction")
    assert _count(ws, "SELECT count(*) FROM history WHERE data_type = 'securite' AND closed_by = 'bob'") == 1
    assert safety.check(ws, "grilles_suppression", len(ids), 385) is None
    res = grid_cleanup.apply(ws, ids, backup_dir=tmp_path / "bk", user="alice", today=TODAY)
    assert res["status"] == "applique"
    # The lift is one-shot: it was consumed by that run.
    assert safety.check(ws, "grilles_suppression", 10, 100) is not None


def test_safety_thresholds(workspace: Path) -> None:
    assert safety.check(workspace, "articles_desactivation", 10, 100) is None      # 10 % is not above 10 %
    f = safety.check(workspace, "articles_desactivation", 11, 100)
    assert f is not None and (f.code, f.subject) == ("SEC-SEUIL", "articles_desactivation")
    assert safety.check(workspace, "clients_reaffectation", 21, 0) is not None       # a count threshold
    with pytest.raises(SafetyError):
        safety.check(workspace, "inconnue", 1, 1)


def test_backup_cells_are_neutralised(demo_workspace: Path, tmp_path: Path) -> None:
    """Issue #17: the nettoyage backup is a CSV someone opens in a spreadsheet; shop values must stay inert."""
    from tests.test_safe_output import LOOK_ALIKES, live_formula

    ws = demo_workspace
    hostile = ['=HYPERLINK("http://x";"clic")', *LOOK_ALIKES]
    with store.transaction(ws) as con:
        refs = sorted(PLANTED)
        for i, ref in enumerate(refs):
            con.execute("UPDATE price_grids SET source = ? WHERE ref = ?", [hostile[i % len(hostile)], ref])
    plan = grid_cleanup.plan(ws, today=TODAY)
    res = grid_cleanup.apply(ws, [e["id"] for e in plan.extra["plan"]], backup_dir=tmp_path / "bk", user="alice",
                             justification="nettoyage de test", today=TODAY)
    with open(res["backup"], encoding="utf-8-sig", newline="") as fh:
        backed = list(csv.DictReader(fh, delimiter=";"))
    assert len(backed) == len(PLANTED)
    assert [r["source"] for r in backed if live_formula(r["source"])] == []
    assert all(r["source"].startswith("'") for r in backed)


def _rules(ws: Path) -> dict[str, dict]:
    with store.connect(ws, read_only=True) as con:
        cur = con.execute("SELECT * FROM price_grids")
        names = [d[0] for d in cur.description]
        return {r[1]: dict(zip(names, r)) for r in cur.fetchall()}


def expected_plan_messages(ws: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """(code, rule) → (message, valeur) of the demo's plan, from the rules' own fields."""
    r = _rules(ws)
    end = r["TF800008"]["date_fin"]
    return {
        ("PRIX-DUP", "TF800002"): ("Règle TF800002 sur COUSS identique à TF800001, conservée (la plus récente)",
                                   "COUSS"),
        ("PRIX-EXPIRE", "TF800008"): (f"Règle TF800008 expirée depuis le {end:%d/%m/%Y}", f"{end:%d/%m/%Y}"),
        ("PRIX-ORPH-ART", "TF800018"): ("Règle TF800018 sur l'article absent ou inactif ZZ-INCONNU", "ZZ-INCONNU"),
        ("PRIX-ORPH-ART", "TF800021"): ("Règle TF800021 sur l'article absent ou inactif SECATV1", "SECATV1"),
        ("PRIX-ORPH-CLI", "TF800019"): (f"Règle TF800019 sur le client absent ou inactif {r['TF800019']['client']}",
                                        r["TF800019"]["client"]),
        ("PRIX-ORPH-GRP", "TF800020"): ("Règle TF800020 sur la catégorie inconnue "
                                        f"{r['TF800020']['categorie_tarifaire']}", r["TF800020"]["categorie_tarifaire"]),
    }


def test_plan_slots_hold_the_rules_own_fields(demo_workspace: Path) -> None:
    """Each slot of a plan finding holds the field its name says: the date where the date belongs, the client…"""
    ws = demo_workspace
    rules = _rules(ws)
    plan = grid_cleanup.plan(ws, today=TODAY)
    got = {(f.code, f.subject): (f.message, f.value) for f in plan.findings}
    assert got == expected_plan_messages(ws)
    assert rules["TF800019"]["client"] == "CLI99999" and rules["TF800020"]["categorie_tarifaire"] == "VIP"
    for f in plan.findings:
        rule, x = rules[f.subject], f.extra
        assert x["rule"] == rule["ref"] and x["rule_id"] == rule["id"] and x["article"] == rule["article"]
        if f.code == "PRIX-EXPIRE":
            assert x["end_date"] == rule["date_fin"]
        if f.code == "PRIX-ORPH-CLI":
            assert x["client"] == rule["client"]
        if f.code == "PRIX-ORPH-GRP":
            assert x["category"] == rule["categorie_tarifaire"]
        if f.code == "PRIX-DUP":
            assert x["kept_rule"] == "TF800001" and rules["TF800001"]["created_at"] > rule["created_at"]
    reasons = {e["ref"]: e["reasons"] for e in plan.extra["plan"]}
    assert reasons["TF800019"] == ["client CLI99999 absent"] and reasons["TF800020"] == ["catégorie VIP inconnue"]


def test_plan_reads_right_in_the_cli_and_the_excel_report(demo_workspace: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    import openpyxl

    from econn.cli import main as cli_main

    xlsx = tmp_path / "plan.xlsx"
    assert cli_main(["diagnose", "nettoyage-grilles", "--workspace", str(demo_workspace), "--today",
                     TODAY.isoformat(), "--xlsx", str(xlsx)]) == 0
    out = capsys.readouterr().out
    expected = expected_plan_messages(demo_workspace)
    for (_code, rule), (message, _value) in expected.items():
        assert f"{rule} : {message}" in out
    assert "Sera supprimée par le nettoyage : article SECATV1 en sommeil." in out   # each rule's own reason
    ws = openpyxl.load_workbook(xlsx)["Constats"]
    rows = {(r[0], r[4]): (r[2], r[9]) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows == expected
