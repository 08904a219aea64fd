"""Every diagnostic on the demo workspace finds what data/README.md plants, nothing on generated records."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from econn import store
from econn.diagnostics import registry

# Generous bound: the target is < 2 s on an idle machine (see the timings in the report).
BOUND_SECONDS = 10.0


def _today(ws: Path) -> dt.date:
    with store.connect(ws, read_only=True) as con:
        return dt.date.fromisoformat(store.get_setting(con, "demo.today"))


def _run(ws: Path, name: str) -> registry.DiagnosticResult:
    start = time.perf_counter()
    res = registry.run(name, ws, today=_today(ws))
    assert time.perf_counter() - start < BOUND_SECONDS
    return res


def _by_code(res: registry.DiagnosticResult) -> dict[str, set[str | None]]:
    out: dict[str, set[str | None]] = {}
    for f in res.findings:
        out.setdefault(f.code, set()).add(f.subject)
    return out


def test_grilles_prix(demo_template: Path) -> None:
    got = _by_code(_run(demo_template, "grilles-prix"))
    expected = {
        "PRIX-DUP": {"TF800002"}, "PRIX-CONFLIT": {"TF800003", "TF800004"}, "PRIX-CHEV": {"TF800005", "TF800006"},
        "PRIX-DATES": {"TF800007"}, "PRIX-EXPIRE": {"TF800008"}, "PRIX-NEG": {"TF800009"},
        "PRIX-ZERO": {"TF800011"}, "PRIX-REM": {"TF800012", "TF800013", "TF800004"},  # 65 % > 50 % ceiling
        "PRIX-COUT": {"TF800009", "TF800011", "TF800014", "TF800004"}, "PRIX-PALIER": {"TF800017"},
        "PRIX-ORPH-ART": {"TF800018", "TF800021"}, "PRIX-ORPH-CLI": {"TF800019"}, "PRIX-ORPH-GRP": {"TF800020"},
        "PRIX-BASE": {"COFNOEL"},
    }
    assert got == expected
    assert "TF800010" not in set().union(*got.values())  # the −1 sentinel


def test_doublons_simple(demo_template: Path) -> None:
    res = _run(demo_template, "doublons-simple")
    got = _by_code(res)
    assert got == {
        "CLI-DUP-EMAIL": {"LEFHE", "LEFHE01"},
        "CLI-DUP-TEL": {"MARJU", "MARJU01", "MARJU02", "JARDI", "JARDI01"},  # JARDI share their landline too
        "CLI-DUP-SIRET": {"JARDI", "JARDI01", "CAVDU", "CAVDU01"},
        "CLI-DUP-NOMCP": {"LEFHE", "LEFHE01", "ROUBE", "ROUBE01", "JARDI", "JARDI01", "LOEAG", "LOEAG01"},
        "CLI-SHARED": {"GARMO", "FLEAU", "DUBMA", "DUBCL", "PETLU", "PETSO"},
        "CLI-INVALID": {"ROCJP", "BOUCH", "MEUAN"},
    }
    levels = {(f.code, f.subject): f.level.value for f in res.findings}
    assert levels[("CLI-DUP-SIRET", "CAVDU")] == "alerte" and levels[("CLI-DUP-SIRET", "JARDI")] == "erreur"
    assert levels[("CLI-SHARED", "GARMO")] == "erreur" and levels[("CLI-SHARED", "DUBMA")] == "alerte"
    members = {tuple(c["members"]) for c in res.clusters}
    assert members == {("JARDI", "JARDI01"), ("LEFHE", "LEFHE01"), ("LOEAG", "LOEAG01"),
                       ("MARJU", "MARJU01", "MARJU02"), ("ROUBE", "ROUBE01")}
    assert not any({"CAVDU", "DUBMA", "PETLU", "GARMO", "BERTH", "MARJE"} & set(m) for m in members)


def test_produits_absents(demo_template: Path) -> None:
    res = _run(demo_template, "produits-absents")
    got = _by_code(res)
    # PUBTAB, PUBTIR, PUBCAT are exportable core articles without a CSV SKU in the generated demo: reported
    # to the lead (data/README.md lists only ARRO); they are real ART-ABS-SITE by the rule.
    assert got == {"ART-ABS-GC": {"VIN-MEURSAULT-2020"}, "COR-ART": {"ARRO"},
                   "ART-ABS-SITE": {"ARRO", "PUBTAB", "PUBTIR", "PUBCAT"},
                   "ART-INACTIF": {"SECATV1"}, "COR-STALE": {"SECATV1"}}
    [abs_gc] = [f for f in res.findings if f.code == "ART-ABS-GC"]
    assert (abs_gc.line, abs_gc.document) == (21, "CW_0000130_01")


def test_tva(demo_template: Path) -> None:
    got = _by_code(_run(demo_template, "tva"))
    # Pending orders of NL/BE consumers (planted), plus what the generated integrated documents really hold:
    # VANKO (BE consumer) at 20 %, a German company with a valid VAT number charged 20 %, DOM orders at 20 %.
    assert got == {"TVA-B2C-UE": {"CW_0000126_01", "CW_0000130_01", "CW_0000058_01"},
                   "TVA-B2B-UE": {"CW_0000026_01"},
                   "TVA-TERR": {"CW_0000050_01", "CW_0000055_01", "ETA-000885"}}


def test_nettoyage_plan(demo_template: Path) -> None:
    res = _run(demo_template, "nettoyage-grilles")
    assert {e["ref"] for e in res.extra["plan"]} == {"TF800002", "TF800008", "TF800018", "TF800019", "TF800020",
                                                    "TF800021"}
    assert res.exit_code == 0


@pytest.mark.parametrize("name", ["produits-absents", "tva", "doublons-simple", "grilles-prix",
                                  "nettoyage-grilles"])
def test_timing(demo_template: Path, name: str) -> None:
    _run(demo_template, name)
