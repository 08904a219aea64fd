"""Kernel pools filled one at a time, the home page's first, and a page's own kernel ahead of the queue.

Voilà starts every preheated pool at once when the server starts: seven kernels importing pandas, DuckDB and
ipywidgets on two cores. A page asked meanwhile waited for all of them (4.6 s for the home page, 5.6 s for
reception), and worse, a page asked before its notebook's first kernel had *started* was not recognised as
preheated at all and got an eighth, cold kernel.

:class:`OrderedPoolStarts` is a mixin of econn's kernel manager. Voilà builds its pool manager as a subclass
of the configured class (``voila_kernel_manager_factory``); :meth:`__init_subclass__` wraps two of that
subclass's methods:

- ``_initialize`` (start a pool kernel and run its notebook) waits for its turn: ``pool_start_concurrency``
  kernels (1) start at a time, in the order of ``pool_start_order`` (the home page first), then by name. A
  turn lasts until the kernel has run its notebook (at most ``pool_start_hold`` seconds): that, not the
  process start, is what takes the CPU. The notebook is announced to Voilà's handler as preheated before its
  kernel starts, so a page asked meanwhile takes that pool's kernel instead of starting a cold one.
- ``get_rendered_notebook`` (a page takes a pool kernel) first promotes that notebook: if its kernel is still
  waiting for a turn, it starts now, beside the one already starting.

Kernels of pages that Voilà starts cold (its pool empty) do not wait: only pool refills queue.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
from collections.abc import Awaitable, Callable
from typing import Any

from traitlets import Float, Int, List, Unicode
from traitlets.config import LoggingConfigurable

# Keys Voilà's _initialize records for a notebook once its first kernel has started; an announced notebook
# has only template, theme and kernel_ids until then.
_ANNOUNCED = "econn_announced"


class OrderedPoolStarts(LoggingConfigurable):  # type: ignore[misc]
    """Mixin for a jupyter_server kernel manager that Voilà turns into its pooling manager."""

    pool_start_order = List(Unicode(), ["00_accueil.ipynb"], config=True,
                            help="Notebooks whose pool kernels start first, in this order; the others follow "
                                 "by name.")
    pool_start_concurrency = Int(1, config=True, help="Pool kernels started at the same time (a page's own "
                                 "kernel, promoted, does not count).")
    pool_start_hold = Float(20.0, config=True, help="Longest time, in seconds, one pool kernel's start holds "
                            "its turn while it runs its notebook.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._start_seq = itertools.count()
        self._start_waiting: list[tuple[tuple[int, str], int, str, asyncio.Future[None]]] = []
        self._starts_running = 0
        self._start_holds: set[asyncio.Task[None]] = set()   # asyncio keeps tasks weakly

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, wrap in (("_initialize", _in_turn), ("get_rendered_notebook", _promoting)):
            method = cls.__dict__.get(name)
            # Once per class tree: a subclass of Voilà's class calling super() must not queue twice.
            if method is not None and not any(getattr(base.__dict__.get(name), "_econn_wrapped", False)
                                              for base in cls.__mro__[1:]):
                wrapped = wrap(method)
                wrapped._econn_wrapped = True  # type: ignore[attr-defined]
                setattr(cls, name, wrapped)

    # -- the queue --------------------------------------------------------------------------------------

    def _start_priority(self, notebook: str) -> tuple[int, str]:
        order = list(self.pool_start_order)
        return (order.index(notebook) if notebook in order else len(order), notebook)

    async def _wait_for_turn(self, notebook: str) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._start_waiting.append((self._start_priority(notebook), next(self._start_seq), notebook, future))
        # Dispatch on the next loop pass: at server start every pool's task registers in this one, so the
        # first turn goes to the first notebook of the order, not to the first task the loop ran.
        asyncio.get_running_loop().call_soon(self._dispatch_starts)
        try:
            await future
        except asyncio.CancelledError:
            self._start_waiting = [w for w in self._start_waiting if w[3] is not future]
            raise

    def _dispatch_starts(self) -> None:
        self._start_waiting.sort(key=lambda w: (w[0], w[1]))
        while self._start_waiting and self._starts_running < self.pool_start_concurrency:
            _, _, notebook, future = self._start_waiting.pop(0)
            if not future.done():
                self.log.info("Kernel pool of %s: its turn to start", notebook)
                self._starts_running += 1
                future.set_result(None)

    def _promote(self, notebook: str) -> bool:
        """Let the first waiting start of ``notebook`` go now, outside the concurrency count."""
        for _, _, name, future in sorted(self._start_waiting, key=lambda w: (w[0], w[1])):
            if name == notebook and not future.done():
                self._start_waiting = [w for w in self._start_waiting if w[3] is not future]
                self.log.info("Kernel pool of %s: started ahead of the queue, a page is waiting", notebook)
                self._starts_running += 1
                future.set_result(None)
                return True
        return False

    def _end_turn(self) -> None:
        self._starts_running = max(0, self._starts_running - 1)
        self._dispatch_starts()

    def _hold_turn_until(self, render: asyncio.Future[Any]) -> None:
        async def hold() -> None:
            try:
                await asyncio.wait_for(asyncio.shield(render), self.pool_start_hold)
            except BaseException:  # noqa: BLE001 - a slow or failed notebook only ends the turn
                pass
            finally:
                self._end_turn()

        task = asyncio.get_running_loop().create_task(hold())
        self._start_holds.add(task)
        task.add_done_callback(self._start_holds.discard)

    # -- Voilà's notebook data --------------------------------------------------------------------------

    def _announce(self, notebook: str) -> None:
        """Tell Voilà's handler that ``notebook`` is preheated before its first kernel has started."""
        data: dict[str, Any] = self.notebook_data  # type: ignore[attr-defined]
        if notebook not in data:
            configuration = self.parent.voila_configuration  # type: ignore[attr-defined]
            data[notebook] = {"template": configuration.template, "theme": configuration.theme,
                              "kernel_ids": set(), _ANNOUNCED: True}

    def _complete_announcement(self, notebook: str, renderer: Any) -> None:
        entry = self.notebook_data.get(notebook)  # type: ignore[attr-defined]
        if entry is not None and entry.pop(_ANNOUNCED, False):
            entry.update(notebook=renderer.notebook, template=renderer.template_name, theme=renderer.theme,
                         kernel_name=renderer.notebook.metadata.kernelspec.name)

    def _withdraw_announcement(self, notebook: str) -> None:
        data: dict[str, Any] = self.notebook_data  # type: ignore[attr-defined]
        entry = data.get(notebook)
        if entry is not None and entry.get(_ANNOUNCED) and not entry["kernel_ids"]:
            del data[notebook]   # its kernel did not start: pages fall back to cold kernels


def _in_turn(initialize: Callable[..., Awaitable[dict[str, Any]]]) -> Callable[..., Awaitable[dict[str, Any]]]:
    @functools.wraps(initialize)
    async def _initialize(self: Any, notebook_path: str, kernel_id: str | None = None,
                          **kwargs: Any) -> dict[str, Any]:
        if kernel_id is not None:                 # a restart: the kernel exists, nothing to order
            return await initialize(self, notebook_path, kernel_id, **kwargs)
        self._announce(notebook_path)
        await self._wait_for_turn(notebook_path)
        try:
            result = await initialize(self, notebook_path, kernel_id, **kwargs)
        except BaseException:
            self._withdraw_announcement(notebook_path)
            self._end_turn()
            raise
        self._complete_announcement(notebook_path, result["renderer"])
        self._hold_turn_until(result["task"])
        return result

    return _initialize


def _promoting(rendered: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    @functools.wraps(rendered)
    async def get_rendered_notebook(self: Any, notebook_name: str, *args: Any, **kwargs: Any) -> Any:
        self._promote(notebook_name)
        return await rendered(self, notebook_name, *args, **kwargs)

    return get_rendered_notebook
