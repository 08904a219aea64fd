"""Voilà's kernel manager for econn: a preheated kernel's idle time starts when a page gets it.

Voilà keeps the kernels waiting in its pools away from the idle culler, but a pool kernel has been idle
since it ran its notebook. Between the moment Voilà hands it to a page and the moment the browser
connects to it (about a second), it is neither pooled nor connected, and the culler saw it as idle for as
long as it had waited: seen in the culling test, « Using pre-heated kernel … » then at once « Culling 'idle'
kernel … with 0 connections due to 7 seconds of inactivity », and the page's « Kernel never reached an
'alive' state ». With 15 minutes of idle culling, a page opened after a quiet quarter of an hour could lose
its kernel the same way. Here a kernel's idleness counts at the earliest from the first culler pass that
finds it idle outside a pool (voila.json: ``VoilaConfiguration.multi_kernel_manager_class``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager


class HandoverKernelManager(AsyncMappingKernelManager):  # type: ignore[misc]
    """jupyter_server's kernel manager, whose culler does not count a kernel's time in a Voilà pool."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._first_idle_seen: dict[str, dt.datetime] = {}

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
        await super().cull_kernel_if_idle(kernel_id)
