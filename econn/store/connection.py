"""The workspace store: one DuckDB file, opened per operation, shared by processes.

Several Voilà kernels (one process per open page) and CLI runs share one
``econn.duckdb``. DuckDB lets only one process hold the file read-write, and
refuses the open immediately otherwise, so every operation opens a connection,
does its work and closes it; an open that meets another process's lock is
retried with jittered exponential back-off for a bounded time
(``ECONN_LOCK_TIMEOUT``, default 30 s), then fails with :class:`StoreBusyError`.
Within a process, DuckDB refuses to mix read-only and read-write connections
to one file, so a read-only request falls back to the read-write configuration.

DuckDB's own file lock is not enough: measured here with 6 writer processes,
a second process could open the file while the first was still closing it
(``Could not read enough bytes``) and, once in 600 commits, a committed row
was lost. So every connection is bracketed by an ``flock`` on a sidecar file
``econn.lock``, taken before DuckDB opens the database and released only after
it has closed it: shared for readers, exclusive for writers. The kernel drops
an ``flock`` when its process dies, so a killed kernel never leaves it behind.
"""

from __future__ import annotations

import fcntl
import logging
import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import duckdb

from ..errors import StoreBusyError, StoreError, WorkspaceError
from .schema import LATEST_VERSION, MIGRATIONS

log = logging.getLogger(__name__)

DB_NAME = "econn.duckdb"
LOCK_NAME = "econn.lock"
APP_ID = "econn-workspace"
DEFAULT_LOCK_TIMEOUT = 30.0

_ready: set[str] = set()
_ready_lock = threading.Lock()

WaitCallback = Callable[[float, str], None]

# Called when an operation waits and its caller gave no ``on_wait``: a dashboard kernel registers its page's
# message panel here, so every wait in that kernel is reported without threading on_wait through every call.
_wait_hook: WaitCallback | None = None


def set_wait_hook(callback: WaitCallback | None) -> WaitCallback | None:
    """Set the process-wide ``on_wait`` used when an operation passes none; returns the previous one."""
    global _wait_hook
    previous, _wait_hook = _wait_hook, callback
    return previous


def db_path(workspace: str | os.PathLike[str]) -> Path:
    """Path of the workspace database file."""
    return Path(workspace) / DB_NAME


def lock_timeout() -> float:
    """Seconds an operation waits for another process's lock (``ECONN_LOCK_TIMEOUT``)."""
    try:
        return float(os.environ.get("ECONN_LOCK_TIMEOUT", DEFAULT_LOCK_TIMEOUT))
    except ValueError:
        return DEFAULT_LOCK_TIMEOUT


def first(result: duckdb.DuckDBPyConnection) -> tuple[Any, ...] | None:
    """First row of a result, or None, draining it: DuckDB 2.0 keeps a connection busy after fetchone()."""
    rows = result.fetchall()
    return rows[0] if rows else None


def quote_ident(name: str) -> str:
    """Quote an identifier (a column name from a client file) for DuckDB SQL."""
    return '"' + str(name).replace('"', '""') + '"'


def _is_lock_error(exc: Exception) -> bool:
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()


def _holder(exc: Exception) -> str:
    m = re.search(r"\(PID (\d+)\)", str(exc))
    return describe_process(int(m.group(1))) if m else "un autre processus"


