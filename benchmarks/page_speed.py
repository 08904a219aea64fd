"""Time to usable widgets of every dashboard, served by Voilà, in headless Chromium (issue #9).

Usage: python benchmarks/page_speed.py [--repeat 3] [--pause 3] [--warmup 1] [--workspace data/demo]
                                       [--pages 00_accueil.ipynb,01_reception.ipynb]
                                       [--cold] [--browser-cache] [--out FILE.json]
       python benchmarks/page_speed.py --just-started 5 [--browser-cache] [--pages 00_accueil.ipynb,01_reception.ipynb]

Voilà is started the way the browser tests start it (tests/browser/conftest.py): the repository's
voila.json, ``voila notebooks/ --Voila.ip=127.0.0.1`` on a free port, against a private copy of the
demo workspace (built if ``--workspace`` does not exist). Timing starts once the log says
« Kernel pool of … is filled » for every notebook voila.json preheats. Each page is then opened
``--repeat`` times, round-robin, each time in a fresh browser context: from ``goto`` (``commit``) to
the page's ready selector (``READY`` in tests/browser/test_all_pages.py, the one the browser test
waits for). After a load of a preheated page the script waits until its pool is filled again, then
``--pause`` seconds more and until the CPUs are idle (under 10 % busy over half a second: the refill is
announced before the new kernel has run its notebook), so that one load's kernel start-up does not slow
the next. The first load after
start-up is slower whatever the page (seen here: 6.6 s for a preheated home page, then 2.0 s; the next,
cold, page 3.5 s): ``--warmup`` loads of the first page come first, reported and not counted. Whether a
load got a preheated kernel is read from Voilà's log (« Using pre-heated kernel »), not assumed.

``--just-started N``: the first page asked right after start-up, as after ``make run``. For each page, N
times: a new Voilà on a fresh copy of the workspace, and the page opened as soon as the server answers (its
kernel pools still filling), in a browser already running; then the server is stopped. With
``--browser-cache``, that browser has opened each page once before (on another server), as a returning user's.

Prints a table (page, kernel, loads, median, min, max) and writes benchmarks/out/page_speed.json (or
``--out``). The browser tests record their own figures under load (benchmarks/out/page_times.json); these
are the figures of a machine doing nothing else — check the load average printed with them.
``make bench`` runs it on every page, preheated then cold (``benchmarks/run_all.py``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out" / "page_speed.json"
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, start_voila, stop_process_group
from tests.browser.test_all_pages import READY

FILLED = re.compile(r"Kernel pool of (\S+) is filled")
USED = re.compile(r"Using pre-heated kernel: \S+ for (\S+)")


def preheated_notebooks(config_file: Path = ROOT / "voila.json") -> dict[str, int]:
    """Notebooks that voila.json gives a kernel pool, with its size."""
    cfg = json.loads(config_file.read_text(encoding="utf-8"))
    if not cfg.get("VoilaConfiguration", {}).get("preheat_kernel", False):
        return {}
    pools = cfg.get("VoilaKernelManager", {}).get("kernel_pools_config", {})
    default = pools.get("default", {}).get("pool_size", cfg["VoilaConfiguration"].get("default_pool_size", 1))
    sizes = {nb: int(pools.get(nb, {}).get("pool_size", default)) for nb in READY}
    return {nb: n for nb, n in sizes.items() if n > 0}


def _cpu_times() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs since boot, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]   # idle + iowait
    return sum(fields) - idle, sum(fields)


def wait_for_quiet_cpu(busy_below: float = 0.10, window: float = 0.5, limit: float = 30.0) -> float:
    """Wait until the CPUs are less than ``busy_below`` busy over ``window`` seconds; return seconds waited.

    A refilled kernel pool is announced before the new kernel has run its notebook (imports, widgets):
    timing the next page while it does measures both. Gives up after ``limit`` seconds.
    """
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        b0, n0 = _cpu_times()
        time.sleep(window)
        b1, n1 = _cpu_times()
        if n1 > n0 and (b1 - b0) / (n1 - n0) < busy_below:
            break
    return time.monotonic() - t0


class Voila:
    """A Voilà server on a free port over a private copy of a workspace, and its log."""

    def __init__(self, workspace: Path, extra: list[str] | None = None, wait_for_pools: bool = True) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="econn-page-speed-"))
        self.workspace = self.tmp / "demo"
        if workspace.exists():
            shutil.copytree(workspace, self.workspace, ignore=shutil.ignore_patterns("econn.lock", "*.wal"))
        else:
            from econn.demo.build import build_demo

            build_demo(self.workspace)
        # Started as the browser tests start it; returns once it answers and its kernel pools are filled.
        server = start_voila(self.workspace, *(extra or []), wait_for_pools=wait_for_pools)
        self.url, self.log, self.proc = server.url, server.log, server.proc

    def count(self, pattern: re.Pattern[str], notebook: str) -> int:
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return sum(1 for m in pattern.finditer(text) if Path(m.group(1)).name == notebook)

    def wait_until(self, what: str, ok: object, timeout: float = 240) -> None:
        deadline = time.monotonic() + timeout
        while not ok():  # type: ignore[operator]
            if self.proc.poll() is not None or time.monotonic() > deadline:
                tail = self.log.read_text(errors="replace")[-3000:]
                raise SystemExit(f"Voilà: {what} did not happen (log tail below)\n{tail}")
            time.sleep(0.2)

    def stop(self) -> None:
        stop_process_group(self.proc)
        shutil.rmtree(self.tmp, ignore_errors=True)


def measure(args: argparse.Namespace) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    pages = args.pages.split(",") if args.pages else list(READY)
    unknown = [p for p in pages if p not in READY]
    if unknown:
        raise SystemExit(f"unknown page(s): {', '.join(unknown)} (known: {', '.join(READY)})")
    pools = {} if args.cold else preheated_notebooks()
    load_before = os.getloadavg()
    server = Voila(Path(args.workspace), ["--VoilaConfiguration.preheat_kernel=False"] if args.cold else None)
    times: dict[str, list[float]] = {p: [] for p in pages}
    kinds: dict[str, list[str]] = {p: [] for p in pages}
    warmup: list[float] = []
    waited_quiet: list[float] = []
    try:
        for nb in pools:
            server.wait_until(f"kernel pool of {nb} filled", lambda nb=nb: server.count(FILLED, nb) >= 1)
        print(f"Voilà ready on {server.url}; preheated: {', '.join(pools) or 'none'}", flush=True)
        with sync_playwright() as p:
            # Nothing intercepted (econn's template asks no CDN): Playwright routing would add its own work
            # to every request of the page.
            options = {"viewport": {"width": 1360, "height": 900}, "locale": "fr-FR"}
            # --browser-cache: one browser profile on disk for every load, as the browser of a user who
            # opened the pages before (Voilà's scripts from its disk cache, compiled code from V8's cache);
            # a context of a plain launch() keeps neither. Default: a new profile per load.
            profile = tempfile.mkdtemp(prefix="econn-browser-profile-") if args.browser_cache else None
            if profile:
                shared = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM,
                                                              args=CHROMIUM_ARGS, headless=True, **options)
                browser = shared
            else:
                shared = None
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                def new_context() -> Any:
                    return browser.new_context(**options)

                def load(nb: str) -> tuple[float, bool]:
                    used, filled = server.count(USED, nb), server.count(FILLED, nb)
                    context = shared or new_context()
                    page = context.new_page()
                    t0 = time.monotonic()
                    ms = args.timeout * 1000
                    page.goto(f"{server.url}/voila/render/{nb}", wait_until="commit", timeout=ms)
                    page.wait_for_selector(READY[nb], state="visible", timeout=ms)
                    seconds = time.monotonic() - t0
                    page.close() if shared else context.close()
                    if nb in pools:  # let the pool refill before anything else is timed
                        server.wait_until(f"kernel pool of {nb} refilled",
                                          lambda: server.count(FILLED, nb) > filled)
                    time.sleep(args.pause)
                    waited_quiet.append(wait_for_quiet_cpu(limit=args.quiet_wait))
                    return seconds, server.count(USED, nb) > used

                for _ in range(args.warmup):  # the first load after start-up is slower, whatever the page
                    seconds, _preheated = load(pages[0])
                    warmup.append(round(seconds, 3))
                    print(f"warm-up  {pages[0]:<24} {seconds:6.2f} s (not counted)", flush=True)
                for round_ in range(1, args.repeat + 1):
                    for nb in pages:
                        seconds, preheated = load(nb)
                        times[nb].append(round(seconds, 3))
                        kinds[nb].append("preheated" if preheated else "cold")
                        print(f"round {round_}  {nb:<24} {kinds[nb][-1]:<9} {seconds:6.2f} s", flush=True)
            finally:
                browser.close()
                if profile:
                    shutil.rmtree(profile, ignore_errors=True)
    finally:
        server.stop()
    rows = {}
    for nb in pages:
        kind = sorted(set(kinds[nb]))
        t = times[nb]
        rows[nb] = {"kernel": "/".join(kind), "loads": len(t), "times": t,
                    "median": round(statistics.median(t), 3), "min": min(t), "max": max(t)}
    return {"date": dt.datetime.now().isoformat(timespec="seconds"), "cpus": os.cpu_count(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "repeat": args.repeat, "pause_s": args.pause, "cold": args.cold,
            "browser_cache": args.browser_cache,
            "warmup": {"page": pages[0], "times": warmup},
            "waited_for_quiet_cpu_s": [round(x, 2) for x in waited_quiet],
            "pages": rows}


def measure_just_started(args: argparse.Namespace) -> dict[str, object]:
    """Each page, ``args.just_started`` times, as the first page asked of a server that has just started."""
    from playwright.sync_api import sync_playwright

    pages = args.pages.split(",") if args.pages else ["00_accueil.ipynb", "01_reception.ipynb"]
    load_before = os.getloadavg()
    times: dict[str, list[float]] = {p: [] for p in pages}
    kinds: dict[str, list[str]] = {p: [] for p in pages}
    options = {"viewport": {"width": 1360, "height": 900}, "locale": "fr-FR"}
    with sync_playwright() as p:
        # --browser-cache: the browser of a user who has opened the pages before (a trainer restarting econn
        # in the morning): one profile on disk, each page loaded once first, on a server of its own.
        profile = tempfile.mkdtemp(prefix="econn-browser-profile-") if args.browser_cache else None
        if profile:
            shared = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                                          headless=True, **options)
            server = Voila(Path(args.workspace))
            try:
                for nb in pages:
                    page = shared.new_page()
                    page.goto(f"{server.url}/voila/render/{nb}", timeout=args.timeout * 1000)
                    page.wait_for_selector(READY[nb], state="visible", timeout=args.timeout * 1000)
                    page.close()
            finally:
                server.stop()
        else:
            shared = None
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for start in range(1, args.just_started + 1):
                for nb in pages:
                    wait_for_quiet_cpu(limit=args.quiet_wait)
                    context = shared or browser.new_context(**options)
                    server = Voila(Path(args.workspace), extra=args.voila_arg, wait_for_pools=False)
                    try:
                        page = context.new_page()
                        ms = args.timeout * 1000
                        t0 = time.monotonic()
                        page.goto(f"{server.url}/voila/render/{nb}", wait_until="commit", timeout=ms)
                        page.wait_for_selector(READY[nb], state="visible", timeout=ms)
                        seconds = time.monotonic() - t0
                        kinds[nb].append("preheated" if server.count(USED, nb) else "cold")
                    finally:
                        page.close() if shared else context.close()
                        server.stop()
                    times[nb].append(round(seconds, 3))
                    print(f"start {start}  {nb:<24} {kinds[nb][-1]:<9} {seconds:6.2f} s", flush=True)
        finally:
            (shared or browser).close()
            if profile:
                shutil.rmtree(profile, ignore_errors=True)
    rows = {nb: {"kernel": "/".join(sorted(set(kinds[nb]))), "loads": len(t), "times": t,
                 "median": round(statistics.median(t), 3), "min": min(t), "max": max(t)}
            for nb, t in times.items()}
    return {"date": dt.datetime.now().isoformat(timespec="seconds"), "cpus": os.cpu_count(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "just_started": args.just_started, "browser_cache": args.browser_cache, "pages": rows}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3, help="loads of each page (default 3)")
    ap.add_argument("--pause", type=float, default=3.0, help="seconds between loads (default 3)")
    ap.add_argument("--warmup", type=int, default=1,
                    help="uncounted loads of the first page after start-up (default 1)")
    ap.add_argument("--pages", default="", help="comma-separated notebooks (default: every dashboard)")
    ap.add_argument("--workspace", default=str(ROOT / "data" / "demo"),
                    help="workspace to copy (default data/demo; built if missing)")
    ap.add_argument("--timeout", type=float, default=120, help="seconds allowed per load (default 120)")
    ap.add_argument("--browser-cache", action="store_true",
                    help="one browser profile on disk for all loads (its caches warm after the first load)")
    ap.add_argument("--cold", action="store_true",
                    help="no preheated kernels (voila.json's pools switched off): every load starts a kernel")
    ap.add_argument("--quiet-wait", type=float, default=30.0, metavar="S",
                    help="longest wait, in seconds, for idle CPUs before a load (default 30; the browser tests, "
                         "which run on a busy machine, use less)")
    ap.add_argument("--just-started", type=int, default=0, metavar="N",
                    help="N fresh servers per page, each page asked as soon as its server answers")
    ap.add_argument("--voila-arg", action="append", default=[], metavar="ARG",
                    help="extra Voilà command-line option, e.g. --voila-arg=--HandoverKernelManager."
                         "pool_start_concurrency=7 (repeatable; --just-started only)")
    ap.add_argument("--out", default="",
                    help="JSON file to write (default benchmarks/out/page_speed[_cold][_cache].json)")
    args = ap.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: run `make browser`", file=sys.stderr)
        return 2
    result = measure_just_started(args) if args.just_started else measure(args)
    print(f"\ntime to usable widgets, {args.just_started or args.repeat} load(s) per page; load average before "
          f"{result['load_average_before']}, after {result['load_average_after']} ({result['cpus']} CPUs)")
    print(f"{'page':<24} {'kernel':<16} {'loads':>5} {'median':>8} {'min':>8} {'max':>8}")
    for nb, r in result["pages"].items():  # type: ignore[attr-defined]
        print(f"{nb:<24} {r['kernel']:<16} {r['loads']:>5} {r['median']:>7.2f}s {r['min']:>7.2f}s "
              f"{r['max']:>7.2f}s")
    suffix = ("_cold" if args.cold else "") + ("_cache" if args.browser_cache else "") \
        + ("_just_started" if args.just_started else "")
    out = Path(args.out).resolve() if args.out else OUT.with_name(f"page_speed{suffix}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"written: {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
