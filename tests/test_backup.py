"""``econn backup`` / ``econn restore``: round trip, refusals that change nothing, consistency under a writer."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import duckdb
import pytest

from econn import store
from econn.store.backup import BackupError, backup, read_manifest, restore
from econn.cli import main


def _settings(ws: Path) -> list[tuple[str, str]]:
    with store.connect(ws, read_only=True) as con:
        return con.execute("SELECT key, value FROM settings WHERE key LIKE 'bk.%' ORDER BY key").fetchall()


def _put(ws: Path, key: str, value: str) -> None:
    with store.transaction(ws) as con:
        store.set_setting(con, key, value)


def _state(ws: Path) -> dict[str, str]:
    """Every file of the workspace folder (recursively) with its sha256: « unchanged » means equal."""
    return {str(p.relative_to(ws)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(ws.rglob("*")) if p.is_file()}


def test_round_trip_restores_the_data(workspace: Path, tmp_path: Path) -> None:
    _put(workspace, "bk.a", "avant")
    out = backup(workspace, tmp_path / "sauvegardes" / "s1")
    assert out.name == "s1.zip" and out.exists()
    manifest = read_manifest(out)
    assert manifest["schema_version"] == store_schema_version(workspace)
    assert manifest["format"] == "econn-sauvegarde" and len(str(manifest["sha256"])) == 64
    _put(workspace, "bk.a", "après")
    _put(workspace, "bk.b", "nouveau")

    rep = restore(workspace, out)
    assert _settings(workspace) == [("bk.a", "avant")]
    assert rep.kept_as == workspace / "econn.duckdb.avant-restauration"
    # the kept store is the one replaced, and it still opens
    other = tmp_path / "kept"
    other.mkdir()
    (other / "econn.duckdb").write_bytes(rep.kept_as.read_bytes())
    assert _settings(other) == [("bk.a", "après"), ("bk.b", "nouveau")]
    assert not list(workspace.glob(".econn-*")), "temporary folder left behind"

    # a second restore refuses to overwrite the kept copy, unless forced
    with pytest.raises(BackupError) as exc:
        restore(workspace, out)
    assert "--force" in exc.value.message_fr
    restore(workspace, out, force=True)
    assert _settings(workspace) == [("bk.a", "avant")]


def store_schema_version(ws: Path) -> int:
    with store.connect(ws, read_only=True) as con:
        return int(con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()[0][0])


def test_restore_into_a_new_folder(workspace: Path, tmp_path: Path) -> None:
    _put(workspace, "bk.x", "1")
    out = backup(workspace, tmp_path / "s.zip")
    fresh = tmp_path / "nouveau"
    rep = restore(fresh, out)
    assert rep.kept_as is None
    assert _settings(fresh) == [("bk.x", "1")]


def _foreign_duckdb(path: Path) -> Path:
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE clients (id INTEGER, nom VARCHAR)")
    con.execute("INSERT INTO clients VALUES (1, 'x')")
    con.close()
    return path


def _zip_like_a_backup(path: Path, db_bytes: bytes) -> Path:
    manifest = {"format": "econn-sauvegarde", "format_version": 1, "schema_version": 1,
                "sha256": hashlib.sha256(db_bytes).hexdigest(), "created": "2026-01-01T00:00:00"}
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        zf.writestr("econn.duckdb", db_bytes)
    return path


def _refusals(tmp_path: Path) -> list[Path]:
    foreign = _foreign_duckdb(tmp_path / "autre.duckdb")
    garbage = tmp_path / "garbage.zip"
    garbage.write_bytes(b"PK\x03\x04 ceci n'est pas une archive" * 100)
    return [
        foreign,  # a DuckDB file of another program
        garbage,  # garbage
        _zip_like_a_backup(tmp_path / "etrangere.zip", foreign.read_bytes()),  # manifest, foreign database
        _zip_like_a_backup(tmp_path / "endommagee.zip", b"\x00garbage" * 4096),  # manifest, damaged database
        tmp_path / "absent.zip",
    ]


def test_foreign_or_damaged_sources_are_refused_and_nothing_changes(workspace: Path, tmp_path: Path) -> None:
    _put(workspace, "bk.a", "1")
    before = _state(workspace)
    for src in _refusals(tmp_path):
        with pytest.raises(BackupError) as exc:
            restore(workspace, src)
        msg = exc.value.message_fr
        assert "Rien n'a été modifié" in msg or "econn" in msg, (src.name, msg)
        assert str(src.name) in msg or "sauvegarde" in msg, (src.name, msg)
        assert _state(workspace) == before, f"{src.name} changed the workspace"
        assert not list(workspace.glob(".econn-*"))
    assert _settings(workspace) == [("bk.a", "1")]


def test_damaged_copy_inside_a_real_backup_is_refused(workspace: Path, tmp_path: Path) -> None:
    out = backup(workspace, tmp_path / "s.zip")
    tampered = tmp_path / "modifiee.zip"
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(tampered, "w") as dst:
        dst.writestr("manifest.json", src.read("manifest.json"))
        dst.writestr("econn.duckdb", src.read("econn.duckdb")[:-4096] + b"\x01" * 4096)
    before = _state(workspace)
    with pytest.raises(BackupError) as exc:
        restore(workspace, tampered)
    assert "sha256" in exc.value.message_fr
    assert _state(workspace) == before


def test_cli_backup_restore_and_refusal(workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _put(workspace, "bk.c", "cli")
    out = tmp_path / "cli.zip"
    assert main(["backup", "--workspace", str(workspace), "--out", str(out)]) == 0
    assert "Sauvegarde écrite" in capsys.readouterr().out
    _put(workspace, "bk.c", "changé")
    assert main(["restore", "--workspace", str(workspace), str(out)]) == 0
    assert "avant-restauration" in capsys.readouterr().out
    assert _settings(workspace) == [("bk.c", "cli")]
    assert main(["restore", "--workspace", str(workspace), str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["restore", "--workspace", str(workspace), str(out), "--force"]) == 0
    foreign = _foreign_duckdb(tmp_path / "autre.duckdb")
    assert main(["restore", "--workspace", str(workspace), str(foreign), "--force"]) == 2
    err = capsys.readouterr().err
    assert "n'est pas une sauvegarde econn" in err and "Traceback" not in err


_WRITER = textwrap.dedent("""
    import sys
    import time
    from pathlib import Path
    from econn import store
    ws, stop = sys.argv[1], Path(sys.argv[2])
    i = 0
    while not stop.exists() and i < 2000:
        with store.transaction(ws) as con:  # two rows per transaction: a torn copy would show an odd count
            con.execute("INSERT INTO settings VALUES (?, ?)", [f"bk.{i:05d}.a", str(i)])
            con.execute("INSERT INTO settings VALUES (?, ?)", [f"bk.{i:05d}.b", str(i)])
        print(i, flush=True)
        i += 1
        # A gap between transactions: store's non-blocking flock polling lets a writer in a tight loop
        # starve other processes (seen here: a backup waited the whole 30 s budget).
        time.sleep(0.01)
