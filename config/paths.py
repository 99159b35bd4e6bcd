"""Where the hall keeps its files: the one home of every data path.

    from config.paths import data_dir, database_url, tickets_dir, exports_dir, reports_dir

    data_dir()                      # $HALL_DATA, else $XDG_DATA_HOME/hall, else ~/.local/share/hall
    database_url()                  # sqlite:///<data dir>/hall.db, the embedded default
    cache_dir()                     # <data dir>/cache: the validated configuration, compiled
    demo_database()                 # <data dir>/demo.db, what ``hall demo`` builds by default
    tickets_dir(config)             # tickets.output_dir, relative paths under the data dir
    exports_dir()                   # <data dir>/exports: reception-day schedules (CSV, iCalendar)
    reports_dir()                   # <data dir>/reports: incident day reports (CSV)

Every function that lives under the data directory takes an optional ``base``: the data directory
a caller was given instead (``HallApp(data_dir=…)``, a test's temporary folder). The functions
above create nothing; whoever writes a file makes its folder first, with :func:`private_dir`.

The hall's files hold the visitors' personal data, so they are readable by their owner only:

    private_dir(tickets_dir(config))    # made 0700 (each folder it creates); a looser one tightened
    private_database("/srv/hall.db")    # before SQLite opens it (models.open_database calls it)

:func:`private_database` creates a new SQLite file empty with mode 0600, so the ``-wal`` and
``-shm`` files SQLite makes beside it get the same mode (SQLite copies the database file's), and
tightens an existing file and its ``-wal``, ``-shm`` and ``-journal`` to 0600; when the file lies
in the data directory, that directory (and every folder between) is tightened to 0700. A folder
elsewhere (``--db sqlite:////srv/shared/hall.db``) is the administrator's and is left as it is. A
file or folder the running user does not own cannot be changed and is left alone too.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from config.schema import HallConfig

__all__ = [
    "cache_dir",
    "data_dir",
    "database_url",
    "demo_database",
    "exports_dir",
    "private_database",
    "private_dir",
    "reports_dir",
    "tickets_dir",
]

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")
"""The files SQLite keeps beside a database file."""


def data_dir() -> Path:
    """Where the default database and saved files live.

    ``$HALL_DATA`` when set, else ``$XDG_DATA_HOME/hall``, else ``~/.local/share/hall``.
    """
    if os.environ.get("HALL_DATA"):
        return Path(os.environ["HALL_DATA"]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "hall"


def _under(base: Path | str | None, name: str | Path) -> Path:
    return (Path(base) if base is not None else data_dir()) / name


def database_url(base: Path | str | None = None) -> str:
    """The embedded default database: a SQLite file in the data directory."""
    return f"sqlite:///{_under(base, 'hall.db')}"


def cache_dir(base: Path | str | None = None) -> Path:
    """Compiled copies of validated configuration files (see :mod:`config.cache`)."""
    return _under(base, "cache")


def demo_database(base: Path | str | None = None) -> Path:
    """The SQLite file ``hall demo`` builds when no database is named."""
    return _under(base, "demo.db")


def tickets_dir(config: HallConfig, base: Path | str | None = None) -> Path:
    """Where ticket images are saved: ``tickets.output_dir``, relative to the data directory."""
    out = Path(config.tickets.output_dir).expanduser()
    return out if out.is_absolute() else _under(base, out)


def exports_dir(base: Path | str | None = None) -> Path:
    """Where the reception-day schedule is exported (CSV and iCalendar)."""
    return _under(base, "exports")


def reports_dir(base: Path | str | None = None) -> Path:
    """Where incident day reports are saved as CSV."""
    return _under(base, "reports")


def _tighten(path: Path, *, folder: bool) -> None:
    """Take the group's and others' permissions off ``path`` (a folder or a regular file, as
    ``folder`` says; anything else, or a path that is not ours, is left alone)."""
    try:
        mode = path.stat().st_mode
        if (stat.S_ISDIR(mode) if folder else stat.S_ISREG(mode)) and stat.S_IMODE(mode) & 0o077:
            path.chmod(stat.S_IMODE(mode) & (PRIVATE_DIR if folder else PRIVATE_FILE))
    except OSError:  # gone meanwhile, or another user's: nothing we may change
        pass


def private_dir(path: Path | str) -> Path:
    """Make the folder ``path`` (and each missing parent) readable by its owner only (0700);
    a folder already there with looser permissions is tightened. Returns the path. Raises
    OSError as :meth:`Path.mkdir` does (a read-only disk, a file in the way)."""
    folder = Path(path).expanduser()
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for p in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another terminal made it this instant
            p.mkdir(mode=PRIVATE_DIR)
    _tighten(folder, folder=True)
    return folder


def private_database(path: Path | str) -> None:
    """Before SQLite opens the file ``path``: create it empty with mode 0600 when it is new (its
    folder must exist: SQLite says so otherwise), tighten it and its ``-wal``, ``-shm`` and
    ``-journal`` files when they exist, and tighten the data directory when the file is in it.
    SQLite's in-memory database (``:memory:``, "") has no file: nothing to do."""
    if str(path) in ("", ":memory:"):
        return
    file = Path(path).expanduser()
    try:
        home = data_dir().resolve()
        inside = file.parent.resolve()
    except OSError:  # pragma: no cover - an unreadable working directory
        return
    if inside == home or home in inside.parents:
        for folder in (inside, *[p for p in inside.parents if p == home or home in p.parents]):
            _tighten(folder, folder=True)
    if file.parent.is_dir():
        with contextlib.suppress(OSError):  # there already, or a folder we may not write in
            os.close(os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    for name in (file, *(file.with_name(file.name + s) for s in SQLITE_COMPANIONS)):
        _tighten(name, folder=False)
