"""Issue #8 — hostile and broken input: property-based tests (hypothesis), a short atheris run, the .xlsx bomb.

Bounded here (``max_examples`` small, a few seconds of atheris); ``benchmarks/soak.py --minutes N`` runs the
same properties with many more examples. ``HOSTILE_EXAMPLES`` scales every property (soak sets it).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import textwrap
import zipfile
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from econn.errors import EconnError, ImportFileError, LoaderError
from econn.reading.headers import map_headers
from econn.reading.loaders import read_csv
from econn.reading.values import parse_date, parse_decimal

N = int(os.environ.get("HOSTILE_EXAMPLES", "1"))
SETTINGS = {"deadline": None, "database": None, "suppress_health_check": list(HealthCheck)}
ROOT = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------------------------------------- read_csv

_cell = st.text(alphabet=st.sampled_from(list("abcé€ 0123456789,.;|\t\"'\r\n-=/")), max_size=12)
_near_csv = st.lists(st.lists(_cell, min_size=1, max_size=6), min_size=1, max_size=25).flatmap(
    lambda rows: st.sampled_from([";", ",", "|", "\t"]).map(lambda d: "\n".join(d.join(r) for r in rows)))
_encodings = st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])


def check_read_csv(data: bytes) -> str:
    """Read ``data`` as a CSV file: a clear LoaderError, or a result where every line is accounted for."""
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "f.csv"
        p.write_bytes(data)
        con = duckdb.connect()
        try:
            try:
                res = read_csv(p, con)
            except LoaderError as exc:
                assert exc.message_fr and isinstance(exc.message_fr, str)
                return "refused"
            lines = [r[0] for r in con.execute(f"SELECT _line FROM {res.table}").fetchall()]
            assert len(lines) == res.rows_ok
            assert len(set(lines)) == len(lines), "a line accepted twice"
            rej = [r.line for r in res.rejects]
            skip = [s.line for s in res.skipped]
            assert res.rows_rejected == len(rej)
            assert not set(lines) & set(rej), "a line both accepted and rejected"
            assert not set(lines) & set(skip)
            assert all(r.reason for r in res.rejects)
            assert all(x >= 1 for x in lines + rej + skip)
            if res.header_line is not None:
                assert res.header_line not in set(lines) | set(rej)
            total = len(data.splitlines()) or 1
            assert all(x <= total + 1 for x in lines + rej + skip), (total, max(lines + rej + skip))
            # Without quotes, a record is one physical line: every non-blank line after the header is accounted.
            if b'"' not in data and res.header_line is not None and res.dialect.encoding.lower().startswith("utf-8") \
                    and b"\r" not in data:
                text = data.decode("utf-8-sig", errors="replace").split("\n")
                for n, raw in enumerate(text, start=1):
                    if n > res.header_line and raw.strip():
                        assert n in set(lines) | set(rej) | set(skip), f"line {n} lost: {raw!r}"
            return "read"
        finally:
            con.close()


@pytest.mark.timeout(90)
@settings(max_examples=12 * N, **SETTINGS)
@given(st.one_of(st.binary(max_size=400), st.tuples(_near_csv, _encodings).map(
    lambda t: t[0].encode(t[1], errors="replace"))))
def test_read_csv_hostile_bytes(data: bytes) -> None:
    check_read_csv(data)


# ---------------------------------------------------------------------------------------------- values


@settings(max_examples=300 * N, **SETTINGS)
@given(st.one_of(st.text(max_size=40), st.text(alphabet="0123456789 ,.-+eE/:\u00a0\u202fT", max_size=25)))
def test_value_parsers_never_raise(text: str) -> None:
    d = parse_decimal(text)
    assert d is None or isinstance(d, Decimal)
    t = parse_date(text)
    assert t is None or isinstance(t, dt.date)


def french_number(value: Decimal, sep: str) -> str:
    sign = "-" if value < 0 else ""
    q = abs(value).quantize(Decimal("0.01"))
    whole, frac = f"{q:.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return sign + sep.join(groups) + "," + frac


@settings(max_examples=200 * N, **SETTINGS)
@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from([" ", "\u00a0", "\u202f", ".", ""]))
def test_french_number_round_trip(value: Decimal, sep: str) -> None:
    assert parse_decimal(french_number(value, sep)) == value.quantize(Decimal("0.01"))


@settings(max_examples=200 * N, **SETTINGS)
@given(st.dates(min_value=dt.date(1970, 1, 1), max_value=dt.date(2069, 12, 31)), st.sampled_from(["/", "-", "."]),
       st.booleans())
def test_french_date_round_trip(day: dt.date, sep: str, with_time: bool) -> None:
    suffix = " 13:45" if with_time else ""
    assert parse_date(f"{day:%d}{sep}{day:%m}{sep}{day:%Y}{suffix}") == day
    assert parse_date(f"{day:%d}{sep}{day:%m}{sep}{day:%y}") == day
    assert parse_date(day.isoformat()) == day


# ---------------------------------------------------------------------------------------------- headers

_header = st.one_of(st.text(max_size=30), st.sampled_from(
    ["N° commande", "numero", "Date", "date commande", "Code client", "Nom", "Quantité", "qte", "Prix HT", "PU",
     "TVA", "Article", "Réf", "référence", "EAN", "Désignation", "", " ", "\x00", "Montant TTC"]))


@settings(max_examples=150 * N, **SETTINGS)
@given(st.lists(_header, max_size=30), st.sampled_from(["documents", "tiers", "articles"]))
def test_map_headers_each_field_at_most_once(headers: list[str], flow: str) -> None:
    out = map_headers(headers, flow)
    assert [m.header for m in out] == headers
    used = [m.field for m in out if m.field is not None]
    assert len(used) == len(set(used)), used


# ---------------------------------------------------------------------------------------------- .xlsx import

_xcell = st.one_of(st.none(), st.text(max_size=15), st.integers(-10**12, 10**12),
                   st.floats(allow_nan=True, allow_infinity=False), st.dates(), st.booleans())


def _write_book(path: Path, header: list[str], rows: list[list[object]]) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append([c.replace("\x00", "") if isinstance(c, str) else c for c in r])
    wb.save(path)


@pytest.fixture(scope="module")
def ref_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from econn import store

    ws = tmp_path_factory.mktemp("hostile") / "ws"
    store.init_store(ws)
    return ws


@pytest.mark.timeout(120)
@settings(max_examples=20 * N, **SETTINGS)
@given(kind=st.sampled_from(["articles", "tiers", "tva", "unites"]),
       header=st.lists(st.one_of(st.sampled_from(["code", "libelle", "designation", "taux", "nom", "famille",
                                                  "prix", "Code", "LIBELLÉ"]), st.text(max_size=8)),
                       min_size=0, max_size=5),
       rows=st.lists(st.lists(_xcell, max_size=5), max_size=8),
       garbage=st.booleans())
def test_import_reference_random_workbooks(ref_ws: Path, kind: str, header: list[str], rows: list[list[object]],
                                           garbage: bool) -> None:
    from econn.reading.reference import import_reference

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "ref.xlsx"
        try:
            _write_book(p, [h.replace("\x00", "") for h in header], rows)
        except Exception:  # noqa: BLE001 - openpyxl refuses some characters itself: nothing to test
            return
        if garbage:
            raw = bytearray(p.read_bytes())
            raw[len(raw) // 2: len(raw) // 2 + 16] = b"\xff" * 16
            p.write_bytes(bytes(raw))
        try:
            import_reference(ref_ws, kind, p, replace=True)
        except ImportFileError as exc:
            assert exc.message_fr


# ---------------------------------------------------------------------------------------------- atheris

ATHERIS_SCRIPT = textwrap.dedent("""
    import os, sys, tempfile, atheris
    with atheris.instrument_imports():
        from econn.reading.values import parse_date, parse_decimal
        from econn.reading.headers import map_headers
    from econn.errors import LoaderError
    from econn.reading.loaders import read_csv
    import duckdb
    d = tempfile.mkdtemp()
    path = os.path.join(d, "f.csv")
    CON = duckdb.connect()
    def one(data):
        fdp = atheris.FuzzedDataProvider(data)
        s = fdp.ConsumeUnicodeNoSurrogates(64)
        parse_decimal(s); parse_date(s)
        fields = {m.field for m in map_headers(s.split(";"), "documents") if m.field}
        raw = fdp.ConsumeBytes(512)
        if raw:
            with open(path, "wb") as fh:
                fh.write(raw)
            try:
                read_csv(path, CON)
            except LoaderError:
                pass
    atheris.Setup(sys.argv, one)
    atheris.Fuzz()
