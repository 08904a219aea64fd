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

Two more rules keep the first pages fast on a two-core machine, where one kernel starting (imports, then its
notebook) took the CPU a page needed to draw its widgets — 10.7 s for the home page right after start-up:

- **The first page starts alone, the others wait**: the first kernel of ``first_pages`` (home) starts at
  once; the other pools wait until the first page has been shown (at most ``fill_after_start`` seconds).
  A page asked meanwhile starts its own pool's kernel at once (promoted).
- **The kernel before the renderer**: a pool kernel's process starts before Voilà reads the notebook and
  builds its nbconvert exporter (a second of the server's time at start-up), not after.
- **A page being opened holds the queue**: from a page's request until ``page_settle`` seconds after its
  browser connected to the kernel (at most ``page_settle_max`` seconds), no pool kernel starts, and those
  already starting for other pages are paused (:mod:`econn.server.pauses`).
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import json
import os
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from traitlets import Float, Int, List, Unicode
from traitlets.config import LoggingConfigurable

from .pauses import StartPauses, kernel_pid

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
    first_pages = List(Unicode(), ["00_accueil.ipynb"], config=True,
                       help="Notebooks whose first pool kernel starts at once at start-up (side by side when "
                            "several: on two cores, one alone serves its page sooner).")
    page_settle = Float(2.0, config=True, help="Seconds after a page's browser connected to its kernel during "
                        "which no pool kernel starts (the browser draws the widgets).")
    fill_after_start = Float(20.0, config=True, help="At start-up, the pools of the other pages wait for the "
                             "first page to be shown, or this many seconds if no page is asked.")
    page_settle_max = Float(15.0, config=True, help="Longest time, in seconds, one page being opened holds the "
                            "pool starts (its browser may never connect).")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._start_seq = itertools.count()
        self._start_waiting: list[tuple[tuple[int, str], int, str, asyncio.Future[None]]] = []
        self._starts_running = 0
        self._start_holds: set[asyncio.Task[None]] = set()   # asyncio keeps tasks weakly
        self._first_started: set[str] = set()
        # Pages being opened: token → the kernel handed to the page, once known.
        self._pages_opening: dict[int, str | None] = {}
        self._page_tokens = itertools.count()
        self._startup_hold: int | None = None
        self._page_notebooks: dict[int, str] = {}            # page token → the notebook asked
        self._pauses = StartPauses(self.log, lambda k: kernel_pid(getattr(self, "_kernels", {}).get(k)))

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
        if self._startup_hold is None and not self._first_started:
            self._startup_hold = self._hold(self.fill_after_start)
        if notebook in self.first_pages and notebook not in self._first_started:
            self._first_started.add(notebook)
            self.log.info("Kernel pool of %s: its turn to start (a first page, at once)", notebook)
            self._starts_running += 1
            return
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
        if self._pages_opening:
            return                         # the CPU goes to the page a person is waiting for
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

    def _hold_turn_until(self, render: asyncio.Future[Any], kernel_id: str) -> None:
        async def hold() -> None:
            try:
                await asyncio.wait_for(asyncio.shield(render), self.pool_start_hold)
            except BaseException:  # noqa: BLE001 - a slow or failed notebook only ends the turn
                pass
            finally:
                self._pauses.finished(kernel_id)
                self._end_turn()

        task = asyncio.get_running_loop().create_task(hold())
        self._start_holds.add(task)
        task.add_done_callback(self._start_holds.discard)

    # -- the first pages and the pages being opened ------------------------------------------------------

    def _hold(self, seconds: float) -> int:
        """Hold the pool starts for at most ``seconds``; :meth:`_page_shown` ends the hold sooner."""
        token = next(self._page_tokens)
        self._pages_opening[token] = None
        asyncio.get_running_loop().call_later(seconds, self._page_shown, token)
        return token

    def _page_requested(self, notebook: str) -> int:
        token = self._hold(self.page_settle_max)
        self._page_notebooks[token] = notebook
        self._pauses.pause_all_but(self._page_notebooks.values())
        return token

    def _page_got_kernel(self, token: int, kernel_id: str) -> None:
        if token in self._pages_opening:
            self._pages_opening[token] = kernel_id

    def _page_shown(self, token: int) -> None:
        if self._pages_opening.pop(token, -1) == -1:
            return
        self._page_notebooks.pop(token, None)
        if not self._page_notebooks:
            self._pauses.resume_all()
        if token != self._startup_hold and self._startup_hold is not None:
            # The first page is shown: the pools after start-up need not wait any longer.
            self._pages_opening.pop(self._startup_hold, None)
            self._startup_hold = None
        self._dispatch_starts()

    def notify_connect(self, kernel_id: str) -> None:
        """A page's browser connected: its hold on the pool starts ends ``page_settle`` seconds later."""
        super().notify_connect(kernel_id)  # type: ignore[misc]
        for token, kernel in list(self._pages_opening.items()):
            if kernel == kernel_id:
                asyncio.get_running_loop().call_later(self.page_settle, self._page_shown, token)

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> Any:
        """A paused kernel is continued first: stopped, it could not answer its shutdown request."""
        self._pauses.finished(kernel_id)
        return await super().shutdown_kernel(kernel_id, *args, **kwargs)  # type: ignore[misc]

    async def shutdown_all(self, now: bool = False) -> None:
        self._pauses.resume_all()
        await super().shutdown_all(now=now)  # type: ignore[misc]

    async def _shut_down_quietly(self, kernel_id: str) -> None:
        """Stop a kernel whose notebook could not be prepared (it would serve no page)."""
        try:
            await self.shutdown_kernel(kernel_id)  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - the culler stops it later; the start's own error is what matters
            self.log.exception("Kernel %s: shutdown after a failed pool start failed", kernel_id)

    def _kernel_name(self, notebook: str) -> str:
        """The kernel the notebook asks for (its kernelspec), read from the file without nbformat."""
        root = getattr(self, "root_dir", None) or "."
        try:
            with open(os.path.join(root, notebook), encoding="utf-8") as f:
                return str(json.load(f)["metadata"]["kernelspec"]["name"])
        except (OSError, ValueError, KeyError, TypeError):
            return "python3"

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


_Initialize = Callable[..., Awaitable[dict[str, Any]]]


def _in_turn(initialize: _Initialize) -> _Initialize:
    @functools.wraps(initialize)
    async def _initialize(self: Any, notebook_path: str, kernel_id: str | None = None,
                          **kwargs: Any) -> dict[str, Any]:
        if kernel_id is not None:                 # a restart: the kernel exists, nothing to order
            return await initialize(self, notebook_path, kernel_id, **kwargs)
        self._announce(notebook_path)
        await self._wait_for_turn(notebook_path)
        # The kernel's process first, then Voilà's renderer (the notebook read, nbconvert's exporter and
        # templates, a second of the server's time at start-up): the kernel imports meanwhile.
        kernel_id = str(uuid.uuid4())
        self._pauses.started(kernel_id, notebook_path)     # pausable from its process's launch on
        try:
            await self.start_kernel(kernel_name=self._kernel_name(notebook_path), kernel_id=kernel_id,
                                    **kwargs)
            try:
                result = await initialize(self, notebook_path, kernel_id, **kwargs)
            except BaseException:
                self._pauses.finished(kernel_id)
                await self._shut_down_quietly(kernel_id)
                raise
        except BaseException:
            self._pauses.finished(kernel_id)
            self._withdraw_announcement(notebook_path)
            self._end_turn()
            raise
        self._complete_announcement(notebook_path, result["renderer"])
        self._hold_turn_until(result["task"], kernel_id)
        return result

    return _initialize


def _promoting(rendered: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    @functools.wraps(rendered)
    async def get_rendered_notebook(self: Any, notebook_name: str, *args: Any, **kwargs: Any) -> Any:
        token = self._page_requested(notebook_name)
        self._promote(notebook_name)
        try:
            result = await rendered(self, notebook_name, *args, **kwargs)
        except BaseException:
            self._page_shown(token)
            raise
        if isinstance(result, tuple) and len(result) == 3:      # (render task, cells, kernel id)
            self._page_got_kernel(token, result[2])
        return result

    return get_rendered_notebook
