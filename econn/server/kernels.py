"""Voilà's kernel manager for econn: a preheated kernel's idle time starts when a page gets it.

Voilà keeps the kernels waiting in its pools away from the idle culler, but a pool kernel has been idle
since it ran its notebook. Between the moment Voilà hands it to a page and the moment the browser
connects to it (about a second), it is neither pooled nor connected, and the culler saw it as idle for as
long as it had waited: seen in the culling test, « Using pre-heated kernel … » then at once « Culling 'idle'
kernel … with 0 connections due to 7 seconds of inactivity », and the page's « Kernel never reached an
'alive' state ». With 15 minutes of idle culling, a page opened after a quiet quarter of an hour could lose
its kernel the same way. Here a kernel's idleness counts at the earliest from the first culler pass that
finds it idle outside a pool (voila.json: ``VoilaConfiguration.multi_kernel_manager_class``).

A page's kernel also goes soon after the page is left. Voilà 0.5 shuts nothing down when a tab closes or
the user follows a link to another dashboard, so each visit used to leave a kernel (~130 MB) running until
the culler's 15 minutes: 50–65 of them during the browser tests. Here, once the last connection to a
kernel closes, the kernel is shut down ``left_page_grace`` seconds later unless a page has connected again
(a websocket that drops and reconnects keeps its kernel). Pool kernels are never connected, so never touched.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Float

from .limits import PageKernelLimits
from .startup import OrderedPoolStarts


class HandoverKernelManager(OrderedPoolStarts, PageKernelLimits, AsyncMappingKernelManager):  # type: ignore[misc]
    """jupyter_server's kernel manager, whose culler does not count a kernel's time in a Voilà pool, and
    whose pools start one kernel at a time, the home page's first (:mod:`econn.server.startup`), and whose
    page kernels are bounded (:mod:`econn.server.limits`)."""

    left_page_grace = Float(30.0, config=True, help="Seconds a kernel is kept once its last page has "
                            "disconnected, then shut down (0: only the idle culler stops it).")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._first_idle_seen: dict[str, dt.datetime] = {}
        # Kernel id → the task waiting out its grace; held here, as asyncio keeps only weak references.
        self._leaving: dict[str, asyncio.Task[None]] = {}

    def notify_connect(self, kernel_id: str) -> None:
        """A page connected: a shutdown planned when it (or another page) left is called off."""
        super().notify_connect(kernel_id)
        task = self._leaving.pop(kernel_id, None)
        if task is not None:
            task.cancel()

    def notify_disconnect(self, kernel_id: str) -> None:
        """The last page of a kernel disconnected: plan its shutdown ``left_page_grace`` seconds later."""
        super().notify_disconnect(kernel_id)
        if self.left_page_grace <= 0 or kernel_id not in self._kernels \
                or self._kernel_connections.get(kernel_id, 0) > 0 or kernel_id in self._leaving:
            return
        self._leaving[kernel_id] = asyncio.get_running_loop().create_task(self._shut_down_if_left(kernel_id))

    async def _shut_down_if_left(self, kernel_id: str) -> None:
        await asyncio.sleep(self.left_page_grace)        # cancelled here if a page connects meanwhile
        self._leaving.pop(kernel_id, None)               # from now on, nothing cancels the shutdown
        if kernel_id not in self._kernels or self._kernel_connections.get(kernel_id, 0) > 0:
            return
        self.log.info("Kernel %s shut down: its page was left %.0f s ago", kernel_id, self.left_page_grace)
        try:
            await self.shutdown_kernel(kernel_id)
        except Exception:  # the culler would still stop it later; the server must go on
            self.log.exception("Kernel %s: shutdown after its page was left failed", kernel_id)

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        """Voilà's own override returns earlier for pooled kernels: here the kernel is out of its pool."""
        for gone in [k for k in self._first_idle_seen if k not in self._kernels]:
            del self._first_idle_seen[gone]
        kernel = self._kernels.get(kernel_id)
        # A kernel still starting (Voilà filling a pool) is not counted: only one seen idle.
        if kernel is not None and getattr(kernel, "execution_state", None) == "idle" \
                and getattr(kernel, "last_activity", None) is not None:
            first = self._first_idle_seen.setdefault(kernel_id, dt.datetime.now(dt.timezone.utc))
            if kernel.last_activity < first:
                kernel.last_activity = first
            if not self.ever_connected(kernel_id) and self.unconnected_grace > 0:
                # Handed to a page whose browser has not connected yet (slow under load): the idle culler
                # does not take it; without a connection it goes after unconnected_grace instead.
                if self.never_connected_for(kernel_id, first):
                    self.log.info("Kernel %s shut down: no page connected to it in %.0f s", kernel_id,
                                  self.unconnected_grace)
                    self.forget_kernel(kernel_id)
                    await self.shutdown_kernel(kernel_id)
                return
        await super().cull_kernel_if_idle(kernel_id)
