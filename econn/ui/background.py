"""Long work off the kernel's main thread, with a progress bar, so that the page keeps answering.

A widget callback that computes for seconds (duplicates on 100,000 customers) holds the kernel: no
other click is handled meanwhile. :class:`BackgroundTask` runs the work in a thread and hands its result
back to the kernel's main thread (widgets are changed there only, see :func:`econn.ui.common.load_when_free`);
meanwhile a bar advances. The work reports no steps, so the bar measures time against the previous run of
the same work (« dernier passage : 4 s »), and creeps towards the end without reaching it the first time.
Outside a kernel (tests, scripts) the work runs at once.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from .common import _kernel_loop, css
from .format import esc

__all__ = ["BackgroundTask"]

TICK_S = 0.5


class BackgroundTask(w.HBox):
    """A progress bar and a line of text; :meth:`start` runs one piece of work at a time."""

    def __init__(self) -> None:
        self.bar = css(w.IntProgress(value=0, min=0, max=100, bar_style="info",
                                     layout=w.Layout(width="16em")), "econn-task-bar")
        self.label = css(w.HTML(""), "econn-task-label")
        super().__init__([self.bar, self.label], layout=w.Layout(display="none"))
        self.add_class("econn-task")
        self.running = False
        self.last: dict[str, float] = {}   # seconds the previous run of each kind of work took

    def start(self, key: str, text: str, work: Callable[[], Any], done: Callable[[Any], None],
              failed: Callable[[BaseException], None]) -> None:
        """Run ``work()`` in a thread, then ``done(result)`` or ``failed(exception)`` on the kernel's thread.

        Args:
            key: kind of work (its previous duration paces the bar).
            text: what runs, in French (« Diagnostic « Doublons clients complet » »).
        """
        loop = _kernel_loop()
        if loop is None:   # no kernel: run now, as a plain call would
            try:
                result = work()
            except Exception as exc:  # noqa: BLE001 - handed to the caller's handler, as in a kernel
                failed(exc)
            else:
                done(result)
            return
        self.running = True
        t0 = time.monotonic()
        expected = self.last.get(key)
        finished = threading.Event()
        self._show(text, 0.0, expected)
        self.layout.display = "flex"

        def finish(result: Any, exc: BaseException | None) -> None:
            self.last[key] = time.monotonic() - t0
            self.running = False
            self.layout.display = "none"
            if exc is not None:
                failed(exc)
            else:
                done(result)

        def run() -> None:
            try:
                result = work()
            except BaseException as exc:  # noqa: BLE001 - reported on the page by ``failed``
                outcome: tuple[Any, BaseException | None] = (None, exc)
            else:
                outcome = (result, None)
            finished.set()
            try:
                loop.call_soon_threadsafe(finish, *outcome)
            except RuntimeError:   # the kernel is shutting down
                pass

        def tick() -> None:
            while not finished.wait(TICK_S):
                try:
                    loop.call_soon_threadsafe(self._show, text, time.monotonic() - t0, expected)
                except RuntimeError:
                    return

        threading.Thread(target=run, name="econn-task", daemon=True).start()
        threading.Thread(target=tick, name="econn-task-tick", daemon=True).start()

    def _show(self, text: str, elapsed: float, expected: float | None) -> None:
        if not self.running:
            return
        if expected:
            share = min(0.95, elapsed / expected)
            last = f" (dernier passage : {expected:.0f} s)"
        else:   # first run: no idea of the duration, approach the end without reaching it
            share = 0.9 * (1 - math.exp(-elapsed / 5))
            last = ""
        self.bar.value = int(100 * share)
        line = f"{text} en cours : {elapsed:.0f} s{last}"
        self.label.value = f'<span class="econn-muted">{esc(line)}</span>'
