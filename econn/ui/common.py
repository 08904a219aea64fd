"""The pieces every page shares: header, message panel, safe callbacks, and the page's first load.

The header (:class:`PageHeader`) holds the breadcrumbs back home, the workspace and the « Connecteur »
selector. The chosen connector travels between pages in the links (``?connecteur=CODE``): Voilà hands a
page's query string to its kernel (``QUERY_STRING``), so each tab keeps its own choice and nothing is
written to the store when the user only looks at another connector.

A page builds its widgets without reading the store, then calls :func:`load_when_free` for its first load,
so that a page opened while a writer holds the workspace still shows its header and says what it waits for.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import logging
import os
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlencode

import ipywidgets as w
from traitlets import observe

from .. import store
from ..config.connectors import ConnectorSettings, list_connectors
from ..errors import EconnError
from ..store.workspace import repo_root, resolve_workspace
from .format import esc
from .voila_request import wait_for_voila_request

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])
W = TypeVar("W", bound=w.DOMWidget)


def css(widget: W, *classes: str) -> W:
    """Give a widget stable CSS classes (``econn-…``): the browser tests and styles select on them."""
    for c in classes:
        widget.add_class(c)
    return widget

# (notebook file, French title, one-line description) — the home page links those that exist.
DASHBOARDS: list[tuple[str, str, str]] = [
    ("00_accueil.ipynb", "Synchro e-connecteur", "Connecteurs, fichiers en attente, état des synchronisations"),
    ("01_reception.ipynb", "Réception", "Aperçu d'un fichier reçu, analyse puis intégration"),
    ("02_correspondances.ipynb", "Correspondances", "TVA, unités, pays, règlements, articles et tiers"),
    ("03_diagnostics.ipynb", "Diagnostics", "Produits absents, TVA, doublons clients, grilles de prix"),
    ("04_historique.ipynb", "Historique", "Réceptions, envois et erreurs ; rapport ERO"),
    ("05_guide_utilisateur.ipynb", "Guide utilisateur", "Chaque page expliquée pas à pas, et que faire d'un constat"),
    ("06_parametrage.ipynb", "Paramétrage", "Créer et modifier les connecteurs"),
    ("99_visite_guidee.ipynb", "Visite guidée", "Les flux e-connecteur pas à pas sur la démo"),
]

STYLE = """
<style>
.econn-page { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; max-width: 1200px; }
.econn-breadcrumbs a { color: #1f5fa8; text-decoration: none; }
.econn-title h1 { font-size: 1.5em; margin: 0.2em 0; }
.econn-muted { color: #666; font-size: 0.9em; }
.econn-table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.92em; }
.econn-table th, .econn-table td { border: 1px solid #ddd; padding: 4px 8px; text-align: left; }
.econn-table th { background: #f3f5f8; }
.econn-badge { display: inline-block; padding: 0.6em 1em; border-radius: 6px; margin-right: 0.6em;
               min-width: 7em; text-align: center; color: #fff; font-weight: 600; }
.econn-succes { background: #2e8540; } .econn-alerte { background: #e07b00; } .econn-erreur { background: #c62828; }
.econn-msg-error { color: #b71c1c; } .econn-msg-info { color: #1b5e20; } .econn-msg-wait { color: #8a5a00; }
.econn-header-row { align-items: center; gap: 1.5em; }
</style>
"""

QUERY_KEY = "connecteur"
ALL_CONNECTORS = ("Tous les connecteurs", "")


def notebooks_dir() -> Path:
    """Folder of the dashboards: the checkout's ``notebooks/``, else the kernel's working directory."""
    root = repo_root()
    return root / "notebooks" if root else Path.cwd()


def available_dashboards() -> list[tuple[str, str, str]]:
    """The dashboards that exist in this installation."""
    folder = notebooks_dir()
    return [d for d in DASHBOARDS if (folder / d[0]).exists()]


_REQUEST = threading.Event()        # set once a user has opened this preheated page
_REQUEST_LOCK = threading.Lock()
# What to redo on the kernel's main thread once the page's address is known (selectors that follow it).
_ON_REQUEST: list[weakref.WeakMethod[Callable[[], None]]] = []


def page_request_pending() -> bool:
    """True in a preheated Voilà kernel that no user has opened yet (its address is not known)."""
    return os.environ.get("VOILA_PREHEAT", "False") == "True" and not _REQUEST.is_set()


def wait_for_page_request() -> None:
    """Block until a user opens this preheated page; Voilà then gives the kernel the page's address.

    Returns at once outside a preheated kernel (nbval, plain Jupyter, a kernel started for the request)
    and once the request has been seen. Blocks the calling thread: :func:`load_when_free` calls it from a
    helper thread, so that the notebook's cells end before the request and Voilà sends the page at once.
    """
    if not page_request_pending():
        return
    with _REQUEST_LOCK:
        if _REQUEST.is_set():
            return
        wait_for_voila_request()   # sets QUERY_STRING and the other request variables in os.environ
        _REQUEST.set()


class MessagePanel(w.VBox):
    """Where every callback's error or notice appears in plain French (Voilà hides tracebacks).

    A store wait has its own line, updated in place (a widget made once, so a helper thread may change it)
    and removed once the wait is over: by :meth:`guard` after the callback that waited, or by
    :func:`load_when_free` after the first load.
    """

    def __init__(self) -> None:
        super().__init__()
        self.add_class("econn-messages")
        self._items: tuple[w.HTML, ...] = ()
        self._wait_line = css(w.HTML(), "econn-msg-wait", "econn-store-wait")
        self._waiting = False
        self._waits: dict[int, int] = {}   # store waits reported per thread (guard compares before and after)
        self._lock = threading.RLock()

    def _redraw(self) -> None:
        self.children = ((self._wait_line,) if self._waiting else ()) + self._items

    def _show(self, text: str, kind: str) -> None:
        item = w.HTML(f'<div class="econn-msg-{kind}">{esc(text)}</div>')
        item.add_class(f"econn-msg-{kind}")
        with self._lock:
            self._items = (item,) + self._items[:4]
            self._redraw()

    def info(self, text: str) -> None:
        """A notice (green)."""
        self._show(text, "info")

    def error(self, text: str) -> None:
        """An error (red)."""
        self._show(text, "error")

    def waiting(self, text: str) -> None:
        """What the page is waiting for (orange)."""
        self._show(text, "wait")

    def clear(self) -> None:
        """Remove all messages."""
        with self._lock:
            self._items = ()
            self._waiting = False
            self._redraw()

    def report(self, exc: BaseException) -> None:
        """Show an exception as one French sentence; the detail goes to the log."""
        if isinstance(exc, EconnError):
            self.error(exc.message_fr)
        else:
            log.exception("unexpected error in a dashboard callback", exc_info=exc)
            self.error(f"Erreur inattendue : {type(exc).__name__} — {exc}")

    def guard(self, fn: F) -> F:
        """Wrap a widget callback so that any exception is shown here instead of vanishing."""

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            thread = threading.get_ident()
            waits = self._waits.get(thread, 0)
            try:
                return fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - a callback must never fail silently
                self.report(exc)
                return None
            finally:
                if self._waits.get(thread, 0) != waits:   # this callback waited for the store: that is over
                    self.clear_wait()

        return wrapper  # type: ignore[return-value]

    def store_wait(self, text: str) -> None:
        """Show (or update in place) the line that says what the page waits for."""
        with self._lock:
            thread = threading.get_ident()
            self._waits[thread] = self._waits.get(thread, 0) + 1
            self._wait_line.value = f'<div class="econn-msg-wait">{esc(text)}</div>'
            if not self._waiting:
                self._waiting = True
                self._redraw()

    def clear_wait(self) -> None:
        """Remove the store wait line."""
        with self._lock:
            if self._waiting:
                self._waiting = False
                self._redraw()

    @property
    def is_waiting(self) -> bool:
        """True while the store wait line is shown."""
        return self._waiting

    def on_store_wait(self, seconds: float, holder: str) -> None:
        """``store.connect(on_wait=...)`` hook: say plainly that the store is busy."""
        self.store_wait(f"L'espace de travail est occupé par {holder} : attente depuis {seconds:.0f} s…")


def requested_connector() -> str | None:
    """The connector named in the page's address (``?connecteur=CODE``), which Voilà gives the kernel."""
    values = parse_qs(os.environ.get("QUERY_STRING", "")).get(QUERY_KEY)
    code = values[0].strip() if values else ""
    return code or None


def page_link(notebook: str, connector: str | None) -> str:
    """Relative link to a dashboard that keeps the chosen connector (none: a plain link)."""
    return f"{notebook}?{urlencode({QUERY_KEY: connector})}" if connector else notebook


class ConnectorSelector(w.Dropdown):
    """The header's « Connecteur » choice, listed with :func:`econn.config.connectors.list_connectors`.

    Built without reading the store (empty, or holding the code asked in the address) and disabled;
    :meth:`load` fills it. Unlike a plain Dropdown, new options keep the current choice when it is still
    listed, so a reload fires no change event.
    """

    def __init__(self, workspace: str | Path, *, allow_all: bool = False, include_hidden: bool = False,
                 wanted: str | None = None) -> None:
        follow = wanted is None
        wanted = requested_connector() if follow else (wanted or None)
        options = ([ALL_CONNECTORS] if allow_all else []) + ([(wanted, wanted)] if wanted else [])
        value = wanted or ("" if allow_all else None)
        super().__init__(description="Connecteur", options=options, value=value, disabled=True,
                         layout=w.Layout(width="24em"))
        css(self, "econn-connector", "econn-header-connector")
        self.workspace = Path(workspace)
        self.allow_all = allow_all
        self.include_hidden = include_hidden
        self.settings: dict[str, ConnectorSettings] = {}
        # A preheated page is built before its address is known: the first load reads it again.
        self._follow_address = follow
        if follow and page_request_pending():
            _ON_REQUEST.append(weakref.WeakMethod(self._show_requested))

    def _show_requested(self) -> None:
        """Show the connector asked in the page's address before the first load (which may wait).

        Only the label changes: a new value would make the page react (read the store, perhaps busy) before
        its first load, which then selects that connector for real.
        """
        wanted = requested_connector()
        if self._follow_address and wanted:
            self.options = [(wanted, self.value)]

    @observe("options")
    def _propagate_options(self, change: Any) -> None:
        # Replaces ipywidgets' handler, which selects the first option whenever the options change.
        options = self._options_full
        self.set_trait("_options_labels", tuple(o[0] for o in options))
        self._options_values = tuple(o[1] for o in options)
        if self._initializing_traits_ is True or self.index is None:
            return
        if self.value in self._options_values:
            self.index = self._options_values.index(self.value)
            self.label = self._options_labels[self.index]
        else:
            self.index = 0 if options else None

    def load(self, select: str | None = None) -> dict[str, ConnectorSettings]:
        """Read the connectors and keep the current choice (or ``select``) if listed, else the first entry.

        The first load of a selector that follows the page's address selects the connector asked there.
        """
        if self._follow_address:
            self._follow_address = False
            select = select or requested_connector()
        found = list_connectors(self.workspace, include_hidden=self.include_hidden)
        self.settings = {c.code: c for c in found}
        options = ([ALL_CONNECTORS] if self.allow_all else []) + [
            (f"{c.code} — {c.partner}" if c.partner else c.code, c.code) for c in found]
        wanted = self.value if select is None else select
        self.options = options
        values = [v for _, v in options]
        target = wanted if wanted in values else (values[0] if values else None)
        if self.value != target:
            self.value = target
        self.disabled = False
        return self.settings

    @property
    def code(self) -> str | None:
        """The chosen connector's code, None for « Tous les connecteurs » or nothing chosen."""
        return self.value or None


class PageHeader(w.VBox):
    """Breadcrumbs back home (keeping the chosen connector), title, workspace and connector selector."""

    def __init__(self, title: str, workspace: Path | None = None, *, home: bool = False,
                 extra: w.Widget | None = None, connector: bool = True, allow_all: bool = False,
                 include_hidden: bool = False) -> None:
        super().__init__()
        self.add_class("econn-header")
        ws = workspace or resolve_workspace()
        self.title, self.home = title, home
        # Always there (a page without it never loads it and it stays out of the header): simpler typing.
        self.connector = ConnectorSelector(ws, allow_all=allow_all, include_hidden=include_hidden,
                                           wanted=None if connector else "")
        self.breadcrumbs = w.HTML()
        self._draw_breadcrumbs()
        row: list[w.Widget] = [w.HTML(f'<div class="econn-muted econn-workspace">Espace de travail : '
                                      f"{esc(ws)}</div>")]
        if connector:
            row.insert(0, self.connector)
            self.connector.observe(lambda _c: self._draw_breadcrumbs(), names="value")
        parts: list[w.Widget] = [
            w.HTML(STYLE),
            self.breadcrumbs,
            w.HTML(f'<div class="econn-title"><h1>{esc(title)}</h1></div>'),
            css(w.HBox(row), "econn-header-row"),
        ]
        if extra is not None:
            parts.append(extra)
        self.children = parts

    def link(self, notebook: str) -> str:
        """Relative link to another dashboard, keeping the chosen connector."""
        return page_link(notebook, self.connector.code)

    def _draw_breadcrumbs(self) -> None:
        crumbs = ("Synchro e-connecteur" if self.home else
                  f'<a href="{esc(self.link("00_accueil.ipynb"))}">Synchro e-connecteur</a> › {esc(self.title)}')
        self.breadcrumbs.value = f'<div class="econn-breadcrumbs">{crumbs}</div>'


def page_header(title: str, workspace: Path | None = None, *, home: bool = False,
                extra: w.Widget | None = None, connector: bool = True, allow_all: bool = False,
                include_hidden: bool = False) -> PageHeader:
    """The header every page shows: breadcrumbs back home, title, workspace and « Connecteur » selector.

    Args:
        title: the page title.
        workspace: the workspace shown (default: the resolved one).
        home: the home page (breadcrumbs without a link).
        extra: a widget added under the header.
        connector: show the connector selector; the page fills it with ``header.connector.load()``.
        allow_all: the selector offers « Tous les connecteurs » (value ``""``).
        include_hidden: list hidden connectors too (the settings page).
    """
    return PageHeader(title, workspace, home=home, extra=extra, connector=connector, allow_all=allow_all,
                      include_hidden=include_hidden)


def _kernel_loop() -> asyncio.AbstractEventLoop | None:
    """The running kernel's event loop when called from a notebook cell, else None (plain Python, tests)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return None
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class _WaitReport:
    """Forwards store waits to the panel with the time since the page asked, then goes quiet.

    Past ``ECONN_LOCK_TIMEOUT`` the line stops counting: each update is kernel activity, and a closed
    tab's kernel that kept sending them would never be culled while the store stays busy.
    """

    def __init__(self, messages: MessagePanel) -> None:
        self.messages = messages
        self.start = time.monotonic()
        self.since = dt.datetime.now()
        self.quiet = False

    def __call__(self, _seconds: float, holder: str) -> None:
        elapsed = time.monotonic() - self.start
        if elapsed < store.lock_timeout():
            self.messages.on_store_wait(elapsed, holder)
        elif not self.quiet:
            self.quiet = True
            self.messages.store_wait(f"L'espace de travail est occupé par {holder} : attente depuis "
                                     f"{self.since:%H:%M:%S} (plus de {elapsed:.0f} s) ; la page se chargera "
                                     "dès qu'il sera libre.")


def load_when_free(workspace: Path, messages: MessagePanel, load: Callable[[], None]) -> threading.Event:
    """Run a page's first load now if the store is free, else as soon as it is, saying what the page waits for.

    Voilà shows a page only once its notebook cell has ended, so a page whose constructor waited for a
    writer showed nothing at all. In a kernel, when another process holds the store, a helper thread waits
    for it (the panel says who holds it and for how long) and then hands the load to the kernel's main
    thread: widgets are built and changed there only, since ipywidgets answers the browser's state request
    by iterating over every widget without a lock. Outside a kernel (tests, scripts) the load runs at once.

    In a kernel the panel also becomes the store's wait hook (:func:`econn.store.connection.set_wait_hook`), so every
    later wait of this page's callbacks is reported there too.

    In a preheated Voilà kernel the load waits for a user to open the page (fresh data and the address's
    connector, not those of the moment the kernel started): a helper thread waits for the request, while
    the notebook's cells end at once so that Voilà sends the page as soon as it is asked for. The load then
    runs on the kernel while the browser loads Voilà's scripts, which takes longer (see
    ``benchmarks/page_speed.py``); if it has not ended when the browser connects, the widgets show its
    result as it arrives.

    Returns:
        An event set once the load has run (its errors are shown in the panel).
    """
    done = threading.Event()
    loop = _kernel_loop()
    if loop is not None:
        store.set_wait_hook(messages.on_store_wait)

    def run(waited: float | None = None) -> None:
        try:
            with store.reading(workspace):    # one open of the file for the whole first load
                messages.guard(load)()
            messages.clear_wait()
            if waited is not None:
                messages.info(f"Espace de travail libéré : page chargée après {waited:.0f} s d'attente.")
        finally:
            messages.clear_wait()
            done.set()

    def start() -> None:
        holder = None if loop is None else store.busy_holder(workspace)
        if holder is None:
            run()
            return
        report = _WaitReport(messages)
        report(0.0, holder)

        def wait() -> None:
            try:
                # One long wait, not a retry loop: each timed-out attempt would leave a helper thread queued.
                with store.connect(workspace, read_only=True, timeout=7 * 24 * 3600.0, on_wait=report):
                    pass
            except Exception:  # noqa: BLE001, S110 - the load itself meets the problem and reports it
                pass
            _call_in_kernel(loop, run, time.monotonic() - report.start)

        threading.Thread(target=wait, name="econn-page-wait", daemon=True).start()

    if loop is None or not page_request_pending():
        start()
        return done

    def after_request() -> None:
        try:
            wait_for_page_request()
        except Exception:  # noqa: BLE001 - the page loads anyway, without what the address asked
            log.exception("Voilà's request info did not arrive: the page loads without its address")
            _REQUEST.set()
        _call_in_kernel(loop, _requested_then, messages, start)

    threading.Thread(target=after_request, name="econn-page-request", daemon=True).start()
    return done


def _requested_then(messages: MessagePanel, start: Callable[[], None]) -> None:
    """Once the page's address is known: what follows it first (header), then the page's first load."""
    while _ON_REQUEST:
        method = _ON_REQUEST.pop()()
        if method is not None:
            messages.guard(method)()
    start()


def _call_in_kernel(loop: asyncio.AbstractEventLoop, fn: Callable[..., None], *args: Any) -> None:
    """Hand ``fn`` to the kernel's main thread, where widgets are built and changed."""
    try:
        loop.call_soon_threadsafe(fn, *args)
    except RuntimeError:  # the kernel is shutting down
        pass
