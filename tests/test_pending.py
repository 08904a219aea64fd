"""pending_lines: the one reader of the pending files, cached while files and header choices do not change."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from econn.reception import pending
from econn.reading.headers import remember_mapping
from econn.reception.pending_values import pending_values


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    pending.clear_cache()


def _import_dir(ws: Path, connector: str = "CSV") -> Path:
    return ws / "connecteurs" / connector / "import"


def test_every_row_of_every_pending_file_with_its_line(demo_workspace: Path) -> None:
    df = pending.pending_lines(demo_workspace, "CSV")
    assert tuple(df.columns) == pending.PENDING_COLUMNS
    files = sorted(p.name for p in _import_dir(demo_workspace).glob("*.csv"))
    assert sorted(set(df["source"])) == files
    for name in files:
        raw = (_import_dir(demo_workspace) / name).read_bytes()
        data_lines = [ln for ln in raw.splitlines()[1:] if ln.strip()]
        assert (df["source"] == name).sum() == len(data_lines), name
    assert df["line"].min() == 2            # physical line numbers, the header is line 1
    assert df["sku"].notna().all() and df["unite"].notna().any() and df["reglement"].notna().any()
    assert df.attrs["unreadable"] == []


def test_a_second_read_uses_the_cache_until_the_file_changes(demo_workspace: Path) -> None:
    first = pending.pending_lines(demo_workspace, "CSV")
    again = pending.pending_lines(demo_workspace, "CSV")
    assert first.equals(again)
    assert len(pending._cache) == len(set(first["source"]))       # one entry per file, not one per call
    path = next(_import_dir(demo_workspace).glob("*.csv"))
    text = path.read_bytes()
    sep = b";"
    header = text.splitlines()[0]
    extra = sep.join([b"ZZ-NEW"] + [b""] * (header.count(sep))) + b"\r\n"
    path.write_bytes(text + extra)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    changed = pending.pending_lines(demo_workspace, "CSV")
    assert len(changed) == len(first) + 1
    assert (changed["doc_ext_id"] == "ZZ-NEW").sum() == 1


def test_a_remembered_header_choice_is_applied_without_stale_cache(demo_workspace: Path) -> None:
    before = pending.pending_lines(demo_workspace, "CSV")
    assert before["unite"].notna().any()
    remember_mapping(demo_workspace, "CSV", "documents", "Unité", None)   # « (ignorer) » for that column
    after = pending.pending_lines(demo_workspace, "CSV")
    assert after["unite"].isna().all()
    values = pending_values(demo_workspace, "CSV")
    assert "unite" not in set(values["domain"])


def test_an_unreadable_file_is_listed_with_its_reason(demo_workspace: Path) -> None:
    bad = _import_dir(demo_workspace) / "zz_vide.csv"
    bad.write_bytes(b"")
    df = pending.pending_lines(demo_workspace, "CSV")
    assert [name for name, _ in df.attrs["unreadable"]] == ["zz_vide.csv"]
    reason = df.attrs["unreadable"][0][1]
    assert reason and "zz_vide.csv" not in set(df["source"])
    assert pending_values(demo_workspace, "CSV").attrs["unreadable"] == df.attrs["unreadable"]


def test_the_cache_stays_bounded(demo_workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pending, "_CACHE_SIZE", 1)
    pending.pending_lines(demo_workspace)
    assert len(pending._cache) == 1
