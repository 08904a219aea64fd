"""Diagnostic « grilles de prix »: one test per code on hand-made rules, sentinels, clean rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from test_diag_helpers import base, pairs, sql, subjects

from econn import store
from econn.diagnostics import price_grids
from econn.findings import Level

TODAY = dt.date(2026, 11, 23)
COLS = "(ref, source, article, categorie_tarifaire, client, qte_min, prix_ht, remise_pct, date_debut, date_fin, " \
       "created_at)"


@pytest.fixture
def ws(workspace: Path) -> Path:
    base(workspace)
    sql(workspace,
        "INSERT INTO articles (code, libelle, code_tva, prix_ht, prix_achat, actif, export) VALUES "
        "('A', 'Article A', 'V3', 20, 8, true, true), ('B', 'Article B', 'V3', 30, 12, true, true), "
        "('OLD', 'Ancien', 'V3', 10, 4, false, false), ('NOPRICE', 'Sans prix', 'V3', NULL, 5, true, true)",
        "INSERT INTO tiers (code, nom) VALUES ('CLI1', 'Client')")
    return workspace


def rules(ws: Path, *rows: str) -> None:
    sql(ws, *(f"INSERT INTO price_grids {COLS} VALUES {r}" for r in rows))


def run(ws: Path, **kw: object) -> price_grids.DiagnosticResult:
    return price_grids.run(ws, today=TODAY, **kw)


def test_clean_rules_and_sentinels_produce_nothing(ws: Path) -> None:
    rules(ws,
          "('R1', 'palier_clitar', 'A', 'REV', NULL, 1, 18, NULL, NULL, NULL, '2026-01-01')",
          "('R2', 'palier_clitar', 'A', 'REV', NULL, 10, 17, NULL, NULL, NULL, '2026-01-01')",
          "('R3', 'cli_prod', 'A', NULL, 'CLI1', 1, -1, 10, NULL, NULL, '2026-01-01')",      # -1 = base price
          "('R4', 'cli_prod', 'B', '0', '0', 0, 25, NULL, '2026-01-01', '2027-01-01', '2026-01-01')",  # 0 = all
          "('R5', 'cli_prodfam', 'B', NULL, 'CLI1', 1, NULL, 20, NULL, NULL, '2026-01-01')")
    assert [f for f in run(ws).findings if f.code != "PRIX-BASE"] == []


def test_prix_base(ws: Path) -> None:
    assert pairs(run(ws)) == {("PRIX-BASE", "NOPRICE")}


@pytest.mark.parametrize(("rows", "code", "expected"), [
    (["('D1', 'palier_clitar', 'A', 'REV', NULL, 1, 15, NULL, NULL, NULL, '2026-01-01')",
      "('D2', 'palier_clitar', 'A', 'REV', NULL, 1, 15, NULL, NULL, NULL, '2026-02-01')"], "PRIX-DUP", {"D1"}),
    (["('C1', 'palier_clitar', 'A', 'REV', NULL, 1, 15, NULL, NULL, NULL, '2026-01-01')",
      "('C2', 'famcli_prodfam', 'A', 'REV', NULL, 1, NULL, 20, NULL, NULL, '2026-01-01')"], "PRIX-CONFLIT",
     {"C1", "C2"}),
    (["('O1', 'palier_clitar', 'A', 'REV', NULL, 1, 15, NULL, '2026-01-01', '2026-12-31', '2026-01-01')",
      "('O2', 'palier_clitar', 'A', 'REV', NULL, 1, 14, NULL, '2026-06-01', '2027-06-30', '2026-01-01')"],
     "PRIX-CHEV", {"O1", "O2"}),
    (["('T1', 'palier_clitar', 'A', 'REV', NULL, 1, 15, NULL, '2027-01-01', '2026-12-01', '2026-01-01')"],
     "PRIX-DATES", {"T1"}),
    (["('E1', 'palier_clitar', 'A', 'REV', NULL, 1, 15, NULL, '2025-01-01', '2026-10-01', '2026-01-01')"],
     "PRIX-EXPIRE", {"E1"}),
    (["('N1', 'cli_prod', 'A', NULL, 'CLI1', 1, -4.5, NULL, NULL, NULL, '2026-01-01')"], "PRIX-NEG", {"N1"}),
    (["('Z1', 'palier_clitar', 'A', 'REV', NULL, 1, 0, NULL, NULL, NULL, '2026-01-01')"], "PRIX-ZERO", {"Z1"}),
    (["('M1', 'famcli_prod', 'A', 'REV', NULL, 1, NULL, 120, NULL, NULL, '2026-01-01')",
      "('M2', 'famcli_prod', 'B', 'REV', NULL, 1, NULL, -5, NULL, NULL, '2026-01-01')"], "PRIX-REM", {"M1", "M2"}),
    (["('K1', 'cli_prod', 'A', NULL, 'CLI1', 1, 7, NULL, NULL, NULL, '2026-01-01')"], "PRIX-COUT", {"K1"}),
    (["('P1', 'palier_clitar', 'B', 'REV', NULL, 1, 21, NULL, NULL, NULL, '2026-01-01')",
      "('P2', 'palier_clitar', 'B', 'REV', NULL, 10, 19.5, NULL, NULL, NULL, '2026-01-01')",
      "('P3', 'palier_clitar', 'B', 'REV', NULL, 50, 22.5, NULL, NULL, NULL, '2026-01-01')"], "PRIX-PALIER", {"P3"}),
    (["('X1', 'palier_clitar', 'ZZ', 'REV', NULL, 1, 15, NULL, NULL, NULL, '2026-01-01')",
      "('X2', 'palier_clitar', 'OLD', 'REV', NULL, 1, 9, NULL, NULL, NULL, '2026-01-01')"], "PRIX-ORPH-ART",
     {"X1", "X2"}),
    (["('Y1', 'cli_prod', 'A', NULL, 'CLI99', 1, 15, NULL, NULL, NULL, '2026-01-01')"], "PRIX-ORPH-CLI", {"Y1"}),
    (["('G1', 'palier_clitar', 'A', 'VIP', NULL, 1, 15, NULL, NULL, NULL, '2026-01-01')"], "PRIX-ORPH-GRP", {"G1"}),
    (["('H1', 'palier_clitar', 'A', 'TTC', NULL, 1, 20, NULL, NULL, NULL, '2026-01-01')"], "PRIX-HTTTC", {"H1"}),
])
def test_each_code(ws: Path, rows: list[str], code: str, expected: set[str]) -> None:
    rules(ws, *rows)
    assert subjects(run(ws), code) == expected


def test_remise_ceiling_is_an_alert_and_configurable(ws: Path) -> None:
    rules(ws, "('R60', 'famcli_prod', 'A', 'REV', NULL, 1, NULL, 40, NULL, NULL, '2026-01-01')")
    assert subjects(run(ws), "PRIX-REM") == set()
    with store.transaction(ws) as con:
        store.set_setting(con, price_grids.SETTING_MAX_DISCOUNT, "30")
    [f] = [f for f in run(ws).findings if f.code == "PRIX-REM"]
    assert (f.subject, f.level) == ("R60", Level.ALERTE)


def test_expired_is_not_reported_when_dates_are_inverted(ws: Path) -> None:
    rules(ws, "('T1', 'palier_clitar', 'A', 'REV', NULL, 1, 15, NULL, '2026-12-01', '2026-10-01', '2026-01-01')")
    assert {c for c, _ in pairs(run(ws))} == {"PRIX-DATES", "PRIX-BASE"}


def test_every_anomaly_of_one_rule_is_reported(ws: Path) -> None:
    """An orphan rule is still checked for everything else: no code hides another on the same rule."""
    rules(ws,
          "('G1', 'palier_clitar', 'A', 'VIP', 'CLI99', 1, -4.5, 120, '2027-01-01', '2026-12-01', '2026-01-01')",
          "('G2', 'famcli_prod', 'ZZ', 'VIP', NULL, 1, 0, NULL, '2025-01-01', '2026-10-01', '2026-01-01')")
    by_rule: dict[str | None, set[str]] = {}
    for f in run(ws).findings:
        by_rule.setdefault(f.subject, set()).add(f.code)
    assert by_rule["G1"] >= {"PRIX-ORPH-GRP", "PRIX-ORPH-CLI", "PRIX-NEG", "PRIX-REM", "PRIX-DATES"}
    assert by_rule["G2"] >= {"PRIX-ORPH-GRP", "PRIX-ORPH-ART", "PRIX-ZERO", "PRIX-EXPIRE"}


def test_the_nettoyage_plans_nothing_the_diagnostic_does_not_report(ws: Path) -> None:
    """Expired, duplicate and orphan rules: the plan and the diagnostic agree, rule by rule and code by code."""
    import random

    from econn.diagnostics import grid_cleanup

    rnd = random.Random(19)
    rows = []
    for i in range(200):
        rows.append(
            (rnd.choice([f"R{i}", None]), "s", rnd.choice(["A", "OLD", "ZZ", None]),
             rnd.choice([None, "", "0", "REV", "VIP", "TTC"]), rnd.choice([None, "", "0", "CLI1", "CLI9"]),
             rnd.choice([None, 0, 1, 10]), rnd.choice([None, -1, -4.5, 0, 15, 7]), rnd.choice([None, 10, 120, -5]),
             rnd.choice([None, dt.date(2025, 1, 1), dt.date(2027, 1, 1)]),
             rnd.choice([None, dt.date(2026, 10, 1), dt.date(2027, 6, 1)]),
             dt.datetime(2026, 1, 1) + dt.timedelta(days=rnd.randint(0, 3))))
    with store.transaction(ws) as con:
        con.executemany(f"INSERT INTO price_grids {COLS} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    cleanup = set(grid_cleanup.CODES) - {"SEC-SEUIL"}
    diag = {(f.subject, f.code, f.message) for f in run(ws).findings if f.code in cleanup}
    plan = grid_cleanup.plan(ws, today=TODAY)
    planned = {(f.subject, f.code, f.message) for f in plan.findings if f.code in cleanup}
    assert planned == diag and len({e["id"] for e in plan.extra["plan"]}) > 50