""")


def test_backup_while_another_process_writes_is_consistent(workspace: Path, tmp_path: Path) -> None:
    stop = tmp_path / "stop"
    writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(workspace), str(stop)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None
        writer.stdout.readline()  # the writer has committed at least once
        outs = []
        for k in range(3):
            outs.append(backup(workspace, tmp_path / f"pendant{k}.zip"))
            time.sleep(0.2)
    finally:
        stop.touch()
        written = writer.communicate(timeout=60)[0].split()
    assert writer.returncode == 0
    n = len(written) + 1
    counts = []
    for k, out in enumerate(outs):
        target = tmp_path / f"restaure{k}"
        restore(target, out)
        rows = _settings(target)
        count = len(rows) // 2
        assert len(rows) % 2 == 0, "a transaction was torn in the backup"
        expected = [(f"bk.{i:05d}.{s}", str(i)) for i in range(count) for s in "ab"]
        assert rows == expected, "the backup is not a committed state"
        counts.append(count)
    assert 1 <= counts[0] <= n and counts == sorted(counts)
    assert len(_settings(workspace)) == 2 * n


# Issue #17, point 4: restore verifies what it restores (damaged blocks, objects econn did not create).

def _rezip(src_zip: Path, out: Path, db_bytes: bytes) -> Path:
    """A backup whose database is ``db_bytes``, its manifest's sha256 recomputed (a tamperer can do that)."""
    manifest = json.loads(zipfile.ZipFile(src_zip).read("manifest.json"))
    manifest["sha256"] = hashlib.sha256(db_bytes).hexdigest()
    manifest["size"] = len(db_bytes)
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        zf.writestr("econn.duckdb", db_bytes)
    return out


