"""What every page shares (no browser): the header's connector selector and links, the message panel's
store-wait line, and the first load that waits for a busy store without blocking the page."""

from __future__ import annotations

import asyncio
import fcntl
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from econn.config import connectors
from econn import store
from econn.errors import StoreBusyError
from econn.ui import common
from econn.ui.common import ConnectorSelector, MessagePanel, load_when_free, page_header, page_link
from econn.ui.home import HomePage


@pytest.fixture(autouse=True)
def no_wait_hook() -> Iterator[None]:
    """A page registers a process-wide wait hook when it runs in a kernel: do not leak it between tests."""
    previous = store.set_wait_hook(None)
    yield
    store.set_wait_hook(previous)


@pytest.fixture
def kernel_loop(monkeypatch: pytest.MonkeyPatch) -> Iterator[asyncio.AbstractEventLoop]:
    """Stand-in for a kernel's main loop (run in a thread): pages then load the way they do in Voilà."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    monkeypatch.setattr(common, "_kernel_loop", lambda: loop)
    yield loop
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()


class HeldLock:
    """Another holder of the workspace lock: a second open file description takes the flock, as a process would."""

    def __init__(self, workspace: Path) -> None:
        self.fd = os.open(workspace / store.LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def release(self) -> None:
        if self.fd >= 0:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = -1


def _texts(panel: MessagePanel) -> list[str]:
    return [child.value for child in panel.children]


def _until(predicate, timeout: float = 15.0) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


# ------------------------------------------------------------------------------------------ links and selector


def test_query_string_names_the_connector(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUERY_STRING", "x=1&connecteur=CSV")
    assert common.requested_connector() == "CSV"
    monkeypatch.setenv("QUERY_STRING", "connecteur=")
    assert common.requested_connector() is None
    monkeypatch.delenv("QUERY_STRING")
    assert common.requested_connector() is None
    assert page_link("01_reception.ipynb", "A&B C") == "01_reception.ipynb?connecteur=A%26B+C"
    assert page_link("01_reception.ipynb", None) == page_link("01_reception.ipynb", "") == "01_reception.ipynb"


def test_selector_lists_connectors_from_the_connectors_module(demo_workspace: Path) -> None:
    connectors.update(demo_workspace, "FACIL", hidden=True)
    visible = ConnectorSelector(demo_workspace, wanted="")
    assert visible.disabled and visible.options == ()          # nothing read before load()
    visible.load()
    assert [v for _, v in visible.options] == ["CSV"]
    assert visible.value == "CSV" and not visible.disabled
    every = ConnectorSelector(demo_workspace, wanted="", include_hidden=True, allow_all=True)
    every.load()
    assert [v for _, v in every.options] == ["", "CSV", "FACIL"] and every.value == "" and every.code is None
    assert set(every.settings) == {"CSV", "FACIL"} and every.settings["FACIL"].hidden


def test_selector_starts_on_the_requested_connector_and_falls_back(demo_workspace: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUERY_STRING", "connecteur=FACIL")
    sel = ConnectorSelector(demo_workspace)
    assert sel.value == "FACIL"                                # shown before the store is read
    changes: list[object] = []
    sel.observe(lambda c: changes.append(c["new"]), names="value")
    sel.load()
    assert sel.value == "FACIL" and changes == []              # still listed: no change event
    assert dict(sel.options)["FACIL — SuiviETA"] == "FACIL"
    monkeypatch.setenv("QUERY_STRING", "connecteur=NOPE")
    unknown = ConnectorSelector(demo_workspace, allow_all=True)
    unknown.load()
    assert unknown.value == ""                                 # « Tous les connecteurs »
    first = ConnectorSelector(demo_workspace, wanted="NOPE")
    first.load()
    assert first.value == "CSV"


def test_reloading_keeps_the_choice_without_events(demo_workspace: Path) -> None:
    sel = ConnectorSelector(demo_workspace, wanted="")
    sel.load()
    sel.value = "FACIL"
    changes: list[object] = []
    sel.observe(lambda c: changes.append(c["new"]), names="value")
    connectors.duplicate(demo_workspace, "CSV", "AAA")          # sorts first: index of FACIL moves
    sel.load()
    assert sel.value == "FACIL" and sel.label.startswith("FACIL") and changes == []
    sel.load(select="AAA")
    assert sel.value == "AAA" and changes == ["AAA"]
    connectors.delete(demo_workspace, "AAA", force=True)
    sel.load()
    assert sel.value == "CSV" and changes == ["AAA", "CSV"]


def test_breadcrumbs_and_links_keep_the_connector(demo_workspace: Path) -> None:
    header = page_header("Réception", demo_workspace)
    header.connector.load()
    assert 'href="00_accueil.ipynb?connecteur=CSV"' in header.breadcrumbs.value
    header.connector.value = "FACIL"
    assert 'href="00_accueil.ipynb?connecteur=FACIL"' in header.breadcrumbs.value
    assert header.link("04_historique.ipynb") == "04_historique.ipynb?connecteur=FACIL"
    assert "econn-header-connector" in header.connector._dom_classes
    home = HomePage(demo_workspace)
    assert 'href="01_reception.ipynb"' in home.links.value      # « Tous les connecteurs »: plain links
    home.connector.value = "CSV"
    assert 'href="01_reception.ipynb?connecteur=CSV"' in home.links.value
    assert "Synchro e-connecteur</div>" in home.header.breadcrumbs.value  # home: no link to itself


def test_every_page_has_the_header_selector(demo_workspace: Path) -> None:
    from econn.ui.correspondences import CorrespondencesPage
    from econn.ui.diagnostics import DiagnosticsPage
    from econn.ui.history import HistoryPage
    from econn.ui.reception import ReceptionPage
    from econn.ui.settings import SettingsPage
    from econn.ui.tour import TourPage

    for page_class in (HomePage, ReceptionPage, CorrespondencesPage, DiagnosticsPage, HistoryPage, SettingsPage,
                       TourPage):
        page = page_class(demo_workspace)
        selectors = [w for w in _descendants(page) if "econn-connector" in getattr(w, "_dom_classes", ())]
        assert selectors == [page.header.connector], page_class.__name__   # one « Connecteur », the header's
        assert page.loaded.is_set() and not page.header.connector.disabled, page_class.__name__
        assert "CSV" in [v for _, v in page.header.connector.options], page_class.__name__


def _descendants(widget):  # type: ignore[no-untyped-def]
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _descendants(child)


# ------------------------------------------------------------------------------------------ message panel


def test_store_wait_is_one_line_updated_in_place() -> None:
    panel = MessagePanel()
    panel.info("déjà là")
    panel.on_store_wait(0.2, "le programme x (PID 1)")
    panel.on_store_wait(3.4, "le programme x (PID 1)")
    texts = _texts(panel)
    assert len(texts) == 2 and "occupé par le programme x (PID 1) : attente depuis 3 s" in texts[0]
    assert "déjà là" in texts[1]
    panel.clear_wait()
    assert len(_texts(panel)) == 1 and not panel.is_waiting


def test_guard_removes_the_wait_line_once_its_callback_is_done() -> None:
    panel = MessagePanel()

    def waits() -> None:
        panel.on_store_wait(1, "quelqu'un")
        assert panel.is_waiting

    panel.guard(waits)()
    assert not panel.is_waiting
    panel.on_store_wait(1, "quelqu'un")      # a wait that is not this callback's stays on screen
    panel.guard(lambda: None)()
    assert panel.is_waiting


def test_store_wait_names_the_holder_process(workspace: Path) -> None:
    seen: list[str] = []
    held = HeldLock(workspace)
    try:
        with pytest.raises(StoreBusyError) as err, \
                store.connect(workspace, timeout=1.2, on_wait=lambda _s, h: seen.append(h)):
            pass
    finally:
        held.release()
    # The program as ps names it: pytest, or python for a pytest-xdist worker.
    assert seen and f"(PID {os.getpid()})" in seen[0] and seen[0].startswith("le programme ")
    assert f"PID {os.getpid()}" in err.value.message_fr and "occupé" in err.value.message_fr


def test_wait_hook_reports_waits_of_calls_without_on_wait(workspace: Path) -> None:
    seen: list[tuple[float, str]] = []
    store.set_wait_hook(lambda s, h: seen.append((s, h)))
    held = HeldLock(workspace)
    threading.Timer(1.5, held.release).start()
    with store.connect(workspace, read_only=True, timeout=20) as con:
        con.execute("SELECT 1")
    assert seen and seen[0][0] == 0.0 and len(seen) >= 2   # at once, then every second
    explicit: list[float] = []
    held = HeldLock(workspace)
    threading.Timer(0.5, held.release).start()
    before = len(seen)
    with store.connect(workspace, read_only=True, timeout=20, on_wait=lambda s, _h: explicit.append(s)):
        pass
    assert explicit and len(seen) == before                 # an explicit on_wait wins


# ------------------------------------------------------------------------------------------ first load


def test_outside_a_kernel_the_first_load_runs_at_once(workspace: Path) -> None:
    ran: list[str] = []
    done = load_when_free(workspace, MessagePanel(), lambda: ran.append(threading.current_thread().name))
    assert done.is_set() and ran == [threading.current_thread().name]


def test_first_load_errors_go_to_the_panel(tmp_path: Path, kernel_loop: asyncio.AbstractEventLoop) -> None:
    panel = MessagePanel()

    def load() -> None:
        store.query_df(tmp_path / "nowhere", "SELECT 1")

    assert load_when_free(tmp_path / "nowhere", panel, load).is_set()
    assert any("Aucun espace de travail" in t for t in _texts(panel))


def test_busy_store_defers_the_load_and_says_who_holds_it(workspace: Path,
                                                          kernel_loop: asyncio.AbstractEventLoop) -> None:
    panel = MessagePanel()
    threads: list[str] = []
    held = HeldLock(workspace)
    try:
        t0 = time.monotonic()
        done = load_when_free(workspace, panel, lambda: threads.append(threading.current_thread().name))
        assert time.monotonic() - t0 < 2 and not done.is_set()   # the cell ends: the page shows at once
        assert panel.is_waiting
        text = _texts(panel)[0]
        assert "occupé par le programme " in text and f"(PID {os.getpid()})" in text and "attente" in text
        assert _until(lambda: "attente depuis 2 s" in _texts(panel)[0])   # counts while it waits
        assert len(panel.children) == 1
    finally:
        held.release()
    assert done.wait(15)
    assert threads and threads[0] != threading.current_thread().name     # on the kernel loop's thread
    assert not panel.is_waiting
    assert any("Espace de travail libéré" in t for t in _texts(panel))


def test_long_wait_goes_quiet(workspace: Path, kernel_loop: asyncio.AbstractEventLoop,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Past ECONN_LOCK_TIMEOUT the line stops counting: updates are kernel activity and would defeat culling."""
    monkeypatch.setenv("ECONN_LOCK_TIMEOUT", "1")
    panel = MessagePanel()
    held = HeldLock(workspace)
    try:
        done = load_when_free(workspace, panel, lambda: None)
        assert _until(lambda: "la page se chargera dès qu" in _texts(panel)[0])
        updates: list[str] = []
        panel._wait_line.observe(lambda c: updates.append(c["new"]), names="value")
        time.sleep(2.5)
        assert updates == [] and not done.is_set()   # still waiting, silently
    finally:
        held.release()
    assert done.wait(15) and not panel.is_waiting


