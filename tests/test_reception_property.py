"""Issue #18, « never a crash, whatever the file »: generated order files go through analyze then integrate.

Each example is a file of :func:`order_files.order_files` (every registered format's header, the demo's, or
synonyms; known and unknown articles, tiers, VAT labels, units, countries, payments; empty, dropped and
unknown columns; odd values; stray, blank, preamble and footer lines; any separator, decimal mark, encoding
and line end), received on a private copy of the demo whose store is restored between examples, with a
drawn homonym policy, sometimes an orders format imposed (``--format``) or a header choice remembered,
another pending file holding part of its lines, or a second reception.

Properties:

- no exception. A reception raises an EconnError only when the *call* is wrong or the workspace unavailable
  (``ReceptionError``: unknown connector, file or decision; ``StoreBusyError``: store locked by another
  process; ``UnknownFormatError``: bad ``--format``): no file content can cause one, so none is acceptable
  here. A file that cannot be read at all is ``FileAnalysis.error``, never an exception;
- every line of the file is accounted for: in a document (its lines), rejected (line + reason), left out by
  the reader (``skipped_lines``: preamble, blank line, footer) or an orphan row (FIC-ORPH), unless the file
  as a whole is blocked (FIC-COL, FIC-SANSLIGNE) or refused (``error``);
- integration integrates exactly what the analysis called « nouveau document », each with all its lines,
  never fails a document (REC-ECHEC), renames the file ``.bak`` only when everything is in the GC, and a
  second reception integrates nothing twice;
- exit code 0 or 1, never 2; through the CLI (a sample): ``econn receive --json`` prints one JSON object.

``make test`` replays the same examples (``derandomize``: conftest's « suite » profile); ``make soak``
explores new ones (``HYPOTHESIS_PROFILE=explore``, ``RECEPTION_EXAMPLES``).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from econn import store
from econn.cli import main as cli_main
from econn.reception import BLOCKED, EXISTING, INTEGRATED, NEW, WAITING, FileAnalysis, analyze, integrate
from econn.reading.formats import FORMATS
from econn.reading.headers import SYNONYMS, remember_mapping
from econn.reception.pending import clear_cache
from order_files import DemoPool, OrderFile, order_files

EXAMPLES = int(os.environ.get("RECEPTION_EXAMPLES", "500"))
CONNECTOR = "CSV"
SETTINGS = {"deadline": None, "database": None, "suppress_health_check": list(HealthCheck)}
# Lines no document holds, but listed with their line number and reason.
LINE_CODES = ("FIC-ORPH", "FIC-REJET")
# Findings that block the file as a whole.
FILE_BLOCKS = ("FIC-COL", "FIC-SANSLIGNE")


@dataclass
class Bench:
    """One private copy of the demo, without its pending files; ``reset`` restores its store (a file copy)."""

    ws: Path
    imports: Path
    pristine: Path
    pool: DemoPool

    def reset(self) -> None:
        for p in self.imports.iterdir():
            p.unlink()
        db = store.db_path(self.ws)
        db.with_name(db.name + ".wal").unlink(missing_ok=True)
        shutil.copyfile(self.pristine, db)
        clear_cache()


@pytest.fixture(scope="module")
def bench(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Bench:
    ws = tmp_path_factory.mktemp("prop") / "demo"
    shutil.copytree(demo_template, ws)
    imports = ws / "connecteurs" / CONNECTOR / "import"
    for p in imports.iterdir():
        p.unlink()
    pristine = ws.parent / "pristine.duckdb"
    shutil.copyfile(store.db_path(ws), pristine)
    return Bench(ws, imports, pristine, DemoPool.load(ws, CONNECTOR))


def _covered(report: dict[str, Any]) -> set[int]:
    return ({n for d in report["documents"] for n in d["lines"]} | {r["line"] for r in report["rejects"]}
            | {s["line"] for s in report["skipped_lines"]}
            | {f["line"] for f in report["findings"] if f["code"] in LINE_CODES and f["line"] is not None})


def check_accounted(of: OrderFile, report: dict[str, Any]) -> None:
    """Every line of the file is in a document, rejected, skipped or an orphan (``report``: a file's dict)."""
    codes = {f["code"] for f in report["findings"]}
    if report["error"] is not None or codes & set(FILE_BLOCKS):
        # The whole file is refused or blocked (a required column missing, or an order grid without its
        # lines): nothing of it may be integrated.
        assert not report["documents"] or all(d["status"] != INTEGRATED for d in report["documents"])
        assert report["error"] is not None or any(f["code"] in FILE_BLOCKS and f["level"] == "erreur"
                                                  for f in report["findings"])
        return
    missing = sorted(set(of.records) - _covered(report))
    assert not missing, f"lines neither in a document, rejected, skipped nor orphan: {missing}"
    for d in report["documents"]:
        assert d["status"] in (NEW, EXISTING, BLOCKED, WAITING, INTEGRATED), d
        if d["status"] == BLOCKED:   # a blocked document says why
            assert d["codes"], d


def check_integrated(ws: Path, before: FileAnalysis, after: FileAnalysis) -> None:
    """What the analysis called new is integrated, with all its lines; the rest is not."""
    failed = [f.message for f in after.findings if f.code == "REC-ECHEC"]
    assert not failed, failed
    assert all(d.status != NEW for d in after.documents)
    planned = {(d.number, d.occurrence) for d in before.documents if d.status == NEW}
    done = {(d.number, d.occurrence) for d in after.documents if d.status == INTEGRATED}
    assert done == planned
    integrated = {d.number: len(d.lines) for d in after.documents if d.status == INTEGRATED}
    if integrated:
        with store.connect(ws, read_only=True) as con:
            stored = dict(con.execute(
                "SELECT d.ext_number, count(l.line_no) FROM documents d LEFT JOIN document_lines l "
                "ON l.document_id = d.id WHERE d.connector = ? AND list_contains(?, d.ext_number) GROUP BY 1",
                [CONNECTOR, list(integrated)]).fetchall())
        assert stored == integrated
    assert (after.renamed_to is not None) == after.complete


def run_cli(args: list[str]) -> tuple[int, str]:
    """``econn ARGS`` in this process (same code path as the command, without a new interpreter)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = cli_main(args)
    return code, out.getvalue()


@dataclass(frozen=True)
class Run:
    """How one example is received (drawn besides the file)."""

    homonyms: str = "ask"            # econn receive --homonyms: ask | create | assign
    via_cli: bool = False            # integrate through ``econn receive --json`` instead of the API
    other: bool = False              # another pending file holds part of this one's lines (FIC-SPLIT)
    again: bool = False              # receive the file a second time (nothing twice)
    source_format: str | None = None  # econn receive --format: an orders format imposed, whatever the headers
    remembered: tuple[int, str | None] | None = None   # a header choice the user saved: (column, field)


def _one_in(n: int) -> st.SearchStrategy[bool]:
    return st.integers(0, n - 1).map(lambda k: k == 0)


def _sometimes(strategy: st.SearchStrategy[Any], n: int) -> st.SearchStrategy[Any]:
    """None, or (one time in ``n``) a value of ``strategy``."""
    return st.one_of(*[st.none()] * (n - 1), strategy)


_ORDER_FORMATS = [f.id for f in FORMATS if f.flow == "documents"]
runs = st.builds(
    Run, homonyms=st.sampled_from(("ask", "ask", "create", "assign")), via_cli=_one_in(10), other=_one_in(8),
    again=_one_in(8), source_format=_sometimes(st.sampled_from(_ORDER_FORMATS), 12),
    remembered=_sometimes(st.tuples(st.integers(0, 200), st.sampled_from([None, *SYNONYMS["documents"]])), 8))


def _part_of(of: OrderFile) -> bytes:
    """The header and every other line of ``of`` (what a second export of part of the orders looks like)."""
    lines = of.data.splitlines(keepends=True)
    return b"".join(lines[:of.header_line] + lines[of.header_line::2])


def receive(bench: Bench, of: OrderFile, run: Run = Run()) -> None:
    """analyze, then integrate (by the API, or by ``econn receive --json``), checking the properties."""
    bench.reset()
    path = of.write(bench.imports)
    if run.other:
        (bench.imports / "autre.csv").write_bytes(_part_of(of))
    if run.remembered is not None and of.headers:
        column, fld = run.remembered
        remember_mapping(bench.ws, CONNECTOR, "documents", of.headers[column % len(of.headers)], fld)
    fmt = run.source_format
    res = analyze(bench.ws, CONNECTOR, path, homonyms=None if run.homonyms == "ask" else run.homonyms,
                  source_format=fmt)
    try:
        assert len(res.files) == 1
        before = res.files[0]
        check_accounted(of, before.to_dict())
        assert res.exit_code() in (0, 1), before.error
    finally:
        res.close()
    if run.via_cli:
        code, out = run_cli(["receive", "--workspace", str(bench.ws), "--connector", CONNECTOR, "--file",
                             str(path), "--homonyms", run.homonyms, "--json",
                             *(["--format", fmt] if fmt else [])])
        report = json.loads(out)
        assert isinstance(report, dict) and "error" not in report, out[-2000:]
        assert code in (0, 1), out[-2000:]
        check_accounted(of, report["files"][0])
    else:
        after = integrate(bench.ws, CONNECTOR, path, homonyms=run.homonyms, source_format=fmt).files[0]
        check_accounted(of, after.to_dict())
        check_integrated(bench.ws, before, after)
    if run.again and path.exists():   # still pending: a second reception integrates nothing twice
        second = integrate(bench.ws, CONNECTOR, path, homonyms=run.homonyms, source_format=fmt).files[0]
        assert not [f for f in second.findings if f.code == "REC-ECHEC"]
        assert not {d.number for d in second.documents if d.status == INTEGRATED} & {
            d.number for d in before.documents if d.status == NEW}
    if run.other:                     # the other part, received after: never an error, never a line twice
        rest = integrate(bench.ws, CONNECTOR, bench.imports / "autre.csv", homonyms=run.homonyms).files[0]
        assert not [f for f in rest.findings if f.code == "REC-ECHEC"]
        with store.connect(bench.ws, read_only=True) as con:
            assert con.execute("SELECT count(*) FROM (SELECT 1 FROM documents GROUP BY connector, ext_number "
                               "HAVING count(*) > 1)").fetchall() == [(0,)]


def _part(index: int) -> Any:
    """One of PARTS tests that together receive EXAMPLES files: ``make test`` spreads them over its workers.

    Each part replays its own examples: in the suite profile (derandomize), the seed is the part's number;
    ``HYPOTHESIS_PROFILE=explore`` draws new ones.
    """
    per_part = -(-EXAMPLES // PARTS)

    @pytest.mark.slow
    @pytest.mark.timeout(120 + 20 * per_part)
    @settings(max_examples=per_part, **SETTINGS)
    @given(data=st.data())
    def test(bench: Bench, data: st.DataObject) -> None:
        receive(bench, data.draw(order_files(bench.pool), label="file"), data.draw(runs, label="run"))

    test.__name__ = f"test_any_order_file_is_analysed_and_integrated_without_a_crash_{index}"
    return seed(index)(test) if settings.default.derandomize else test


PARTS = 10
for _i in range(PARTS):
    globals()[f"test_any_order_file_is_analysed_and_integrated_without_a_crash_{_i}"] = _part(_i)


@pytest.mark.slow
@settings(max_examples=3, **SETTINGS)
@given(data=st.data())
def test_receive_json_in_a_process_prints_one_object(bench: Bench, data: st.DataObject) -> None:
    """The real command, in its own process: one JSON object on stdout, exit 0 or 1."""
    bench.reset()
    path = data.draw(order_files(bench.pool), label="file").write(bench.imports)
    run = subprocess.run([sys.executable, "-m", "econn.cli", "receive", "--workspace", str(bench.ws),
                          "--connector", CONNECTOR, "--file", str(path), "--dry-run", "--json"],
                         capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode in (0, 1), run.stderr[-2000:]
    report = json.loads(run.stdout)
    assert isinstance(report, dict) and len(report["files"]) == 1
