"""The kernel manager voila.json names: a kernel leaving a Voilà pool is not culled for its time in the pool."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from types import SimpleNamespace

from own_loop import run_in_own_loop

from econn.voila_kernels import HandoverKernelManager

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
    assert cfg["VoilaConfiguration"]["multi_kernel_manager_class"] == "econn.voila_kernels.HandoverKernelManager"