def test_home_page_shows_its_header_while_the_store_is_busy(demo_workspace: Path,
                                                            kernel_loop: asyncio.AbstractEventLoop) -> None:
    held = HeldLock(demo_workspace)
    try:
        page = HomePage(demo_workspace)
        assert page.header in page.children and page.messages.is_waiting
        assert page.table.value == "" and page.connector.disabled
    finally:
        held.release()
    assert page.loaded.wait(20)
    assert 'data-code="CSV"' in page.table.value and not page.connector.disabled
    assert page.reset_button is not None and not page.messages.is_waiting


@pytest.mark.parametrize(("extra", "expected"), [
    (["-m", "ipykernel_launcher", "-f", "kernel-x.json"], "une autre page du tableau de bord"),  # a kernel's argv
    ([], "le programme python"),
])
def test_holders_are_described_in_french(extra: list[str], expected: str) -> None:
    # The extra words only show in /proc/<pid>/cmdline: python runs the -c code and ignores them.
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)", *extra])
    try:
        time.sleep(0.3)
        text = store.describe_process(proc.pid)
    finally:
        proc.kill()
        proc.wait()
    assert text.startswith(expected) and text.endswith(f"(PID {proc.pid})"), text


def test_a_callback_does_not_remove_another_threads_wait() -> None:
    panel = MessagePanel()
    reporter = threading.Thread(target=panel.on_store_wait, args=(2, "quelqu'un"))
    seen: list[bool] = []

    def click() -> None:
        reporter.start()       # the page's first load keeps waiting in its own thread meanwhile
        reporter.join()
        seen.append(panel.is_waiting)

    panel.guard(click)()
    assert seen == [True] and panel.is_waiting


