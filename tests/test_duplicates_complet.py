"""The « doublons complet » diagnostic on the demo workspace (data/README.md, planted tiers)."""

from __future__ import annotations

from pathlib import Path

from econn.diagnostics import duplicates_complet

PLANTED = [{"LEFHE", "LEFHE01"}, {"MARJU", "MARJU01", "MARJU02"}, {"JARDI", "JARDI01"}, {"ROUBE", "ROUBE01"},
           {"GIRST", "GIRST01"}, {"LAUNI", "NICLA"}, {"LOEAG", "LOEAG01"}]
NOT_DUPLICATES = [{"CAVDU", "CAVDU01"}, {"DUBMA", "DUBCL"}, {"PETLU", "PETSO"}, {"MARJE", "MARJE01"},
                  {"MARJE", "MARJE02"}, {"MARJE01", "MARJE02"}, {"GARMO", "FLEAU"}, {"BERTH", "BERTH01"}]


def test_finds_planted_duplicates_only(demo_workspace: Path) -> None:
    res = duplicates_complet.run(demo_workspace)
    assert res.name == "doublons-complet"
    clusters = [set(c["members"]) for c in res.clusters]
    for planted in PLANTED:
        assert planted in clusters, planted
    for pair in NOT_DUPLICATES:
        assert not any(pair <= c for c in clusters), pair
    assert len(clusters) == len(PLANTED)  # generated tiers never collide
    fuzz = [f for f in res.findings if f.code == "CLI-FUZZ"]
    assert len(fuzz) == len(PLANTED)
    girst = next(f for f in fuzz if "GIRST" in (f.subject or ""))
    assert "GIRST01" in girst.subject and "adresse identique" in girst.message


def test_households_establishments_and_homonyms(demo_workspace: Path) -> None:
    res = duplicates_complet.run(demo_workspace)
    reasons = {frozenset(d["members"]): d["reason"] for d in res.extra["distinct"]}
    assert reasons[frozenset({"DUBMA", "DUBCL"})] == "foyer"
    assert reasons[frozenset({"PETLU", "PETSO"})] == "foyer"
    assert reasons[frozenset({"CAVDU", "CAVDU01"})] == "établissements"
    homo = [f for f in res.findings if f.code == "CLI-HOMO"]
    subjects = {frozenset(f.subject.split(", ")) for f in homo}
    assert frozenset({"MARJE", "MARJE01"}) in subjects
    assert all(f.level.value == "succès" for f in homo)


def test_cluster_has_keep_and_differing_fields(demo_workspace: Path) -> None:
    res = duplicates_complet.run(demo_workspace)
    jardi = next(c for c in res.clusters if "JARDI" in c["members"])
    assert jardi["keep"] == "JARDI"  # it has the VAT number
    assert {"company", "address"} <= {d["field"] for d in jardi["differing"]}
    assert res.to_dict()["clusters"][0]["members"]
