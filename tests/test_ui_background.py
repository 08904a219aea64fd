"""BackgroundTask: long work in a thread, result handed back on the loop's thread, a bar meanwhile."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from own_loop import run_in_own_loop

from econn.ui import background
from econn.ui.background import BackgroundTask


def _run_on_loop(monkeypatch: pytest.MonkeyPatch, task: BackgroundTask, work, seconds: float = 5.0) -> dict:
    """Start ``work`` as a kernel would (a running loop), and collect what reaches done/failed."""
    got: dict = {}

    async def main() -> None:
        loop = asyncio.get_running_loop()
        monkeypatch.setattr(background, "_kernel_loop", lambda: loop)
        ended = asyncio.Event()
        main_thread = got["loop_thread"] = threading.get_ident()

        def done(result: object) -> None:
            got.update(result=result, thread=threading.get_ident() == main_thread)
            ended.set()

        def failed(exc: BaseException) -> None:
            got.update(error=exc, thread=threading.get_ident() == main_thread)
            ended.set()

        task.start("demo", "Diagnostic « essai »", work, done, failed)
        got["returned_at_once"] = not ended.is_set()
        got["visible"] = task.layout.display == "flex"
        bars = []
        while not ended.is_set():   # the loop stays free while the work runs: it can sample the bar
            bars.append(task.bar.value)
            await asyncio.sleep(0.1)
        got["bars"] = bars
        await asyncio.wait_for(ended.wait(), seconds)

    run_in_own_loop(main(), seconds + 5)
    return got


def test_work_runs_off_the_loop_and_the_result_comes_back_on_it(monkeypatch: pytest.MonkeyPatch) -> None:
    task = BackgroundTask()
    worker: dict = {}

    def work() -> int:
        worker["thread"] = threading.get_ident()
        time.sleep(1.2)
        return 42

    got = _run_on_loop(monkeypatch, task, work)
    assert got["returned_at_once"] and got["visible"]
    assert got["result"] == 42 and got["thread"], "done() must run on the loop's thread"
    assert worker["thread"] != got["loop_thread"]
    assert max(got["bars"]) > 0 and got["bars"] == sorted(got["bars"])    # the bar advanced, never back
    assert task.layout.display == "none" and not task.running
    assert "demo" in task.last and task.last["demo"] >= 1.2                 # paces the next run


def test_a_failure_is_handed_back_and_the_next_run_is_paced(monkeypatch: pytest.MonkeyPatch) -> None:
    task = BackgroundTask()
    task.last["demo"] = 0.5

    def work() -> None:
        time.sleep(0.8)
        raise ValueError("cassé")

    got = _run_on_loop(monkeypatch, task, work)
    assert isinstance(got["error"], ValueError) and got["thread"]
    assert max(got["bars"]) == 95                           # past the previous duration: held below the end
    assert "dernier passage : 0 s" in task.label.value or "dernier passage : 1 s" in task.label.value


def test_outside_a_kernel_the_work_runs_at_once() -> None:
    task = BackgroundTask()
    seen: list = []
    task.start("x", "Essai", lambda: 7, seen.append, seen.append)
    assert seen == [7] and task.layout.display == "none"