class VoilaRequestInfo:
    """Stand-in for Voilà's request-info socket (``/voila/query/<kernel id>``): a preheated kernel waits
    on it, and Voilà sends the page's address once a user opens the page."""

    def __init__(self, payload: dict[str, str]) -> None:
        import json

        import websockets

        self.opened = threading.Event()
        self.connected = threading.Event()
        ready = threading.Event()
        self.loop = asyncio.new_event_loop()

        async def handler(connection) -> None:  # type: ignore[no-untyped-def]
            self.connected.set()
            await self.loop.run_in_executor(None, self.opened.wait, 30)
            await connection.send(json.dumps(payload))

        async def serve() -> None:
            self.server = await websockets.serve(handler, "127.0.0.1", 0)
            self.port = self.server.sockets[0].getsockname()[1]
            ready.set()

        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        asyncio.run_coroutine_threadsafe(serve(), self.loop)
        assert ready.wait(10)

    def close(self) -> None:
        self.opened.set()

        async def stop() -> None:
            self.server.close()
            await self.server.wait_closed()

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)


@pytest.fixture
def preheated(monkeypatch: pytest.MonkeyPatch) -> Iterator[VoilaRequestInfo]:
    """This process as a preheated Voilà kernel that no user has opened yet."""
    socket = VoilaRequestInfo({"QUERY_STRING": "connecteur=FACIL",
                               "SCRIPT_NAME": "/voila/render/00_accueil.ipynb"})
    monkeypatch.setattr(common, "_REQUEST", threading.Event())
    for key, value in {"VOILA_PREHEAT": "True", "VOILA_APP_IP": "127.0.0.1",
                       "VOILA_APP_PORT": str(socket.port), "VOILA_SERVER_URL": "/",
                       "VOILA_KERNEL_ID": "k-test"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("QUERY_STRING", raising=False)
    yield socket
    socket.close()
    for key in ("QUERY_STRING", "SCRIPT_NAME"):   # set by Voilà's helper, outside monkeypatch's knowledge
        os.environ.pop(key, None)


def test_preheated_page_ends_its_cell_at_once_and_loads_when_opened(
        demo_workspace: Path, kernel_loop: asyncio.AbstractEventLoop, preheated: VoilaRequestInfo) -> None:
    """Voilà sends a preheated page as soon as its cells have ended: the page must not wait for the request
    in a cell, and it loads the data (and the connector of its address) only once a user opens it."""
    assert common.page_request_pending()
    t0 = time.monotonic()
    page = HomePage(demo_workspace)
    assert time.monotonic() - t0 < 2 and not page.loaded.is_set()
    assert preheated.connected.wait(10)                       # waiting on Voilà's socket, in a helper thread
    time.sleep(0.3)
    assert not page.loaded.is_set() and page.table.value == "" and page.connector.value == ""

    preheated.opened.set()                                    # a user opens the page
    assert page.loaded.wait(20)
    assert not common.page_request_pending()
    assert page.connector.value == "FACIL"            # the address's connector, read after the request
    assert "FACIL" in page.table.value and "CSV" in page.table.value
    assert "connecteur=FACIL" in page.links.value             # links keep it
    assert not [t for t in _texts(page.messages) if "erreur" in t.lower()]


def test_outside_a_preheated_kernel_nothing_waits_for_a_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "_REQUEST", threading.Event())
    for value in (None, "False"):
        if value is None:
            monkeypatch.delenv("VOILA_PREHEAT", raising=False)
        else:
            monkeypatch.setenv("VOILA_PREHEAT", value)
        assert not common.page_request_pending()
        t0 = time.monotonic()
        common.wait_for_page_request()
        assert time.monotonic() - t0 < 0.5


