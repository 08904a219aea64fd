"""Plain GETs of pages (any web page can send them) cannot fill the machine with kernels: beyond
``max_page_kernels`` a page request gets a French 503 page before a kernel starts, and a kernel that no page
ever connects to is shut down ``unconnected_grace`` seconds after the culler finds it idle
(``econn.server.limits``). Its own Voilà servers: cold kernels, a cap of 2, the culler every second; a long
grace where the cap is counted (the count must not drop between the requests), a 2 s one for the shutdown."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import VoilaServer, serve_demo_copy


@pytest.fixture(scope="module", autouse=True)
def fresh_workspace() -> None:
    """This module has its own server: the session server is not needed."""


def _serve(tmp_path_factory: pytest.TempPathFactory, demo_template: Path, name: str,
           grace: int) -> Iterator[VoilaServer]:
    with serve_demo_copy(tmp_path_factory, demo_template, name, "--VoilaConfiguration.preheat_kernel=False",
                         "--HandoverKernelManager.max_page_kernels=2",
                         f"--HandoverKernelManager.unconnected_grace={grace}",
                         "--MappingKernelManager.cull_interval=1") as server:
        yield server


@pytest.fixture
def capped(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Iterator[VoilaServer]:
    """A cap of 2 whose unconnected kernels outlive the test: the count cannot drop between the GETs."""
    yield from _serve(tmp_path_factory, demo_template, "capped", grace=300)


@pytest.fixture
def short_grace(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Iterator[VoilaServer]:
    """A cap of 2 and a 2 s grace for kernels no page connects to."""
    yield from _serve(tmp_path_factory, demo_template, "short-grace", grace=2)


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=120) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def _started(server: VoilaServer) -> int:
    return len(re.findall(r"Kernel started: ", server.log.read_text(errors="replace")))


def test_plain_gets_beyond_the_cap_get_a_french_page_and_no_kernel(capped: VoilaServer) -> None:
    before = _started(capped)
    statuses = [_get(capped.render_url("00_accueil.ipynb"))[0] for _ in range(2)]
    assert statuses == [200, 200]
    status, body = _get(capped.render_url("01_reception.ipynb"))
    assert status == 503
    assert "Trop de pages ouvertes" in body and "Traceback" not in body
    assert _started(capped) - before == 2                  # the refused request started no kernel


def test_kernels_no_page_connects_to_are_shut_down(short_grace: VoilaServer) -> None:
    assert [_get(short_grace.render_url("00_accueil.ipynb"))[0] for _ in range(2)] == [200, 200]
    deadline = time.monotonic() + 90          # nobody ever opens these kernels' websockets
    log = ""
    while time.monotonic() < deadline:
        log = short_grace.log.read_text(errors="replace")
        if len(re.findall(r"shut down: no page connected to it", log)) >= 2:
            break
        time.sleep(0.5)
    assert len(re.findall(r"shut down: no page connected to it", log)) >= 2, log[-3000:]
    assert _get(short_grace.render_url("01_reception.ipynb"))[0] == 200   # room again
