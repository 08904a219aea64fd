"""Closed tabs: idle culling stops their kernels and releases what they held (issue #8).

Voilà 0.5 cannot shut a kernel down when its tab closes (the request is refused: upstream issue 1458), so
``voila.json`` culls idle kernels. This module starts its own Voilà, with the same command as the session
server but a short culling (5 s idle, checked every 2 s), on its own copy of the demo. It opens two pages —
the home page, and the diagnostics page while this process holds the store, so that its kernel is queued
on the workspace lock with the lock file open — closes the tabs, and checks that within a bounded time
both kernel processes are gone, nothing of the workspace is open any more, nobody waits on its lock, and
another process takes the lock exclusively at once.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from econn import store

from .conftest import VoilaServer, serve_demo_copy

CULL_IDLE = 5          # seconds
CULL_INTERVAL = 2      # seconds
LOCK_TIMEOUT = 3       # ECONN_LOCK_TIMEOUT of the kernels: a waiting page stops counting after it
CULLED_WITHIN = 30.0   # seconds after the tabs closed (expected: ≈ 3 + 5 + 2)


@pytest.fixture(scope="module", autouse=True)
def fresh_workspace() -> None:
    """This module has its own server and workspace: the session server is not needed (nor started)."""


@pytest.fixture(scope="module")
def culling_server(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Iterator[VoilaServer]:
    with serve_demo_copy(tmp_path_factory, demo_template, "culling",
                         f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE}",
                         f"--MappingKernelManager.cull_interval={CULL_INTERVAL}",
                         lock_timeout=LOCK_TIMEOUT) as server:
        yield server


def _kernel_id(pg) -> str:  # type: ignore[no-untyped-def]
    return pg.evaluate("() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")


def _kernel_process(server: VoilaServer, kernel_id: str) -> psutil.Process:
    """The kernel's process: a child of Voilà started with the connection file ``kernel-<id>.json``."""
    for child in psutil.Process(server.proc.pid).children(recursive=True):
        try:
            if any(f"kernel-{kernel_id}.json" in a for a in child.cmdline()):
                return child
        except psutil.NoSuchProcess:
            continue
    raise AssertionError(f"no process for kernel {kernel_id}")


def _alive(p: psutil.Process) -> bool:
    try:
        return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _workspace_files(procs: list[psutil.Process], ws: Path) -> dict[int, list[str]]:
    """Files under the workspace that these processes have open."""
    found: dict[int, list[str]] = {}
    for p in procs:
        try:
            paths = [f.path for f in p.open_files() if Path(f.path).is_relative_to(ws)]
        except psutil.NoSuchProcess:
            continue
        if paths:
            found[p.pid] = paths
    return found


def _lock_waiters(ws: Path) -> set[int]:
    """PIDs queued for the workspace's flock (the « -> » lines of /proc/locks)."""
    st = (ws / store.LOCK_NAME).stat()
    key = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    waiters = set()
    for line in Path("/proc/locks").read_text().splitlines():
        parts = line.split()
        if len(parts) > 6 and parts[1] == "->" and parts[6] == key:
            waiters.add(int(parts[5]))
    return waiters


def test_closed_tabs_kernels_are_culled_and_release_what_they_held(browser, culling_server) -> None:  # type: ignore[no-untyped-def]
    server = culling_server
    ws = server.workspace
    t_start = time.monotonic()
    context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="fr-FR")

    home = context.new_page()
    home.goto(server.render_url("00_accueil.ipynb"), wait_until="commit", timeout=90000)
    home.wait_for_selector(".econn-home .econn-connectors table", state="visible", timeout=90000)
    home_id = _kernel_id(home)
    home_kernel = _kernel_process(server, home_id)

    with store.exclusive(ws, timeout=60):
        # A page opened while this process writes: its kernel queues on the lock, with the lock file open.
        diag = context.new_page()
        diag.goto(server.render_url("03_diagnostics.ipynb"), wait_until="commit", timeout=90000)
        diag.wait_for_selector(".econn-messages .econn-store-wait", state="visible", timeout=90000)
        diag_id = _kernel_id(diag)
        diag_kernel = _kernel_process(server, diag_id)
        kernels = [home_kernel, diag_kernel]
        assert all(_alive(k) for k in kernels) and home_kernel.pid != diag_kernel.pid
        assert str(ws / store.LOCK_NAME) in _workspace_files([diag_kernel], ws).get(diag_kernel.pid, [])
        assert diag_kernel.pid in _lock_waiters(ws)

        context.close()                      # the tabs close; Voilà cannot shut their kernels down
        closed = time.monotonic()
        while any(_alive(k) for k in kernels) and time.monotonic() - closed < CULLED_WITHIN:
            time.sleep(0.25)
        culled = time.monotonic() - closed
        assert not any(_alive(k) for k in kernels), (
            f"kernels still running {culled:.0f} s after their tabs closed:\n"
            + server.log.read_text(errors="replace")[-3000:])

        # What they held is released: no file of the workspace open in Voilà's processes, nobody queued.
        assert _workspace_files(psutil.Process(server.proc.pid).children(recursive=True), ws) == {}
        assert _lock_waiters(ws) == set()
    # The culler stopped them (not the tab's shutdown request, which jupyter_server refuses).
    log = server.log.read_text(errors="replace")
    culled_ids = {line.split("(", 1)[1].split(")", 1)[0] for line in log.splitlines() if "Culling 'idle'" in line}
    assert {home_id, diag_id} <= culled_ids, log[-3000:]

    # Another process takes the workspace exclusively at once (a culled waiter would have grabbed it first).
    probe = ("import sys, time; from econn import store; t = time.monotonic()\n"
             "with store.exclusive(sys.argv[1], timeout=1):\n    print(round(time.monotonic() - t, 3))")
    out = subprocess.run([sys.executable, "-c", probe, str(ws)], capture_output=True, text=True, timeout=60,
                         check=False)
    assert out.returncode == 0, out.stderr
    assert float(out.stdout) < 0.5
    print(f"\nkernels culled {culled:.1f} s after the tabs closed; lock taken in {float(out.stdout):.3f} s; "
          f"test {time.monotonic() - t_start:.0f} s")
