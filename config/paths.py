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
a caller was given instead (``HallApp(data_dir=…)``, a test's temporary folder). Nothing here
creates a folder; whoever writes a file makes its folder first.
"""

from __future__ import annotations

import os
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
    "reports_dir",
    "tickets_dir",
]


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
