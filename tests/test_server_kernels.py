"""The kernel manager voila.json names: a kernel leaving a Voilà pool is not culled for its time in the pool."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path
from types import SimpleNamespace

from own_loop import run_in_own_loop

from econn.server.kernels import HandoverKernelManager

ROOT = Path(__file__).resolve().parents[1]


class Manager(HandoverKernelManager):
    """No real kernels: the culler's decision is what is tested; shutdowns are recorded."""

    def __init__(self) -> None:
        super().__init__(cull_idle_timeout=900)
        self.stopped: list[str] = []

    async def shutdown_kernel(self, kernel_id: str, *args: object, **kwargs: object) -> None:
        self.stopped.append(kernel_id)
        self._kernels.pop(kernel_id, None)


def _cull(km: Manager, kernel_id: str) -> None:
    """One culler pass."""
    run_in_own_loop(km.cull_kernel_if_idle(kernel_id))


def _kernel(idle_for: dt.timedelta, state: str = "idle") -> SimpleNamespace:
    return SimpleNamespace(execution_state=state, last_activity=dt.datetime.now(dt.timezone.utc) - idle_for,
                           kernel_name="python3", kernel_spec=SimpleNamespace(metadata={}))


def test_kernel_handed_over_after_a_long_wait_in_its_pool_is_not_culled() -> None:
    km = Manager()
    km._kernels["pool"] = _kernel(dt.timedelta(hours=2))          # idle 2 h in its pool, just handed to a page
    _cull(km, "pool")
    assert km.stopped == [] and "pool" in km._kernels
    # ... but once it has been idle out of its pool for longer than the timeout, it goes.
    km._first_idle_seen["pool"] -= dt.timedelta(seconds=901)
    km._kernels["pool"].last_activity -= dt.timedelta(seconds=901)
    _cull(km, "pool")
    assert km.stopped == ["pool"]
    km._kernels["other"] = _kernel(dt.timedelta(seconds=1))
    _cull(km, "other")
    assert set(km._first_idle_seen) == {"other"}                  # forgotten once stopped


def test_plain_culling_is_unchanged_for_kernels_seen_idle_before() -> None:
    km = Manager()
    km._kernels["page"] = _kernel(dt.timedelta(seconds=10))
    _cull(km, "page")                                             # first seen idle now
    km._first_idle_seen["page"] -= dt.timedelta(seconds=1000)     # ... a long time ago
    km._kernels["page"].last_activity -= dt.timedelta(seconds=1000)
    _cull(km, "page")
    assert km.stopped == ["page"]


def test_a_starting_kernel_does_not_start_the_clock() -> None:
    km = Manager()
    km._kernels["new"] = _kernel(dt.timedelta(seconds=1), state="starting")
    _cull(km, "new")
    assert "new" not in km._first_idle_seen and km.stopped == []


def test_voila_json_uses_it() -> None:
    cfg = json.loads((ROOT / "voila.json").read_text(encoding="utf-8"))
    assert cfg["VoilaConfiguration"]["multi_kernel_manager_class"] == "econn.server.kernels.HandoverKernelManager"


# --- a kernel whose page was left -------------------------------------------------------------------------


def _page_kernel(km: Manager, kernel_id: str) -> None:
    km._kernels[kernel_id] = _kernel(dt.timedelta(seconds=1))
    km._kernel_connections[kernel_id] = 0


def test_a_left_page_kernel_is_shut_down_after_the_grace_and_only_then() -> None:
    km = Manager()
    km.left_page_grace = 0.2
    _page_kernel(km, "left")
    _page_kernel(km, "pool")                                      # never connected: never planned

    async def scenario() -> None:
        km.notify_connect("left")
        km.notify_disconnect("left")
        await asyncio.sleep(0.1)
        assert km.stopped == []                                   # not before the grace
        await asyncio.sleep(0.3)
        assert km.stopped == ["left"]

    run_in_own_loop(scenario())
    assert km.stopped == ["left"] and "pool" in km._kernels and km._leaving == {}


def test_a_page_that_reconnects_or_another_page_keeps_the_kernel() -> None:
    km = Manager()
    km.left_page_grace = 0.2
    _page_kernel(km, "blip")
    _page_kernel(km, "shared")

    async def scenario() -> None:
        km.notify_connect("blip")
        km.notify_disconnect("blip")                              # the websocket drops…
        await asyncio.sleep(0.05)
        km.notify_connect("blip")                                 # … and comes back within the grace
        km.notify_connect("shared")
        km.notify_connect("shared")
        km.notify_disconnect("shared")                            # one of two pages leaves
        await asyncio.sleep(0.4)

    run_in_own_loop(scenario())
    assert km.stopped == [] and km._leaving == {}


def test_no_grace_leaves_it_to_the_culler() -> None:
    km = Manager()
    km.left_page_grace = 0
    _page_kernel(km, "left")

    async def scenario() -> None:
        km.notify_connect("left")
        km.notify_disconnect("left")
        await asyncio.sleep(0.1)

    run_in_own_loop(scenario())
    assert km.stopped == [] and km._leaving == {}


def test_voila_json_shuts_left_pages_down_within_a_minute() -> None:
    cfg = json.loads((ROOT / "voila.json").read_text(encoding="utf-8"))
    assert 0 < cfg["HandoverKernelManager"]["left_page_grace"] <= 60


def test_a_page_slow_to_connect_keeps_its_kernel_past_a_short_idle_cull() -> None:
    km = Manager()
    km.cull_idle_timeout = 5
    km._kernels["slow"] = _kernel(dt.timedelta(seconds=30))       # handed over, browser not connected yet
    _cull(km, "slow")
    km._first_idle_seen["slow"] -= dt.timedelta(seconds=20)       # 20 s later, still no connection
    km._kernels["slow"].last_activity -= dt.timedelta(seconds=20)
    _cull(km, "slow")
    assert km.stopped == []                                       # the idle culler (5 s) does not take it
    km._first_idle_seen["slow"] -= dt.timedelta(seconds=60)       # past unconnected_grace (60 s): it goes
    _cull(km, "slow")
    assert km.stopped == ["slow"]


def test_a_connected_kernel_is_culled_by_the_idle_culler() -> None:
    km = Manager()
    km.cull_idle_timeout = 5
    km._kernels["seen"] = _kernel(dt.timedelta(seconds=30))
    km._ever_connected.add("seen")                                # a page connected, then left
    _cull(km, "seen")
    km._first_idle_seen["seen"] -= dt.timedelta(seconds=20)
    km._kernels["seen"].last_activity -= dt.timedelta(seconds=20)
    _cull(km, "seen")
    assert km.stopped == ["seen"]
