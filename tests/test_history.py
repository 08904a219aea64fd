"""History: filters and search, 48 h counts, daily volumes, closing errors, retention purge, CLI."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from econn import history as h
from econn import store


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "econn.cli", *args], capture_output=True, text=True, timeout=120)


def _today(ws: Path) -> dt.datetime:
    with store.connect(ws, read_only=True) as con:
        day = store.get_setting(con, "demo.today")
    return dt.datetime.combine(dt.date.fromisoformat(str(day)), dt.time(12, 0))


def _ids(df: object) -> set[int]:
    return set(int(x) for x in df["id"])  # type: ignore[index]


def test_query_columns_and_order(demo_workspace: Path) -> None:
    df = h.query(demo_workspace, limit=50)
    assert list(df.columns) == list(h.COLUMNS)
    assert len(df) == 50 and df.attrs["total"] > 150   # the demo's rows within the 2-month retention
    assert df["date_integration"].is_monotonic_decreasing
    doc = h.query(demo_workspace, "CSV", kinds="receptions", search="CW_0000121_01").iloc[0]
    assert doc["type"] == "Document" and doc["n_doc_gc"] and doc["n_reglement"].startswith("RG")
    assert doc["nom"] == "Prospect" or doc["code_tiers_gc"] == "PROSPEC"


def test_filters(demo_workspace: Path) -> None:
    now = _today(demo_workspace)
    facil = h.query(demo_workspace, "FACIL", limit=10_000)
    assert set(facil["connector"]) == {"FACIL"}
    errs = h.query(demo_workspace, kinds=["erreurs"], limit=10_000)
    assert set(errs["kind"]) == {"erreur"} and set(errs["state"]) == {"ouverte", "fermée"}
    envois = h.query(demo_workspace, kinds="envois", levels="alerte", limit=10_000)
    assert set(envois["kind"]) == {"envoi"} and set(envois["level"]) == {"alerte"}
    opened = h.query(demo_workspace, open_only=True, limit=10_000)
    assert set(opened["state"]) == {"ouverte"} and len(opened) == len(errs[errs["state"] == "ouverte"])
    day = (now - dt.timedelta(days=1)).date()
    one_day = h.query(demo_workspace, date_from=day.strftime("%d/%m/%Y"), date_to=day.isoformat(), limit=10_000)
    assert len(one_day) > 0 and {d.date() for d in one_day["date_integration"]} == {day}
    closed = errs[errs["state"] == "fermée"].iloc[0]
    assert closed["closed_by"] and closed["justification"] and closed["closed_at"] is not None
    with pytest.raises(h.HistoryError):
        h.query(demo_workspace, kinds="livraisons")
    with pytest.raises(h.HistoryError) as ei:
        h.query(demo_workspace, date_from="31/02/2026")
    assert "Date illisible" in ei.value.message_fr


def test_search_is_case_insensitive_on_several_columns(demo_workspace: Path) -> None:
    by_number = h.query(demo_workspace, search="eta-000910")
    assert "ETA-000910" in set(by_number["n_doc_origine"])
    by_name = h.query(demo_workspace, search="prospect", limit=10_000)
    assert len(by_name) >= 2 and all("prospect" in (n or "").lower() or "prospect" in (m or "").lower()
                                     for n, m in zip(by_name["nom"], by_name["message"]))
    by_message = h.query(demo_workspace, search="ECHANT-PUB", limit=10_000)
    assert len(by_message) > 0 and set(by_message["code"]) == {"COR-ART"}


def test_search_text_with_wildcards_and_quotes_is_literal(demo_workspace: Path) -> None:
    literal = "100% remise_spéciale l'article \"x\""
    near = "100X remiseZspéciale l'article \"x\""   # would match if % and _ were wildcards
    a = h.add(demo_workspace, "CSV", "erreur", "erreur", message=literal, reference="R'1")
    h.add(demo_workspace, "CSV", "erreur", "erreur", message=near)
    assert _ids(h.query(demo_workspace, search="100% remise_spé")) == {a}
    assert _ids(h.query(demo_workspace, search="l'article \"x\"")) >= {a}
    pct = h.query(demo_workspace, search="%", limit=10_000)
    assert a in _ids(pct) and all(
        any("%" in (r[c] or "") for c in ("reference", "n_doc_origine", "n_doc_gc", "nom", "message", "code"))
        for r in pct.to_dict(orient="records"))
    assert _ids(h.query(demo_workspace, search="r'1")) == {a}
    assert len(h.query(demo_workspace, search="\\")) == 0


def test_counts_and_daily_volumes(demo_workspace: Path) -> None:
    now = _today(demo_workspace)
    c = h.counts(demo_workspace, now=now)
    with store.connect(demo_workspace, read_only=True) as con:
        want = dict(con.execute("SELECT level, count(*) FROM history WHERE occurred_at >= ? AND occurred_at <= ? "
                                "GROUP BY level", [now - dt.timedelta(hours=48), now]).fetchall())
    assert {k: c[k] for k in h.LEVELS} == {lv: want.get(lv, 0) for lv in h.LEVELS}
    assert c["erreur"] >= 1 and c["ouvertes"] >= 1  # ETA-000910 is open in the last 48 h
    assert h.counts(demo_workspace, connector="CSV", now=now)["erreur"] == 0
    vol = h.daily_volumes(demo_workspace, days=30, now=now)
    assert list(vol.columns) == ["day", "succès", "alerte", "erreur"] and len(vol) == 30
    assert vol["day"].iloc[-1] == now.date() and vol["day"].is_monotonic_increasing
    assert int(vol[["succès", "alerte", "erreur"]].to_numpy().sum()) == len(
        h.query(demo_workspace, date_from=now.date() - dt.timedelta(days=29), date_to=now.date(), limit=10_000))


def test_resolve_requires_a_justification(demo_workspace: Path) -> None:
    open_id = int(h.query(demo_workspace, open_only=True).iloc[0]["id"])
    for blank in ("", "   ", "\t"):
        with pytest.raises(h.HistoryError) as ei:
            h.resolve(demo_workspace, open_id, blank, "agodin")
        assert "justification est obligatoire" in ei.value.message_fr
    assert h.get_entry(demo_workspace, open_id)["state"] == "ouverte"
    when = dt.datetime(2026, 11, 23, 15, 0)
    row = h.resolve(demo_workspace, open_id, "  ressaisi en GC ", "agodin", now=when)
    assert (row["state"], row["closed_by"], row["justification"], row["closed_at"]) == (
        "fermée", "agodin", "ressaisi en GC", when)
    assert open_id in _ids(h.query(demo_workspace, kinds="erreurs", limit=10_000))  # still visible
    with pytest.raises(h.HistoryError) as ei:
        h.resolve(demo_workspace, open_id, "encore une fois", "mleroy")
    assert "déjà fermée (par agodin le 23/11/2026 15:00 : ressaisi en GC)" in ei.value.message_fr
    ok_id = int(h.query(demo_workspace, levels="succès", limit=1).iloc[0]["id"])
    with pytest.raises(h.HistoryError, match="not an error"):
        h.resolve(demo_workspace, ok_id, "ressaisi en GC", "agodin")
    with pytest.raises(h.HistoryError, match="no history row"):
        h.resolve(demo_workspace, 10**9, "ressaisi en GC", "agodin")


def test_resolve_and_safety_lift_apply_one_justification_rule(demo_workspace: Path) -> None:
    """« ok » closed an error while the safety mode asked 10 characters: one rule for both (issue #19)."""
    from econn.diagnostics import safety

    open_id = int(h.query(demo_workspace, open_only=True).iloc[0]["id"])
    for short in ("ok", "x", "ressaisi", "1234567890"):
        with pytest.raises(h.HistoryError) as ei:
            h.resolve(demo_workspace, open_id, short, "agodin")
        assert "au moins 10 caractères" in ei.value.message_fr
        with pytest.raises(safety.SafetyError) as es:
            safety.lift(demo_workspace, "grilles_suppression", "agodin", short)
        assert "au moins 10 caractères" in es.value.message_fr
    assert h.get_entry(demo_workspace, open_id)["state"] == "ouverte"
    assert h.resolve(demo_workspace, open_id, "ressaisi en GC", "agodin")["state"] == "fermée"
    assert safety.lift(demo_workspace, "grilles_suppression", "agodin", "ressaisi en GC") > 0


def test_cli_resolve(demo_workspace: Path) -> None:
    open_id = str(int(h.query(demo_workspace, open_only=True).iloc[0]["id"]))
    r = cli("history", "resolve", open_id, "--justification", "  ", "--workspace", str(demo_workspace))
    assert r.returncode != 0 and r.stdout == ""
    assert r.stderr.splitlines() == ["econn : La justification est obligatoire pour fermer une erreur "
                                     "(ex. « ressaisi en GC »)."]
    r = cli("history", "resolve", open_id, "--justification", "ok", "--workspace", str(demo_workspace))
    assert r.returncode == 2 and r.stdout == ""
    assert "au moins 10 caractères" in r.stderr and h.get_entry(demo_workspace, int(open_id))["state"] == "ouverte"
    r = cli("history", "resolve", open_id, "--justification", "ressaisi en GC", "--user", "mleroy",
            "--workspace", str(demo_workspace), "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["id"] == int(open_id) and out["state"] == "fermée" and out["closed_by"] == "mleroy"


def test_purge_keeps_the_last_two_months_and_every_open_error(demo_workspace: Path) -> None:
    now = _today(demo_workspace)
    limit = h.cutoff(2, now)
    assert limit == now.replace(month=now.month - 2) if now.month > 2 else True
    with store.connect(demo_workspace, read_only=True) as con:
        def ids(sql: str) -> set[int]:
            return {r[0] for r in con.execute(sql, [limit]).fetchall()}

        recent = ids("SELECT id FROM history WHERE occurred_at >= ?")
        old_open = ids("SELECT id FROM history WHERE occurred_at < ? AND level = 'erreur' AND closed_at IS NULL")
        old_other = ids("SELECT id FROM history WHERE occurred_at < ? AND NOT (level = 'erreur' AND closed_at IS NULL)")
    assert old_open and old_other and recent  # the demo has all three kinds of rows
    assert h.purge(demo_workspace, now=now) == len(old_other)
    with store.connect(demo_workspace, read_only=True) as con:
        kept = {r[0] for r in con.execute("SELECT id FROM history").fetchall()}
    assert kept == recent | old_open
    assert h.purge(demo_workspace, now=now) == 0  # idempotent


def test_retention_setting(demo_workspace: Path) -> None:
    now = _today(demo_workspace)
    assert h.retention_months(demo_workspace) == 2
    h.set_retention_months(demo_workspace, 1)
    assert h.retention_months(demo_workspace) == 1
    n = h.purge(demo_workspace, now=now)
    with store.connect(demo_workspace, read_only=True) as con:
        oldest = store.first(con.execute("SELECT min(occurred_at) FROM history WHERE NOT (level = 'erreur' "
                                         "AND closed_at IS NULL)"))[0]
    assert n > 0 and oldest >= h.cutoff(1, now)
    for bad in (0, 121, -1):
        with pytest.raises(h.HistoryError):
            h.set_retention_months(demo_workspace, bad)


def test_cutoff_uses_calendar_months() -> None:
    assert h.cutoff(2, dt.datetime(2026, 12, 31, 10)) == dt.datetime(2026, 10, 31, 10)
    assert h.cutoff(2, dt.datetime(2026, 4, 30)) == dt.datetime(2026, 2, 28)
    assert h.cutoff(2, dt.datetime(2026, 1, 15)) == dt.datetime(2025, 11, 15)


def test_add_validates(workspace: Path) -> None:
    i = h.add(workspace, "X", "reception", data_type="document", origin_number="A1", amount_ttc=12.5)
    assert h.get_entry(workspace, i)["montant_ttc"] == 12.5
    with pytest.raises(h.HistoryError):
        h.add(workspace, "X", "livraison")
    with pytest.raises(h.HistoryError):
        h.add(workspace, "X", "reception", level="info")
    with pytest.raises(h.HistoryError):
        h.add(workspace, "X", "reception", closed_at=dt.datetime.now())


def test_cli_history_json_rows_carry_id_and_table_is_french(demo_workspace: Path) -> None:
    r = cli("history", "--connector", "FACIL", "--kind", "erreurs", "--json", "--workspace", str(demo_workspace))
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["total"] == len(out["rows"]) > 0
    assert all(isinstance(row["id"], int) and row["kind"] == "erreur" for row in out["rows"])
    r = cli("history", "--search", "CW_0000121_01", "--workspace", str(demo_workspace))
    assert r.returncode == 0 and "\u00a0€" in r.stdout and "," in r.stdout
    line = next(ln for ln in r.stdout.splitlines() if "CW_0000121_01" in ln)
    assert line.split()[0].isdigit()
    assert any(len(p) == 10 and p[2] == "/" and p[5] == "/" for p in line.split())
    r = cli("history", "--from", "pas une date", "--workspace", str(demo_workspace))
    assert r.returncode == 2 and r.stderr.startswith("econn : Date illisible")


def test_cli_purge_and_settings(demo_workspace: Path) -> None:
    r = cli("history", "settings", "--retention-months", "6", "--workspace", str(demo_workspace))
    assert r.returncode == 0 and "6 mois" in r.stdout
    r = cli("history", "purge", "--workspace", str(demo_workspace), "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["retention_months"] == 6
    r = cli("history", "settings", "--retention-months", "0", "--workspace", str(demo_workspace))
    assert r.returncode == 2 and "Durée de conservation invalide" in r.stderr


def test_list_applies_the_retention_before_any_purge(demo_workspace: Path) -> None:
    """Rows past the retention are not listed (except open errors), whether or not a purge has run."""
    now = _today(demo_workspace)
    limit = h.cutoff(h.retention_months(demo_workspace), now)
    with store.connect(demo_workspace, read_only=True) as con:
        kept = {r[0] for r in con.execute("SELECT id FROM history WHERE occurred_at >= ? OR "
                                          "(level = 'erreur' AND closed_at IS NULL)", [limit]).fetchall()}
        total = con.execute("SELECT count(*) FROM history").fetchall()[0][0]
    assert len(kept) < total                         # the demo holds rows older than two months
    assert _ids(h.query(demo_workspace, limit=10_000, now=now)) == kept
    r = cli("history", "--json", "--limit", "10000", "--workspace", str(demo_workspace))
    assert r.returncode == 0, r.stderr
    listed = {row["id"] for row in json.loads(r.stdout)["rows"]}   # the CLI's « now » is the clock's
    assert listed == _ids(h.query(demo_workspace, limit=10_000)) and len(listed) < total
    h.purge(demo_workspace, now=now)
    assert _ids(h.query(demo_workspace, limit=10_000, now=now)) == kept
