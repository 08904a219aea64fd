"""Run a coroutine to its end in an event loop of its own thread.

The browser tests' session-wide Playwright keeps a loop running on the main thread, where asyncio.run()
refuses to start: tests that drive a coroutine run it here instead.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any


def run_in_own_loop(coro: Coroutine[Any, Any, Any], timeout: float = 10.0) -> Any:
    """``asyncio.run(coro)`` in a new thread; its result is returned and its exception raised again here,
    in the test's thread."""
    errors: list[BaseException] = []
    results: list[Any] = []

    def run() -> None:
        try:
            results.append(asyncio.run(coro))
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            errors.append(exc)

    runner = threading.Thread(target=run)
    runner.start()
    runner.join(timeout)
    if errors:
        raise errors[0]
    if runner.is_alive():
        raise TimeoutError(f"the coroutine did not end within {timeout} s")
    return results[0] if results else None
