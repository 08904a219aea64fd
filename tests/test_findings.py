"""The findings catalogue: codes of domain.md §4 present, well-formed, rendered in French."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from econn import findings
from econn.findings import CATALOGUE, Level

DOMAIN = Path(__file__).resolve().parents[2] / "shared" / "domain.md"


def test_every_domain_code_is_catalogued() -> None:
    if not DOMAIN.exists():
        pytest.skip("../shared/domain.md not beside the checkout")
    text = DOMAIN.read_text(encoding="utf-8").split("## 4.")[1].split("## 5.")[0]
    codes = set(re.findall(r"\*\*([A-Z]{2,4}(?:-[A-Z0-9]+)+)\*\*", text))
    codes |= {"PRIX-ORPH-ART", "PRIX-ORPH-CLI", "PRIX-ORPH-GRP"}  # written as one line with suffixes there
    codes.discard("PRIX-ORPH-ART / -CLI / -GRP")
    missing = {c for c in codes if c not in CATALOGUE}
    assert not missing, f"codes of domain.md §4 missing from the catalogue: {sorted(missing)}"


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_code_is_well_formed(code: str) -> None:
    spec = CATALOGUE[code]
    assert re.fullmatch(r"[A-Z]{3,4}(-[A-Z0-9]+)+", code)
    assert isinstance(spec.level, Level)
    assert spec.title and spec.template
    f = findings.make(code, value="X", subject="S", detail="D", column="C", document="D1", line=3,
                      source="f.csv", expected=1, actual=2, score=0.9, characters="œ", encoding="latin-1",
                      written="oe", category="TTC")
    assert f.code == code and f.level == spec.level
    assert "{" not in f.message, f"template of {code} left a placeholder: {f.message}"


def test_make_fills_location_and_dict() -> None:
    f = findings.make("COR-TVA", value="TVA 5,5%", source="commandes.csv", line=12, document="CW_1")
    d = f.to_dict()
    assert d["level"] == "erreur" and d["line"] == 12 and d["document"] == "CW_1"
    assert "TVA 5,5%" in d["message"] and d["hint"]


def test_level_override_and_worst() -> None:
    a = findings.make("TVA-B2B-UE", detail="x", subject="BE")
    e = findings.make("TVA-B2B-UE", level="erreur", detail="x", subject="BE")
    assert a.level == Level.ALERTE and e.level == Level.ERREUR
    assert findings.worst_level([a, e]) == Level.ERREUR
    assert findings.worst_level([]) is None


def test_registering_a_code_twice_with_another_meaning_fails() -> None:
    with pytest.raises(ValueError):
        findings.register("TVA-TAUX", "alerte", "autre", "autre", "autre")
