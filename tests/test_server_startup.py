"""Kernel pools start one at a time, the home page's first, and a page's own kernel jumps the queue.

The mixin wraps the methods of the subclass Voilà builds from econn's kernel manager; here a stand-in
subclass defines the same two methods, and each « kernel start » is a future the test completes by hand.
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


class FakeVoilaManager(OrderedPoolStarts):
    """What voila_kernel_manager_factory adds, reduced to what the mixin touches."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(parent=FakeVoila(), **kwargs)
        self.notebook_data: dict[str, dict[str, Any]] = {}
        self.started: list[str] = []
        self.renders: dict[str, asyncio.Future[None]] = {}
        self.log = logging.getLogger("test")
        self.failing: set[str] = set()

    async def _initialize(self, notebook_path: str, kernel_id: str | None = None, **kwargs: Any) -> dict:
        if notebook_path in self.failing:
            raise RuntimeError("kernel died")
        self.started.append(notebook_path)
        render = asyncio.get_running_loop().create_future()
        self.renders[notebook_path] = render
        self.notebook_data.setdefault(notebook_path, {"kernel_ids": set()})["kernel_ids"].add(notebook_path)
        renderer = SimpleNamespace(notebook=SimpleNamespace(metadata=SimpleNamespace(
            kernelspec=SimpleNamespace(name="python3"))), template_name="econn", theme="light")
        return {"task": render, "renderer": renderer, "kernel_id": notebook_path}

    async def get_rendered_notebook(self, notebook_name: str, **kwargs: Any) -> str:
        return notebook_name


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
