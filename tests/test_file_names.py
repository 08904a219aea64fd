"""Odd names in an import folder (issue #17, point 5; symlinks of point 6): one finding, the other files go on."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from econn import store
from econn.cli import main as cli_main
from econn.reception import integrate, pending
from econn.reception.integration import rename_bak

IMPORT = Path("connecteurs") / "CSV" / "import"
ODD = os.fsdecode(b"a\xff\xfeb.csv")   # not UTF-8: a name from another system's locale


def _clean_file(ws: Path) -> Path:
    """The demo's second CSV file, integrable as it is (FIC-OK)."""
    return sorted((ws / IMPORT).glob("commandes_*.csv"))[1]


def _q(ws: Path, sql: str, params: list | None = None) -> list[tuple]:
    with store.connect(ws, read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    pending.clear_cache()


def test_a_non_utf8_name_is_one_finding_and_the_other_files_integrate(demo_workspace: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    ws = demo_workspace
    clean = _clean_file(ws)
    shutil.copy(clean, ws / IMPORT / ODD)
    assert cli_main(["receive", "--workspace", str(ws), "--connector", "CSV", "--json"]) == 2  # a file failed
    out = json.loads(capsys.readouterr().out)
    by_name = {Path(f["file"]).name: f for f in out["files"]}
    odd = by_name["a\\xff\\xfeb.csv"]
    assert [x["code"] for x in odd["findings"]] == ["FIC-NOM"] and odd["renamed_to"] is None
    assert "a\\xff\\xfeb.csv" in odd["findings"][0]["message"]
    assert by_name[clean.name]["renamed_to"], "the clean file after the odd one must still be received"
    assert not clean.exists() and (ws / IMPORT / ODD).exists()
    assert _q(ws, "SELECT count(*) FROM history WHERE code = 'FIC-NOM' AND message LIKE ?",
              ["%a\\xff\\xfeb.csv%"])[0][0] >= 1


def test_the_correspondences_data_list_a_non_utf8_name_as_unreadable(demo_workspace: Path) -> None:
    shutil.copy(_clean_file(demo_workspace), demo_workspace / IMPORT / ODD)
    df = pending.pending_lines(demo_workspace, "CSV")
    assert [name for name, _ in df.attrs["unreadable"]] == ["a\\xff\\xfeb.csv"]
    assert len(set(df["source"])) == 2


def test_a_long_name_with_an_existing_bak_stays_within_the_file_system_limit(tmp_path: Path) -> None:
    stem = "c" * 251                        # 255 bytes with « .csv », the usual NAME_MAX
    path = tmp_path / f"{stem}.csv"
    path.write_text("x")
    (tmp_path / f"{stem}.bak").write_text("earlier")
    target = rename_bak(path)
    assert target is not None and target.exists() and not path.exists()
    assert target.suffix == ".bak" and len(os.fsencode(target.name)) <= 255
    assert (tmp_path / f"{stem}.bak").read_text() == "earlier"


def test_a_long_name_with_an_existing_bak_integrates(demo_workspace: Path) -> None:
    ws = demo_workspace
    clean = _clean_file(ws)
    long_name = "c" * 251 + ".csv"
    os.rename(clean, ws / IMPORT / long_name)
    (ws / IMPORT / ("c" * 251 + ".bak")).write_text("earlier")
    res = integrate(ws, "CSV", long_name, homonyms="create")
    assert res.files[0].renamed_to is not None and res.files[0].renamed_to.exists()


def test_a_symlink_leaving_the_import_folder_is_refused(demo_workspace: Path, tmp_path: Path) -> None:
    ws = demo_workspace
    outside = tmp_path / "secret.csv"
    shutil.copy(_clean_file(ws), outside)
    (ws / IMPORT / "lien.csv").symlink_to(outside)
    df = pending.pending_lines(ws, "CSV")
    assert "lien.csv" not in set(df["source"])
    assert [name for name, _ in df.attrs["unreadable"]] == ["lien.csv"]
    res = integrate(ws, "CSV", homonyms="create")
    lien = next(f for f in res.files if f.file.name == "lien.csv")
    assert [x.code for x in lien.findings] == ["FIC-LIEN"] and lien.renamed_to is None
    assert outside.exists() and (ws / IMPORT / "lien.csv").is_symlink()


def test_a_symlink_leaving_the_folder_given_by_name_is_not_copied_in(demo_workspace: Path, tmp_path: Path) -> None:
    ws = demo_workspace
    outside = tmp_path / "secret.csv"
    shutil.copy(_clean_file(ws), outside)
    (ws / IMPORT / "lien.csv").symlink_to(outside)
    res = integrate(ws, "CSV", "lien.csv", homonyms="create")
    assert [x.code for x in res.files[0].findings] == ["FIC-LIEN"] and res.files[0].renamed_to is None
    assert sorted(p.name for p in (ws / IMPORT).iterdir() if p.name.startswith("lien")) == ["lien.csv"]


def test_a_symlink_inside_the_import_folder_is_read(demo_workspace: Path) -> None:
    ws = demo_workspace
    (ws / IMPORT / "zz_lien.csv").symlink_to(_clean_file(ws).name)  # relative, stays in the folder
    df = pending.pending_lines(ws, "CSV")
    assert "zz_lien.csv" in set(df["source"]) and df.attrs["unreadable"] == []
