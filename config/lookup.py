"""The few settings a ticket lookup (``hall status``) needs, read without pydantic.

    settings = lookup.read(path, paths.cache_dir())   # None: validate the file instead
    settings.hall.timezone, settings.tickets.qr_template, settings.department("xfj").name

A kiosk runs ``hall status`` once per visitor, and importing pydantic alone costs more than the
whole lookup. So the compiled copy of a validated configuration (:mod:`config.cache`) carries, on
its second line, these settings as plain JSON: the hall (code, name, time zone, rollover hour),
the query codes' QR template and the departments' codes, names and prefixes. :func:`read` gives
them only when the copy's key matches the file's bytes now (and this code and these versions),
as :func:`config.cache.read` does for the whole configuration; otherwise the caller loads the file
as every command does, so a changed or broken file is validated and its problems reported.

:class:`Lookup` offers the same names as :class:`~config.schema.HallConfig` for what it carries
(``hall``, ``tickets``, ``department()``); the values were validated when the copy was written.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from config import cache

if TYPE_CHECKING:
    from config.schema import HallConfig

__all__ = ["Lookup", "plain", "read"]


class HallSettings(NamedTuple):
    name: str
    code: str
    timezone: str
    rollover_hour: int


class TicketSettings(NamedTuple):
    qr_template: str


class DepartmentSettings(NamedTuple):
    code: str
    name: str
    prefix: str


class Lookup(NamedTuple):
    """A validated configuration's settings for finding a ticket and saying where it stands
    (read-only tuples: a dataclass costs a kiosk's start some milliseconds more to build)."""

    hall: HallSettings
    tickets: TicketSettings
    departments: tuple[DepartmentSettings, ...]

    def department(self, code: str) -> DepartmentSettings | None:
        """The department with that code, or None (as :meth:`HallConfig.department`)."""
        return next((d for d in self.departments if d.code == code), None)


def plain(cfg: HallConfig) -> dict[str, Any]:
    """The lookup's settings of a validated configuration, as JSON-ready data."""
    h = cfg.hall
    return {"hall": {"name": h.name, "code": h.code, "timezone": h.timezone,
                     "rollover_hour": h.rollover_hour},
            "tickets": {"qr_template": cfg.tickets.qr_template},
            "departments": [{"code": d.code, "name": d.name, "prefix": d.prefix}
                            for d in cfg.departments]}


def read(path: str | os.PathLike[str], cache_dir: str | os.PathLike[str]) -> Lookup | None:
    """The lookup's settings of the configuration file at ``path`` from its compiled copy, when
    the copy is of the file's bytes now; else None (absent, stale, unreadable, not ours)."""
    try:
        raw = Path(path).read_bytes()
    except OSError:
        return None  # the full load says what is wrong with it
    line = cache.read_plain(cache_dir, str(path), raw)
    if line is None:
        return None
    try:
        data = json.loads(line)
        return Lookup(hall=HallSettings(**data["hall"]),
                      tickets=TicketSettings(**data["tickets"]),
                      departments=tuple(DepartmentSettings(**d) for d in data["departments"]))
    except (ValueError, TypeError, KeyError):  # a copy from other code: validate instead
        return None