""")


def run_atheris(seconds: int, workdir: Path) -> tuple[int, str]:
    """Run the atheris harness for ``seconds``; returns (executions, libFuzzer's last status line)."""
    script = workdir / "fuzz_econn.py"
    script.write_text(ATHERIS_SCRIPT)
    corpus = workdir / "corpus"
    corpus.mkdir(exist_ok=True)
    r = subprocess.run(check=False, args=[sys.executable, str(script), f"-max_total_time={seconds}", "-rss_limit_mb=2048",
                        "-timeout=20", str(corpus)], capture_output=True, text=True, timeout=seconds + 120,
                       cwd=workdir)
    assert r.returncode == 0, r.stderr[-3000:]
    import re

    execs = [int(m) for m in re.findall(r"#(\d+)\s", r.stderr)]
    done = re.search(r"Done (\d+) runs", r.stderr)
    n = int(done.group(1)) if done else (max(execs) if execs else 0)
    return n, (r.stderr.strip().splitlines() or [""])[-1]


@pytest.mark.timeout(90)
def test_atheris_short_run(tmp_path: Path) -> None:
    pytest.importorskip("atheris", reason="atheris not installed (pip install atheris)")
    n, last = run_atheris(int(os.environ.get("ATHERIS_SECONDS", "5")), tmp_path)
    print(f"atheris: {n} executions ({last})")
    assert n > 0


# ---------------------------------------------------------------------------------------------- .xlsx bomb


# The parts every minimal .xlsx below shares: the package's relation to its workbook, and a one-sheet workbook.
_ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
              '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
              '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
             '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
             '<sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>')


