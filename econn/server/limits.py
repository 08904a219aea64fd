"""Bounds on the kernels that page requests start: any web page the user visits can send a plain GET.

Each GET of a dashboard starts (or takes from a pool) a kernel of 115–200 MB. A page that never opens the
kernel's websocket — a plain GET from a script, a prefetch, another site's ``<img src>`` — leaves it to the
idle culler, so a loop of GETs could fill the machine's memory. Two bounds:

- :class:`PageKernelLimits` (mixin of econn's kernel manager): a kernel that no page has connected to is
  shut down ``unconnected_grace`` seconds after the culler first finds it out of its pool and idle — and
  not before, whatever the idle-cull time: a browser on a busy machine may take seconds to connect;
  ``max_page_kernels`` bounds the kernels serving pages (pooled ones not counted).
- :class:`CappedRender` (mixin of Voilà's page handler, applied by :mod:`econn.server.app`): beyond the cap,
  a page request gets a short French page with status 503 before any kernel starts.
"""

from __future__ import annotations

import datetime as dt
import inspect
from typing import Any

from traitlets import Float, Int
from traitlets.config import LoggingConfigurable

FULL_PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Trop de pages ouvertes — econn</title>
</head><body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 3em auto">
<h1>Trop de pages ouvertes</h1>
<p>econn sert déjà {count} pages à la fois, la limite de ce poste. Fermez les onglets d'econn dont vous ne vous
servez plus, attendez une minute, puis rechargez cette page.</p></body></html>"""


class PageKernelLimits(LoggingConfigurable):  # type: ignore[misc]
    """Mixin for the kernel manager: bounds on the kernels that serve pages."""

    max_page_kernels = Int(24, config=True, help="Kernels serving pages at once (pool kernels not counted); "
                           "a page asked beyond it gets a 503 page. 0: no limit.")
    unconnected_grace = Float(60.0, config=True, help="Seconds a kernel handed to a page may stay without any "
                              "connection, from the culler's first idle sighting, before it is shut down.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._ever_connected: set[str] = set()

    def notify_connect(self, kernel_id: str) -> None:
        super().notify_connect(kernel_id)  # type: ignore[misc]
        self._ever_connected.add(kernel_id)

    def ever_connected(self, kernel_id: str) -> bool:
        """Whether a page has connected to ``kernel_id`` at least once."""
        return kernel_id in self._ever_connected

    def pooled_kernel_ids(self) -> set[str]:
        """Kernels waiting in a Voilà pool (started, not yet handed to a page)."""
        ids = set()
        for pool in getattr(self, "_pools", {}).values():
            for task in pool:
                if task.done() and not task.cancelled() and task.exception() is None:
                    ids.add(task.result().get("kernel_id"))
        return ids

    def page_kernel_count(self) -> int:
        """Kernels serving pages, or handed to a request that has not connected yet."""
        pooled = self.pooled_kernel_ids()
        return sum(1 for k in self.list_kernel_ids() if k not in pooled)  # type: ignore[attr-defined]

    def page_kernels_full(self) -> bool:
        return self.max_page_kernels > 0 and self.page_kernel_count() >= self.max_page_kernels

    def never_connected_for(self, kernel_id: str, idle_since: dt.datetime) -> bool:
        """True when no page ever connected to ``kernel_id`` and it has been idle out of its pool too long."""
        if kernel_id in self._ever_connected or self.unconnected_grace <= 0:
            return False
        waited = (dt.datetime.now(dt.timezone.utc) - idle_since).total_seconds()
        return waited >= self.unconnected_grace

    def forget_kernel(self, kernel_id: str) -> None:
        self._ever_connected.discard(kernel_id)


class CappedRender:
    """Mixin for Voilà's page handler: a 503 page instead of one more kernel beyond the cap."""

    async def prepare(self) -> None:
        result = super().prepare()  # type: ignore[misc]   # the Host check (and login) come first
        if inspect.isawaitable(result):
            await result
        if self._finished:  # type: ignore[attr-defined]
            return
        km = self.kernel_manager  # type: ignore[attr-defined]
        full = getattr(km, "page_kernels_full", None)
        if full is not None and full():
            count = km.page_kernel_count()
            self.log.warning("Page %s refused: %s kernels serve pages (max_page_kernels)",  # type: ignore[attr-defined]
                             self.request.path, count)  # type: ignore[attr-defined]
            self.set_status(503)  # type: ignore[attr-defined]
            self.set_header("Content-Type", "text/html; charset=utf-8")  # type: ignore[attr-defined]
            self.set_header("Retry-After", "60")  # type: ignore[attr-defined]
            self.finish(FULL_PAGE.format(count=count))  # type: ignore[attr-defined]
