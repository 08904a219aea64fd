"""Merge proposals for duplicate tiers: propose (no write), accept (one transaction), reject (recorded)."""

from __future__ import annotations

from pathlib import Path

import pytest

from econn.duplicates import merge
from econn import store
from econn.diagnostics import safety


def _tiers(ws: Path, code: str) -> dict:
    df = store.query_df(ws, "SELECT * FROM tiers WHERE code = ?", [code])
    return df.iloc[0].to_dict()


def _seed_documents(ws: Path, code: str, n: int) -> None:
    with store.transaction(ws) as con:
        for i in range(n):
            con.execute("INSERT INTO documents (connector, ext_number, gc_number, doc_type, tiers_code) "
                        "VALUES ('CSV', ?, ?, 'commandes', ?)", [f"TEST-{code}-{i}", f"T{code}{i:04d}", code])
        con.execute("INSERT INTO correspondences (connector, domain, external_value, gc_value, state) "
                    "VALUES ('CSV', 'tiers', ?, ?, 'valide')", [f"EXT-{code}", code])


CLUSTER = {"id": 1, "members": ["LEFHE01", "LEFHE"], "keep": "LEFHE"}


def test_propose_writes_nothing_and_completes_fields(demo_workspace: Path) -> None:
    before = store.query_df(demo_workspace, "SELECT count(*) AS n FROM history").n[0]
    p = merge.propose(demo_workspace, CLUSTER)
    assert (p.keep, p.absorbed) == ("LEFHE", ("LEFHE01",))
    assert p.fields["email"] == "helene.lefebvre@orange.fr"  # the kept record's own value
    assert set(p.records) == {"LEFHE", "LEFHE01"}
    assert store.query_df(demo_workspace, "SELECT count(*) AS n FROM history").n[0] == before
    assert bool(_tiers(demo_workspace, "LEFHE01")["actif"])


def test_accept_reassigns_documents_repoints_correspondences_and_logs(demo_workspace: Path) -> None:
    _seed_documents(demo_workspace, "LEFHE01", 3)
    p = merge.propose(demo_workspace, CLUSTER)
    assert p.moved_documents == 3
    done = merge.accept(demo_workspace, p, user="agodin", justification="même cliente")
    assert done["documents"] == 3 and done["correspondences"] == 1
    docs = store.query_df(demo_workspace, "SELECT tiers_code FROM documents WHERE ext_number LIKE 'TEST-%'")
    assert set(docs.tiers_code) == {"LEFHE"}
    corr = store.query_df(demo_workspace, "SELECT gc_value FROM correspondences WHERE external_value = 'EXT-LEFHE01'")
    assert list(corr.gc_value) == ["LEFHE"]
    assert not bool(_tiers(demo_workspace, "LEFHE01")["actif"])  # put in sommeil, not deleted
    assert bool(_tiers(demo_workspace, "LEFHE")["actif"])
    h = store.query_df(demo_workspace, "SELECT * FROM history WHERE id = ?", [done["history_id"]]).iloc[0]
    assert (h.kind, h.data_type, h.closed_by) == ("action", "client", "agodin")
    assert "LEFHE01" in h.message and "LEFHE" in h.message
    with pytest.raises(merge.MergeError):  # already merged: the store changed
        merge.accept(demo_workspace, p, user="agodin")


def test_accept_is_blocked_by_the_safety_mode(demo_workspace: Path) -> None:
    _seed_documents(demo_workspace, "LEFHE01", 25)  # threshold: 20 documents
    p = merge.propose(demo_workspace, CLUSTER)
    with pytest.raises(merge.MergeError) as exc:
        merge.accept(demo_workspace, p, user="agodin")
    assert "seuil" in exc.value.message_fr
    assert bool(_tiers(demo_workspace, "LEFHE01")["actif"])  # nothing written
    safety.lift(demo_workspace, merge.OPERATION, "agodin", "fusion validée par la direction")
    assert merge.accept(demo_workspace, p, user="agodin")["documents"] == 25


def test_reject_is_recorded_and_read_back(demo_workspace: Path) -> None:
    cluster = {"id": 2, "members": ["LOEAG01", "LOEAG"], "keep": "LOEAG"}
    hid = merge.reject(demo_workspace, cluster, "mleroy")
    h = store.query_df(demo_workspace, "SELECT * FROM history WHERE id = ?", [hid]).iloc[0]
    assert (h.kind, h.data_type, h.closed_by) == ("action", "client", "mleroy")
    decisions = merge.rejected(demo_workspace)
    assert merge.is_rejected(cluster, decisions)
    assert not merge.is_rejected(CLUSTER, decisions)
    assert bool(_tiers(demo_workspace, "LOEAG01")["actif"])


def test_propose_refuses_bad_clusters(demo_workspace: Path) -> None:
    with pytest.raises(merge.MergeError):
        merge.propose(demo_workspace, {"id": 9, "members": ["LEFHE"]})
    with pytest.raises(merge.MergeError):
        merge.propose(demo_workspace, {"id": 9, "members": ["LEFHE", "NOPE999"]})
