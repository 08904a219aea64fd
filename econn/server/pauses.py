"""Pool kernels starting in the background are paused while a page a person waits for is being opened.

On a two-core machine, a pool kernel starting (Python, ipykernel, the dashboard's imports, its notebook:
about 1.5 s of CPU) while the browser draws a page took half the CPU the page needed: the reception page
asked right after start-up, while the home page's kernel was still starting, took 5.6 s. Voilà cannot
take back a kernel start, and ``nice`` cannot be undone by an unprivileged process once that kernel serves
a page, so the start is stopped (``SIGSTOP``) for the few seconds the page needs, then continued
(``SIGCONT``). A stopped process keeps its sockets; the kernel's start and its notebook's run have
timeouts of a minute, far above ``page_settle_max``.
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Callable, Iterable


class StartPauses:
    """Kernel starts that may be paused: kernel id → notebook; ``pid_of`` gives a kernel's process id once
    its process exists (None before)."""

    def __init__(self, log: logging.Logger | logging.LoggerAdapter[logging.Logger],
                 pid_of: Callable[[str], int | None]) -> None:
        self.log = log
        self.pid_of = pid_of
        self._starting: dict[str, str] = {}
        self._paused: set[str] = set()

    def started(self, kernel_id: str, notebook: str) -> None:
        """A pool kernel is starting, from before its process exists until :meth:`finished`."""
        self._starting[kernel_id] = notebook

    def finished(self, kernel_id: str) -> None:
        """The kernel has run its notebook (or its turn is over): never paused from now on."""
        if kernel_id in self._paused:
            self._signal(kernel_id, signal.SIGCONT)
            self._paused.discard(kernel_id)
        self._starting.pop(kernel_id, None)

    def pause_all_but(self, notebooks: Iterable[str]) -> None:
        """Stop every start whose notebook is not among ``notebooks`` (the pages being opened); continue
        those that are."""
        keep = set(notebooks)
        for kernel_id, notebook in list(self._starting.items()):
            if notebook in keep:
                if kernel_id in self._paused and self._signal(kernel_id, signal.SIGCONT):
                    self._paused.discard(kernel_id)
            elif kernel_id not in self._paused and self._signal(kernel_id, signal.SIGSTOP):
                self._paused.add(kernel_id)
                self.log.info("Kernel %s (pool of %s) paused: a page is being opened", kernel_id, notebook)

    def resume_all(self) -> None:
        """Continue every paused start."""
        for kernel_id in list(self._paused):
            self._signal(kernel_id, signal.SIGCONT)
            self.log.info("Kernel %s continues its start", kernel_id)
        self._paused.clear()

    def paused(self) -> set[str]:
        return set(self._paused)

    def _signal(self, kernel_id: str, sig: signal.Signals) -> bool:
        pid = self.pid_of(kernel_id)
        if pid is None:
            return False          # its process is not launched yet: asked again at the next page request
        try:
            os.kill(pid, sig)
        except (ProcessLookupError, PermissionError):
            self._starting.pop(kernel_id, None)     # gone (or not ours): nothing to pause or continue
            return False
        return True


def kernel_pid(kernel_manager: object) -> int | None:
    """The process id of a jupyter_client kernel started by the local provisioner, else None."""
    provisioner = getattr(kernel_manager, "provisioner", None)
    pid = getattr(provisioner, "pid", None)
    if pid is None:
        pid = getattr(getattr(provisioner, "process", None), "pid", None)
    return pid if isinstance(pid, int) and pid > 0 else None
