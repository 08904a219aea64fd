"""Time to usable widgets of every page at rest, preheated and cold, measured by the browser tests (issue #9).

The other browser tests time their pages under the suite's own load: a page opened while the pool that
just served the previous test refills its kernel, on the same two cores as pytest and Chromium. Those
figures are upper bounds. This module runs ``benchmarks/page_speed.py`` (its own Voilà and Chromium,
a brand-new browser profile per load, each load once the CPUs are idle again) twice — with voila.json's
preheated kernels, then without any — and records every load in page_times.json as
« <page> (preheated, at rest) » and « <page> (cold kernel, at rest) », the figures the README compares
with #9's targets. The test checks what was measured (each page loaded, preheated loads on a preheated
kernel, cold loads on a new one), not how fast: speed goals are read, not asserted.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, record_timing, require_chromium
from .test_all_pages import READY

LOADS = 2


@pytest.fixture(scope="module", autouse=True)
def fresh_workspace() -> None:
    """The benchmark starts its own server on its own copy of the demo: the session server is not needed."""


@pytest.mark.parametrize("kind", ["preheated", "cold"])
def test_every_page_is_timed_at_rest(kind: str, demo_template: Path, tmp_path: Path) -> None:
    require_chromium()
    out = tmp_path / f"page_speed_{kind}.json"
    cmd = [sys.executable, str(ROOT / "benchmarks" / "page_speed.py"), "--repeat", str(LOADS), "--pause", "1",
           "--quiet-wait", "5", "--workspace", str(demo_template), "--out", str(out),
           *(["--cold"] if kind == "cold" else [])]
    run = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert set(result["pages"]) == set(READY)
    label = "preheated, at rest" if kind == "preheated" else "cold kernel, at rest"
    pools = {nb for nb, cfg in json.loads((ROOT / "voila.json").read_text(encoding="utf-8"))
             ["VoilaKernelManager"]["kernel_pools_config"].items() if cfg.get("pool_size", 0) > 0}
    for notebook, row in result["pages"].items():
        assert row["loads"] == LOADS and len(row["times"]) == LOADS, (notebook, row)
        # A preheated load that found its pool empty would be a cold one: voila.json's pools must serve.
        # (A page voila.json gives no pool, the user guide, is always cold.)
        expected = kind if kind == "cold" or notebook in pools else "cold"
        assert row["kernel"] == expected, (notebook, row)
        for seconds in row["times"]:
            record_timing(f"{notebook} ({label})", seconds)