def describe_process(pid: int) -> str:
    """A process in French for « occupé par … »: another dashboard page, an econn command, or the program."""
    try:
        args = [a.decode(errors="replace") for a in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0") if a]
    except OSError:
        args = []
    names = [Path(a).name for a in args]
    if any("ipykernel" in a for a in args):
        what = "une autre page du tableau de bord"
    elif "econn" in names[:3]:
        i = names.index("econn")
        what = f"la commande « econn {args[i + 1]} »" if i + 1 < len(args) else "la commande econn"
    elif names:
        prog = names[0]
        if prog.startswith("python") and len(args) > 2 and args[1] == "-m":
            prog = args[2]
        elif prog.startswith("python") and len(args) > 1 and not args[1].startswith("-"):
            prog = names[1]
        what = f"le programme {prog}"
    else:
        what = "un autre processus"
    return f"{what} (PID {pid})"


def _flock_holder(fd: int) -> str:
    """Who holds the flock on ``fd``'s file, read from ``/proc/locks`` (Linux), writers first."""
    try:
        st = os.fstat(fd)
        key = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
        with open("/proc/locks", encoding="ascii", errors="replace") as fh:
            # "1: FLOCK  ADVISORY  WRITE 1234 fe:00:5678 0 EOF"; a waiter's line has "->" after the number.
            held = [p for p in (line.split() for line in fh)
                    if len(p) >= 6 and p[1] == "FLOCK" and p[5] == key and p[4].isdigit() and p[4] != "0"]
    except (OSError, ValueError):
        return "un autre traitement"
    held.sort(key=lambda p: p[3] != "WRITE")
    return describe_process(int(held[0][4])) if held else "un autre traitement"


def _wait_for_flock(fd: int, mode: int, budget: float, on_wait: WaitCallback | None) -> bool:
    """Wait in the kernel's queue for the flock, at most ``budget`` seconds; True when it is held.

    Polling with LOCK_NB let a process that writes in a loop starve the others (it re-took the lock
    before any sleeper woke up). A blocking flock is woken by the kernel as soon as the lock is free;
    it runs in a helper thread so the wait stays bounded. If the caller gives up first, the helper
    releases the lock (and closes the descriptor) the moment it gets it.
    """
    state = {"held": False, "abandoned": False}
    guard = threading.Lock()
    got = threading.Event()

    def take() -> None:
        try:
            fcntl.flock(fd, mode)
        except OSError:
            got.set()
            return
        with guard:
            if state["abandoned"]:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
                return
            state["held"] = True
        got.set()

    threading.Thread(target=take, name="econn-flock", daemon=True).start()
    start = time.monotonic()
    on_wait = on_wait if on_wait is not None else _wait_hook
    if on_wait is not None:
        on_wait(0.0, _flock_holder(fd))  # say it at once, not after the first second
    while True:
        elapsed = time.monotonic() - start
        if got.wait(min(1.0, max(0.0, budget - elapsed))):
            if not state["held"]:
                os.close(fd)
            return state["held"]
        elapsed = time.monotonic() - start
        if elapsed >= budget:
            with guard:
                if state["held"]:
                    return True
                state["abandoned"] = True  # the helper thread owns the descriptor from now on
            return False
        if on_wait is not None:
            on_wait(elapsed, _flock_holder(fd))


class _ProcessLock:
    """The sidecar ``flock`` of one workspace, re-entrant within this process."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None
        self.mode = 0
        self.depth = 0
        self.mutex = threading.RLock()

    def acquire(self, exclusive: bool, budget: float, on_wait: WaitCallback | None) -> None:
        self.mutex.acquire()
        try:
            if self.depth:
                if exclusive and self.mode != fcntl.LOCK_EX:
                    raise StoreError("cannot write inside a read-only store operation of the same process",
                                     "Erreur interne : écriture demandée pendant une lecture.")
                self.depth += 1
                return
            mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _flock_holder(fd)
                if not _wait_for_flock(fd, mode, budget, on_wait):
                    raise StoreBusyError(
                        f"workspace {self.path.parent} is busy (lock held for more than {budget:.0f}s)",
                        f"L'espace de travail est occupé par {holder} depuis plus de {budget:.0f} s. "
                        "Attendez la fin du traitement en cours (ou fermez les autres pages), puis réessayez.",
                    ) from None
            self.fd, self.mode, self.depth = fd, mode, 1
        except BaseException:
            self.mutex.release()
            raise

    def release(self) -> None:
        try:
            self.depth -= 1
            if self.depth == 0 and self.fd is not None:
                fcntl.flock(self.fd, fcntl.LOCK_UN)
                os.close(self.fd)
                self.fd = None
        finally:
            self.mutex.release()


_locks: dict[str, _ProcessLock] = {}


def _process_lock(path: Path) -> _ProcessLock:
    key = str(path.resolve())
    with _ready_lock:
        lock = _locks.get(key)
        if lock is None:
            lock = _locks[key] = _ProcessLock(path.parent / LOCK_NAME)
        return lock


def _open_raw(
    path: Path, read_only: bool, timeout: float | None, on_wait: WaitCallback | None
) -> duckdb.DuckDBPyConnection:
    """Open the file, retrying while another process holds the lock."""
    budget = lock_timeout() if timeout is None else timeout
    on_wait = on_wait if on_wait is not None else _wait_hook
    start = time.monotonic()
    delay = 0.005
    attempt = 0
    while True:
        try:
            try:
                return duckdb.connect(str(path), read_only=read_only)
            except duckdb.ConnectionException as exc:
                # Same process already holds the file read-write: join that configuration.
                if read_only and "different configuration" in str(exc):
                    return duckdb.connect(str(path), read_only=False)
                raise
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                raise
            elapsed = time.monotonic() - start
            if elapsed >= budget:
                raise StoreBusyError(
                    f"workspace database {path} is locked by {_holder(exc)} for more than {budget:.0f}s",
                    f"L'espace de travail est occupé par {_holder(exc)} depuis plus de {budget:.0f} s. "
                    "Fermez les autres pages ou attendez la fin du traitement en cours, puis réessayez.",
                ) from exc
            attempt += 1
            if on_wait is not None and attempt in (1, 20, 60) or (on_wait is not None and attempt % 100 == 0):
                on_wait(elapsed, _holder(exc))
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 1.6, 0.25)


def _check_and_migrate(path: Path, con: duckdb.DuckDBPyConnection) -> None:
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if "meta" not in tables:
        if tables:
            raise WorkspaceError(
                f"{path} is a DuckDB database but not an econn workspace",
                f"Le fichier {path} n'est pas un espace de travail econn (base DuckDB étrangère). "
                "Choisissez un autre dossier ou restaurez une sauvegarde (econn restore).",
            )
        version = 0
    else:
        row = first(con.execute("SELECT value FROM meta WHERE key = 'app'"))
        if row is None or row[0] != APP_ID:
            raise WorkspaceError(
                f"{path} has a meta table that is not econn's",
                f"Le fichier {path} n'est pas un espace de travail econn.",
            )
        version = int(con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()[0][0])
    if version > LATEST_VERSION:
        raise WorkspaceError(
            f"{path} has schema version {version}, newer than this econn ({LATEST_VERSION})",
            "Cet espace de travail a été créé par une version plus récente d'econn : mettez econn à jour.",
        )
    for number, sql in MIGRATIONS:
        if number <= version:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            if number == 1:
                con.execute("INSERT INTO meta VALUES ('app', ?)", [APP_ID])
                con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(number)])
            else:
                con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(number)])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        log.info("workspace %s migrated to schema version %s", path, number)
    if version == 0:
        # A new workspace starts with the dated reference VAT rates (domain.md §5); users edit them later.
        from ..mappings.vat import seed_vat_rates

        seed_vat_rates(con)


def init_store(workspace: str | os.PathLike[str], *, create: bool = True, timeout: float | None = None,
               on_wait: WaitCallback | None = None) -> Path:
    """Create (if allowed) and migrate the workspace database; idempotent and cheap after the first call.

    ``timeout`` and ``on_wait`` are those of :func:`connect` (the first call in a process takes the lock).
    """
    ws = Path(workspace)
    path = db_path(ws)
    key = str(path.resolve())
    with _ready_lock:
        if key in _ready and path.exists():
            return path
    if not path.exists():
        if not create:
            raise WorkspaceError(
                f"no econn workspace at {ws} (missing {DB_NAME})",
                f"Aucun espace de travail econn dans {ws}. Créez-le avec « econn demo » ou « econn import ».",
            )
        ws.mkdir(parents=True, exist_ok=True)
    plock = _process_lock(path)
    plock.acquire(True, lock_timeout() if timeout is None else timeout, on_wait)
    try:
        try:
            con = _open_raw(path, False, timeout, on_wait)
        except duckdb.Error as exc:
            raise StoreError(
                f"cannot open workspace database {path}: {exc}",
                f"Impossible d'ouvrir la base {path} : fichier endommagé ou d'un autre logiciel. "
                "Restaurez une sauvegarde (econn restore) ou choisissez un autre dossier.",
            ) from exc
        try:
            _check_and_migrate(path, con)
        finally:
            con.close()
    finally:
        plock.release()
    with _ready_lock:
        _ready.add(key)
    return path


class _SharedRead(threading.local):
    """This thread's :func:`reading` block: the workspace it covers and its one open connection."""

    key: str | None = None
    con: duckdb.DuckDBPyConnection | None = None
    stack: ExitStack | None = None                       # closes the connection and releases the lock

    def close(self) -> None:
        stack, self.stack, self.con = self.stack, None, None
        if stack is not None:
            stack.close()


_shared = _SharedRead()


@contextmanager
def reading(workspace: str | os.PathLike[str]) -> Iterator[None]:
    """Within this block, this thread's read-only :func:`connect` calls on ``workspace`` share one connection.

    A page's first load makes a handful of reads, and each open of the file costs ~20 ms (several times
    that while a browser keeps the machine's cores busy loading the page). The connection is opened by the
    first read and closed at the end of the block; a write inside the block closes it first (a process
    cannot hold one file read-only and read-write at once). The connection holds the workspace's lock
    like any operation: another thread's store operation waits for the end of the block, so the block must
    not wait for a thread that uses the store (a page's first load does not).
    """
    if _shared.key is not None:       # nested: the outer block decides
        yield
        return
    _shared.key = str(db_path(workspace).resolve())
    try:
        yield
    finally:
        try:
            _shared.close()
        finally:
            _shared.key = None


@contextmanager
def connect(
    workspace: str | os.PathLike[str],
    *,
    read_only: bool = False,
    timeout: float | None = None,
    on_wait: WaitCallback | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the workspace database for one operation and close it afterwards.

    Args:
        workspace: the workspace folder.
        read_only: lets several reading processes share the file.
        timeout: seconds to wait for another process's lock (default ``ECONN_LOCK_TIMEOUT``).
        on_wait: called with (seconds waited, lock holder) while waiting, so a page can say why it waits.

    Raises:
        WorkspaceError: no workspace there, or not an econn one.
        StoreBusyError: another process kept the lock past the timeout.
    """
    if _shared.key is not None and _shared.key == str(db_path(workspace).resolve()):
        if not read_only:
            _shared.close()
        else:
            if _shared.con is None:
                stack = ExitStack()
                _shared.con = stack.enter_context(_connect(workspace, read_only=True, timeout=timeout,
                                                           on_wait=on_wait))
                _shared.stack = stack
            cursor = _shared.con.cursor()   # its own result state; closing it leaves the connection open
            try:
                yield cursor
            finally:
                cursor.close()
            return
    with _connect(workspace, read_only=read_only, timeout=timeout, on_wait=on_wait) as con:
        yield con


@contextmanager
def _connect(
    workspace: str | os.PathLike[str],
    *,
    read_only: bool,
    timeout: float | None,
    on_wait: WaitCallback | None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    path = init_store(workspace, create=False, timeout=timeout, on_wait=on_wait)
    budget = lock_timeout() if timeout is None else timeout
    plock = _process_lock(path)
    plock.acquire(not read_only, budget, on_wait)
    try:
        try:
            con = _open_raw(path, read_only, timeout, on_wait)
        except StoreError:
            raise
        except duckdb.Error as exc:
            raise StoreError(
                f"cannot open workspace database {path}: {exc}",
                f"Impossible d'ouvrir la base {path} : {exc}",
            ) from exc
        try:
            yield con
        finally:
            con.close()
    finally:
        plock.release()


def busy_holder(workspace: str | os.PathLike[str]) -> str | None:
    """Who holds the workspace's lock so that a reader would have to wait, None when it is free now.

    A probe, not a wait: nothing is taken, DuckDB is not opened and no helper thread is left queued (a
    ``connect(timeout=0)`` does all three). None too when this process holds the lock, or when the lock
    file cannot be opened (no workspace there: the caller's own operation will say so).
    """
    plock = _process_lock(db_path(workspace))
    if not plock.mutex.acquire(blocking=False):
        return None   # another thread of this process is inside a store operation
    try:
        if plock.depth:
            return None
        try:
            fd = os.open(plock.path, os.O_RDONLY)   # no lock file yet: nobody holds it (and none is created)
        except OSError:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _flock_holder(fd)
        finally:
            os.close(fd)   # closing the descriptor also drops the shared lock just taken
        return None
    finally:
        plock.mutex.release()


@contextmanager
def exclusive(workspace: str | os.PathLike[str], *, timeout: float | None = None,
              on_wait: WaitCallback | None = None) -> Iterator[Path]:
    """Hold the workspace's lock exclusively without opening DuckDB (copy, backup, restore the file)."""
    path = db_path(workspace)
    plock = _process_lock(path)
    plock.acquire(True, lock_timeout() if timeout is None else timeout, on_wait)
    try:
        yield path
    finally:
        plock.release()


@contextmanager
def transaction(
    workspace: str | os.PathLike[str], *, timeout: float | None = None, on_wait: WaitCallback | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection inside one transaction: committed on success, rolled back on any error."""
    with connect(workspace, timeout=timeout, on_wait=on_wait) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")


def query_df(workspace: str | os.PathLike[str], sql: str, params: list[Any] | None = None) -> Any:
    """Run one read query and return a pandas DataFrame."""
    with connect(workspace, read_only=True) as con:
        return con.execute(sql, params or []).df()


def next_counter(con: duckdb.DuckDBPyConnection, name: str, start: int = 1) -> int:
    """Increment and return a named counter (GC document numbers, payment numbers) in the caller's transaction."""
    row = first(con.execute(
        "INSERT INTO counters VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 "
        "RETURNING value",
        [name, start],
    ))
    return int(row[0])


def get_setting(con: duckdb.DuckDBPyConnection, key: str, default: str | None = None) -> str | None:
    """A workspace setting (retention months, security thresholds…)."""
    row = first(con.execute("SELECT value FROM settings WHERE key = ?", [key]))
    return default if row is None else row[0]


def set_setting(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    """Set a workspace setting."""
    con.execute(
        "INSERT INTO settings VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [key, value]
    )