def test_preheated_page_opened_while_the_store_is_busy_shows_the_asked_connector_and_waits(
        demo_workspace: Path, kernel_loop: asyncio.AbstractEventLoop, preheated: VoilaRequestInfo) -> None:
    from econn.ui.history import HistoryPage

    page = HistoryPage(demo_workspace)
    changes: list[object] = []
    page.connector.observe(lambda c: changes.append(c["new"]), names="value")
    held = HeldLock(demo_workspace)
    try:
        preheated.opened.set()
        assert _until(lambda: page.messages.is_waiting)
        # the header says which connector, without a change of value (the page would read the busy store)
        assert page.connector.label == "FACIL" and page.connector.disabled and changes == []
        assert not page.loaded.is_set()
    finally:
        held.release()
    assert page.loaded.wait(20)
    assert page.connector.value == "FACIL" and changes == ["FACIL"] and not page.messages.is_waiting


def test_preheated_page_loads_even_if_voila_never_sends_the_request_info(
        demo_workspace: Path, kernel_loop: asyncio.AbstractEventLoop, monkeypatch: pytest.MonkeyPatch) -> None:
    """The request's socket fails (connection reset): the page must not stay empty for ever."""
    monkeypatch.setattr(common, "_REQUEST", threading.Event())
    monkeypatch.setenv("VOILA_PREHEAT", "True")

    def broken(open_timeout: float = 5.0) -> bool:
        raise OSError("connection reset by peer")

    monkeypatch.setattr(common, "wait_for_voila_request", broken)
    page = HomePage(demo_workspace)
    assert page.loaded.wait(20)
    assert "CSV" in page.table.value and page.connector.value == ""


def test_a_dashboard_kernel_imports_neither_voila_nor_pandas_to_show_the_home_page() -> None:
    """Importing Voilà costs a kernel 2.5 s of CPU (its server, its event schemas' grammar), pandas 0.5 s:
    right after start-up, on the path of the first page. The home page needs neither."""
    code = ("import sys; import econn.ui.home, econn.ui.common; "
            "print(sorted(m for m in ('voila', 'jupyter_server', 'pandas', 'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_request_socket_address_is_the_one_voila_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    from voila.utils import ENV_VARIABLE

    from econn.ui.voila_request import KERNEL_ID, PREHEAT, query_url

    assert (PREHEAT, KERNEL_ID) == (ENV_VARIABLE.VOILA_PREHEAT.value, ENV_VARIABLE.VOILA_KERNEL_ID.value)
    env = {"VOILA_APP_IP": "127.0.0.1", "VOILA_APP_PORT": "8870", "VOILA_SERVER_URL": "/base/",
           "VOILA_KERNEL_ID": "abc"}
    assert query_url(env) == "ws://127.0.0.1:8870/base/voila/query/abc"
    assert query_url({**env, "VOILA_WS_BASE_URL": "/ws/"}) == "ws://127.0.0.1:8870/ws/voila/query/abc"