def write_bomb(path: Path, rows: int = 2_000_000, declare_only: bool = False) -> None:
    """A valid-looking .xlsx whose one sheet holds (or declares) ``rows`` × 2 cells; a few MB on disk."""
    ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
          'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
          'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
          'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
          'officedocument.spreadsheetml.worksheet+xml"/></Types>')
    rels, wb = _ROOT_RELS, _WORKBOOK
    wbrels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
              '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
              '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", ct)
        zf.writestr("_rels/.rels", rels)
        zf.writestr("xl/workbook.xml", wb)
        zf.writestr("xl/_rels/workbook.xml.rels", wbrels)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            dim = "" if not declare_only else f'<dimension ref="A1:Z{rows}"/>'
            fh.write(('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                      f'spreadsheetml/2006/main">{dim}<sheetData>').encode())
            fh.write(b'<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c>'
                     b'<c r="B1" t="inlineStr"><is><t>libelle</t></is></c></row>')
            if not declare_only:
                block = b"".join(b'<row><c t="inlineStr"><is><t>X</t></is></c><c><v>1</v></c></row>'
                                 for _ in range(1000))
                for _ in range(rows // 1000):
                    fh.write(block)
            fh.write(b"</sheetData></worksheet>")


BOMB_CHILD = textwrap.dedent("""
    import resource, sys
    from pathlib import Path
    from econn import store
    from econn.errors import EconnError
    import econn.reading.reference, econn.mappings.excel
    BASE = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss   # after imports, before the file
    which, ws, path = sys.argv[1], sys.argv[2], sys.argv[3]
    try:
        if which == "reference":
            from econn.reading.reference import import_reference
            import_reference(ws, "articles", path)
        else:
            from econn.mappings.excel import import_xlsx
            import_xlsx(ws, path)
        print("ACCEPTED")
    except EconnError as exc:
        print("REFUSED", exc.message_fr)
    print("MAXRSS_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    print("BASE_KB", BASE)
""")


def refuse_bomb(which: str, ws: Path, bomb: Path, env: dict[str, str] | None = None) -> tuple[str, int]:
    r = subprocess.run(check=False, args=[sys.executable, "-c", BOMB_CHILD, which, str(ws), str(bomb)], capture_output=True,
                       text=True, timeout=300, env={**os.environ, **(env or {})})
    assert r.returncode == 0, r.stderr[-2000:]
    lines = r.stdout.strip().splitlines()
    rss, base = int(lines[-2].split()[1]), int(lines[-1].split()[1])
    return lines[0], rss - base


@pytest.mark.timeout(150)
@pytest.mark.parametrize("declare_only", [True, False], ids=["declared-dimension", "two-million-rows"])
def test_xlsx_bomb_refused_in_bounded_memory(ref_ws: Path, tmp_path: Path, declare_only: bool) -> None:
    bomb = tmp_path / "bombe.xlsx"
    # Declared: 2 M rows × 26 columns in <dimension>; real: 400 000 rows × 2 cells against a 500 000-cell limit
    # (soak builds the real 2-million-row bomb against the default limit).
    rows = int(os.environ.get("HOSTILE_BOMB_ROWS", "2000000" if declare_only else "400000"))
    env = {} if declare_only or rows >= 2_000_000 else {"ECONN_XLSX_MAX_CELLS": "500000"}
    write_bomb(bomb, rows, declare_only=declare_only)
    assert bomb.stat().st_size < 8 * 1024 * 1024
    for which in ("reference", "mappings"):
        verdict, rss_kb = refuse_bomb(which, ref_ws, bomb, env)
        assert verdict.startswith("REFUSED") and "trop volumineux" in verdict and "ECONN_XLSX_MAX_CELLS" in verdict, \
            verdict
        assert rss_kb < 64 * 1024, f"{which}: +{rss_kb} KB over the imports"
        print(f"bomb {which} ({'declared' if declare_only else 'real'}): {verdict[:90]}… "
              f"maxrss +{rss_kb // 1024} MB over the imports")


def test_xlsx_guard_limit_is_configurable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from econn.reading.xlsx_guard import check_xlsx

    p = tmp_path / "petit.xlsx"
    _write_book(p, ["code", "libelle"], [[f"A{i}", "x"] for i in range(50)])
    check_xlsx(p)                                   # default limit: accepted
    monkeypatch.setenv("ECONN_XLSX_MAX_CELLS", "40")
    with pytest.raises(ImportFileError) as exc:
        check_xlsx(p)
    assert "volumineux" in exc.value.message_fr and "40" in exc.value.message_fr
    assert isinstance(exc.value, EconnError)


# Issue #17, point 3: shared strings are counted per reference, wherever the parts are stored.
SST_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def write_sst_bomb(path: Path, refs: int = 500, string_mb: int = 1, sheet: str = "xl/worksheets/sheet1.xml",
                   sst: str = "xl/sharedStrings.xml") -> None:
    """A small .xlsx whose ``refs`` cells all reference one shared string of ``string_mb`` MB."""
    ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
          'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
          'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
          'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
          f'<Override PartName="/{sheet}" ContentType="application/vnd.openxmlformats-'
          f'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/{sst}" ContentType="{SST_CT}"/>'
          '</Types>')
    rels, wb = _ROOT_RELS, _WORKBOOK
    wbrels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
              '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
              f'2006/relationships/worksheet" Target="/{sheet}"/><Relationship Id="rId2" Type="http://schemas.'
              'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
              f'Target="/{sst}"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", ct)
        zf.writestr("_rels/.rels", rels)
        zf.writestr("xl/workbook.xml", wb)
        zf.writestr("xl/_rels/workbook.xml.rels", wbrels)
        with zf.open(sst, "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                     b'spreadsheetml/2006/main" count="2" uniqueCount="2"><si><t>code</t></si><si><t>')
            for _ in range(string_mb):
                fh.write(b"x" * 1024 * 1024)
            fh.write(b"</t></si></sst>")
        with zf.open(sheet, "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                     b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>')
            for i in range(2, refs + 2):
                fh.write(f'<row r="{i}"><c r="A{i}" t="s"><v>1</v></c></row>'.encode())
            fh.write(b"</sheetData></worksheet>")


@pytest.mark.parametrize("where", ["usual-names", "parts-elsewhere"])
def test_shared_string_bomb_is_refused(tmp_path: Path, where: str) -> None:
    from econn.reading.xlsx_guard import check_xlsx

    bomb = tmp_path / "partagees.xlsx"
    names = {} if where == "usual-names" else {"sheet": "xl/donnees/f.xml", "sst": "xl/textes.xml"}
    write_sst_bomb(bomb, refs=500, string_mb=1, **names)
    assert bomb.stat().st_size < 64 * 1024
    with pytest.raises(ImportFileError) as exc:
        check_xlsx(bomb)
    msg = exc.value.message_fr
    assert "trop volumineux" in msg and "chaînes partagées" in msg and "rien n'a été importé" in msg, msg


def test_shared_strings_referenced_a_few_times_are_accepted(tmp_path: Path) -> None:
    from econn.reading.xlsx_guard import check_xlsx

    ok = tmp_path / "ok.xlsx"
    write_sst_bomb(ok, refs=20, string_mb=1)   # 21 MB once expanded: under the limit
    check_xlsx(ok)


@pytest.mark.timeout(150)
def test_shared_string_bomb_refused_by_both_importers(ref_ws: Path, tmp_path: Path) -> None:
    bomb = tmp_path / "partagees.xlsx"
    write_sst_bomb(bomb, refs=2000, string_mb=8)   # the 32 KB file: 16 GB once expanded
    for which in ("reference", "mappings"):
        verdict, rss_kb = refuse_bomb(which, ref_ws, bomb)
        assert verdict.startswith("REFUSED") and "chaînes partagées" in verdict, verdict
        assert rss_kb < 64 * 1024, f"{which}: +{rss_kb} KB over the imports"
