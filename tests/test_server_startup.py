"""Kernel pools start one at a time, the home page's first, and a page's own kernel jumps the queue; at
start-up the home page's kernel starts alone, and a page being opened holds the other starts.

The mixin wraps the methods of the subclass Voilà builds from econn's kernel manager; here a stand-in
subclass defines the same methods, and each « notebook run » is a future the test completes by hand.
"""

from __future__ import annotations

import asyncio
import logging
from types import SimpleNamespace
from typing import Any

from traitlets.config import Configurable

from econn.server.startup import OrderedPoolStarts
from tests.own_loop import run_in_own_loop


class FakeVoila(Configurable):
    voila_configuration = SimpleNamespace(template="econn", theme="light")


class JupyterServerManager:
    """The part of jupyter_server's kernel manager the mixin extends."""

    def notify_connect(self, kernel_id: str) -> None:
        pass


class FakeVoilaManager(OrderedPoolStarts, JupyterServerManager):
    """What voila_kernel_manager_factory adds, reduced to what the mixin touches."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("fill_after_start", 0.0)    # most tests look at the queue, not the start-up hold
        super().__init__(parent=FakeVoila(), **kwargs)
        self.notebook_data: dict[str, dict[str, Any]] = {}
        self.started: list[str] = []
        self.calls: list[str] = []
        self.renders: dict[str, asyncio.Future[None]] = {}
        self.kernels: dict[str, str] = {}              # notebook → its last kernel id
        self.shut_down: list[str] = []
        self.log = logging.getLogger("test")
        self.failing: set[str] = set()

    async def start_kernel(self, kernel_name: str, kernel_id: str | None = None, **kwargs: Any) -> str:
        kernel_id = kernel_id or f"kernel-{len(self.calls)}"
        self.calls.append(f"start_kernel {kernel_id}")
        return kernel_id

    async def shutdown_kernel(self, kernel_id: str) -> None:
        self.shut_down.append(kernel_id)

    async def _initialize(self, notebook_path: str, kernel_id: str | None = None, **kwargs: Any) -> dict:
        self.calls.append(f"initialize {notebook_path} {kernel_id}")
        if notebook_path in self.failing:
            raise RuntimeError("notebook unreadable")
        assert kernel_id is not None, "a pool kernel is started before Voilà's renderer"
        self.started.append(notebook_path)
        self.kernels[notebook_path] = kernel_id
        render = asyncio.get_running_loop().create_future()
        self.renders[notebook_path] = render
        self.notebook_data.setdefault(notebook_path, {"kernel_ids": set()})["kernel_ids"].add(kernel_id)
        renderer = SimpleNamespace(notebook=SimpleNamespace(metadata=SimpleNamespace(
            kernelspec=SimpleNamespace(name="python3"))), template_name="econn", theme="light")
        return {"task": render, "renderer": renderer, "kernel_id": kernel_id}

    async def get_rendered_notebook(self, notebook_name: str, **kwargs: Any) -> tuple[Any, list[str], str]:
        for _ in range(50):                   # Voilà awaits the pool's start
            if notebook_name in self.kernels:
                break
            await asyncio.sleep(0)
        return None, [], self.kernels.get(notebook_name, "cold")


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def test_pools_start_one_at_a_time_home_first() -> None:
    async def scenario() -> list[list[str]]:
        km = FakeVoilaManager()
        names = ["99_visite_guidee.ipynb", "01_reception.ipynb", "00_accueil.ipynb"]
        tasks = [asyncio.ensure_future(km._initialize(nb)) for nb in names]   # the order Voilà globbed them
        await _settle()
        seen = [list(km.started)]
        # every notebook is announced to Voilà's handler before its kernel starts
        assert set(km.notebook_data) == set(names)
        km.renders["00_accueil.ipynb"].set_result(None)       # home has run its notebook: next turn
        await _settle()
        seen.append(list(km.started))
        km.renders["01_reception.ipynb"].set_result(None)
        await _settle()
        seen.append(list(km.started))
        await asyncio.gather(*tasks)
        assert km.notebook_data["00_accueil.ipynb"]["kernel_name"] == "python3"
        return seen

    assert run_in_own_loop(scenario()) == [
        ["00_accueil.ipynb"],
        ["00_accueil.ipynb", "01_reception.ipynb"],
        ["00_accueil.ipynb", "01_reception.ipynb", "99_visite_guidee.ipynb"],
    ]


def test_a_page_waiting_for_its_pool_starts_it_at_once() -> None:
    async def scenario() -> list[str]:
        km = FakeVoilaManager()
        for nb in ["00_accueil.ipynb", "01_reception.ipynb", "04_historique.ipynb"]:
            asyncio.ensure_future(km._initialize(nb))
        await _settle()
        assert km.started == ["00_accueil.ipynb"]
        await km.get_rendered_notebook("04_historique.ipynb")   # a page asks for the last in the queue
        await _settle()
        return list(km.started)

    assert run_in_own_loop(scenario()) == ["00_accueil.ipynb", "04_historique.ipynb"]


def test_a_failed_start_gives_its_turn_and_withdraws_the_announcement() -> None:
    async def scenario() -> tuple[list[str], set[str], BaseException | None]:
        km = FakeVoilaManager()
        km.failing = {"00_accueil.ipynb"}
        home = asyncio.ensure_future(km._initialize("00_accueil.ipynb"))
        asyncio.ensure_future(km._initialize("01_reception.ipynb"))
        await _settle()
        return list(km.started), set(km.notebook_data), home.exception()

    started, announced, error = run_in_own_loop(scenario())
    assert started == ["01_reception.ipynb"]
    # (the kernel started for home before its notebook failed is stopped: see the test below)
    assert announced == {"01_reception.ipynb"}        # pages asking for home get a cold kernel, not a dead pool
    assert isinstance(error, RuntimeError)


def test_a_slow_notebook_holds_its_turn_only_so_long() -> None:
    async def scenario() -> list[str]:
        km = FakeVoilaManager(pool_start_hold=0.05)
        asyncio.ensure_future(km._initialize("00_accueil.ipynb"))
        asyncio.ensure_future(km._initialize("01_reception.ipynb"))
        await _settle()
        assert km.started == ["00_accueil.ipynb"]
        await asyncio.sleep(0.2)              # home never finishes its notebook
        return list(km.started)

    assert run_in_own_loop(scenario()) == ["00_accueil.ipynb", "01_reception.ipynb"]


def test_a_subclass_calling_super_queues_once() -> None:
    class Deeper(FakeVoilaManager):
        async def _initialize(self, notebook_path: str, kernel_id: str | None = None, **kwargs: Any) -> dict:
            return await super()._initialize(notebook_path, kernel_id, **kwargs)

    async def scenario() -> list[str]:
        km = Deeper()
        asyncio.ensure_future(km._initialize("00_accueil.ipynb"))
        await _settle()
        return list(km.started)

    assert run_in_own_loop(scenario()) == ["00_accueil.ipynb"]


def test_the_kernel_starts_before_the_renderer_and_is_stopped_if_the_notebook_fails() -> None:
    async def scenario() -> tuple[list[str], list[str]]:
        km = FakeVoilaManager()
        km.failing = {"00_accueil.ipynb"}
        task = asyncio.ensure_future(km._initialize("00_accueil.ipynb"))
        await _settle()
        assert isinstance(task.exception(), RuntimeError)
        return km.calls, km.shut_down

    calls, shut_down = run_in_own_loop(scenario())
    kernel = calls[0].split()[-1]
    assert calls == [f"start_kernel {kernel}", f"initialize 00_accueil.ipynb {kernel}"]
    assert shut_down == [kernel]


def test_at_start_up_home_starts_alone_and_the_others_wait_for_the_first_page() -> None:
    async def scenario() -> list[list[str]]:
        km = FakeVoilaManager(fill_after_start=30.0, page_settle=0.05)
        for nb in ["01_reception.ipynb", "00_accueil.ipynb", "02_correspondances.ipynb"]:
            asyncio.ensure_future(km._initialize(nb))
        await _settle()
        seen = [list(km.started)]
        km.renders["00_accueil.ipynb"].set_result(None)     # home has run its notebook: nobody asked yet
        await _settle()
        seen.append(list(km.started))                      # still held: no page shown, 30 s not over
        _task, _cells, kernel = await km.get_rendered_notebook("00_accueil.ipynb")
        km.notify_connect(kernel)                          # the browser connected; it draws for page_settle
        await _settle()
        seen.append(list(km.started))
        await asyncio.sleep(0.1)
        await _settle()
        seen.append(list(km.started))
        return seen

    assert run_in_own_loop(scenario()) == [
        ["00_accueil.ipynb"],
        ["00_accueil.ipynb"],
        ["00_accueil.ipynb"],
        ["00_accueil.ipynb", "01_reception.ipynb"],
    ]


def test_without_any_page_the_pools_fill_after_fill_after_start() -> None:
    async def scenario() -> list[str]:
        km = FakeVoilaManager(fill_after_start=0.05)
        for nb in ["00_accueil.ipynb", "01_reception.ipynb"]:
            asyncio.ensure_future(km._initialize(nb))
        await _settle()
        km.renders["00_accueil.ipynb"].set_result(None)
        await _settle()
        assert km.started == ["00_accueil.ipynb"]
        await asyncio.sleep(0.1)
        await _settle()
        return list(km.started)

    assert run_in_own_loop(scenario()) == ["00_accueil.ipynb", "01_reception.ipynb"]


def test_a_page_being_opened_holds_the_pool_starts_until_it_settles_or_the_cap() -> None:
    async def scenario() -> list[list[str]]:
        km = FakeVoilaManager(page_settle=0.05, page_settle_max=0.3)
        for nb in ["00_accueil.ipynb", "01_reception.ipynb", "02_correspondances.ipynb"]:
            asyncio.ensure_future(km._initialize(nb))
        await _settle()
        await km.get_rendered_notebook("00_accueil.ipynb")     # a page takes home's kernel, never connects
        km.renders["00_accueil.ipynb"].set_result(None)
        await asyncio.sleep(0.1)
        seen = [list(km.started)]                              # held: its browser has not connected
        await asyncio.sleep(0.3)
        await _settle()
        seen.append(list(km.started))                          # page_settle_max is over: the queue goes on
        _t, _c, kernel = await km.get_rendered_notebook("01_reception.ipynb")
        km.renders["01_reception.ipynb"].set_result(None)
        await asyncio.sleep(0.02)
        seen.append(list(km.started))
        km.notify_connect(kernel)
        await asyncio.sleep(0.1)
        await _settle()
        seen.append(list(km.started))                          # page_settle after the connection
        return seen

    assert run_in_own_loop(scenario()) == [
        ["00_accueil.ipynb"],
        ["00_accueil.ipynb", "01_reception.ipynb"],
        ["00_accueil.ipynb", "01_reception.ipynb"],
        ["00_accueil.ipynb", "01_reception.ipynb", "02_correspondances.ipynb"],
    ]
