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