def test_a_flipped_byte_in_a_data_block_is_refused(workspace: Path, tmp_path: Path) -> None:
    import random

    rng = random.Random(17)
    with store.transaction(workspace) as con:
        con.executemany("INSERT INTO settings VALUES (?, ?)",
                        [(f"bk.{i:05d}", "".join(rng.choices("abcdef0123456789", k=40))) for i in range(20_000)])
    out = backup(workspace, tmp_path / "s.zip")
    probe = tmp_path / "probe.duckdb"
    probe.write_bytes(zipfile.ZipFile(out).read("econn.duckdb"))
    con = duckdb.connect(str(probe), read_only=True)
    block_size = int(con.execute("SELECT block_size FROM pragma_database_size()").fetchall()[0][0])
    block_id, offset = con.execute(
        "SELECT block_id, block_offset FROM pragma_storage_info('settings') WHERE column_name = 'value' "
        "AND block_id >= 0 AND segment_type = 'VARCHAR' ORDER BY count DESC LIMIT 1").fetchall()[0]
    con.close()
    data = bytearray(probe.read_bytes())
    at = 3 * 4096 + int(block_id) * block_size + 8 + int(offset) + 100  # three header blocks, then checksum
    data[at] ^= 0x01
    tampered = _rezip(out, tmp_path / "modifiee.zip", bytes(data))
    before = _state(workspace)
    with pytest.raises(BackupError) as exc:
        restore(workspace, tampered)
    assert "endommagée" in exc.value.message_fr and "Rien n'a été modifié" in exc.value.message_fr
    assert _state(workspace) == before


def _altered(out: Path, tmp_path: Path, name: str, *sql: str) -> Path:
    """A backup whose store was changed by ``sql`` (run directly with DuckDB, as a tamperer would)."""
    folder = tmp_path / f"alt-{name}"
    folder.mkdir()
    db = folder / "econn.duckdb"
    db.write_bytes(zipfile.ZipFile(out).read("econn.duckdb"))
    con = duckdb.connect(str(db))
    for statement in sql:
        con.execute(statement)
    con.execute("CHECKPOINT")
    con.close()
    return _rezip(out, tmp_path / f"{name}.zip", db.read_bytes())


HOSTILE_STORES = {
    "vue": ("DROP TABLE tiers", "CREATE VIEW tiers AS SELECT content AS code, content AS nom "
                                "FROM read_text('/etc/hostname')"),
    "macro": ("CREATE MACRO lire(p) AS TABLE SELECT * FROM read_text(p)",),
    "table_en_plus": ("CREATE TABLE espion (x VARCHAR)",),
    "colonne_en_plus": ("ALTER TABLE tiers ADD COLUMN espion VARCHAR",),
    "sequence_en_plus": ("CREATE SEQUENCE espion_id",),
    "defaut_change": ("ALTER TABLE settings ALTER COLUMN value SET DEFAULT 'espion'",),
    "type_change": ("ALTER TABLE settings ALTER COLUMN value SET DATA TYPE VARCHAR[]"
                    " USING [value]",),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_STORES))
def test_a_store_with_objects_econn_did_not_create_is_refused(workspace: Path, tmp_path: Path, name: str) -> None:
    _put(workspace, "bk.a", "1")
    out = backup(workspace, tmp_path / "s.zip")
    hostile = _altered(out, tmp_path, name, *HOSTILE_STORES[name])
    before = _state(workspace)
    with pytest.raises(BackupError) as exc:
        restore(workspace, hostile)
    msg = exc.value.message_fr
    assert "Rien n'a été modifié" in msg and "econn" in msg, msg
    assert _state(workspace) == before
    assert not list(workspace.glob(".econn-*"))


def test_an_unaltered_store_passes_the_verification(workspace: Path, tmp_path: Path) -> None:
    """The control case: the same rezip without a change restores."""
    _put(workspace, "bk.a", "1")
    out = backup(workspace, tmp_path / "s.zip")
    same = _altered(out, tmp_path, "identique")
    restore(workspace, same)
    assert _settings(workspace) == [("bk.a", "1")]


@pytest.mark.parametrize("version", ["abc", None, [1], "1.5"])
def test_a_manifest_with_a_bad_format_version_is_refused_in_french(workspace: Path, tmp_path: Path,
                                                                   version: object) -> None:
    out = backup(workspace, tmp_path / "s.zip")
    manifest = json.loads(zipfile.ZipFile(out).read("manifest.json"))
    manifest["format_version"] = version
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        zf.writestr("econn.duckdb", zipfile.ZipFile(out).read("econn.duckdb"))
    with pytest.raises(BackupError) as exc:
        read_manifest(bad)
    assert "sauvegarde" in exc.value.message_fr and "Rien n'a été modifié" in exc.value.message_fr
