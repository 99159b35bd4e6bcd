"""Small builders shared by the tests: valid ID numbers, registration forms, row counts, and
:func:`only_changes`, which proves a write touched only the rows it meant to."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
from collections.abc import Callable, Coroutine, Iterator
from datetime import datetime
from typing import Any

from config import DEFAULT_CONFIG, HallConfig, load_config_text
from hall.desk.registration import Registration
from hall.text.idnumber import check_character

SHIPPED = DEFAULT_CONFIG.read_text(encoding="utf-8")


def make_id(birth: str = "19800101", seq: int = 1, region: str = "110105") -> str:
    """A valid 18-character ID number; odd ``seq`` is a man, even a woman."""
    first17 = f"{region}{birth}{seq:03d}"
    return first17 + check_character(first17)


def distinct_id(n: int, birth: str = "19800101") -> str:
    """The n-th of many distinct valid ID numbers (n up to 999,999)."""
    return make_id(birth, n % 1000, f"{110105 + n // 1000:06d}")


def cli_env(monkeypatch: Any, tmp_path: Any, now: str, staff: str) -> None:
    """The environment of a ``hall`` command in a test: no configuration, database or token from
    the machine, data under ``tmp_path``, the hall's time ``now`` and the staff member signed in
    with :data:`TEST_PASSWORD` (the database needs it: :func:`accounts_ready`)."""
    for name in ("HALL_CONFIG", "HALL_DB", "HALL_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HALL_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("HALL_NOW", now)
    monkeypatch.setenv("HALL_STAFF", staff)
    monkeypatch.setenv("HALL_PASSWORD", TEST_PASSWORD)


def accounts_ready(url: str | None = None, config: Any = None) -> str:
    """Make the database a ``hall`` command will use ready to sign in to: open the hall on
    ``url`` (default: as the command finds it, HALL_DB or the default file under HALL_DATA), which
    seeds the configured staff's accounts, and give every account :data:`TEST_PASSWORD`
    (:func:`with_passwords`); returns the URL. The models stay bound as they were.

    ``config``: the hall's configuration (default: HALL_CONFIG, else the shipped one); the clock
    is HALL_NOW's, as the command's."""
    import os
    from pathlib import Path

    from cli.context import clock
    from config.paths import database_url
    from hall import Hall
    from models import open_database
    from models.base import database

    url = url or os.environ.get("HALL_DB") or database_url()
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).expanduser().parent.mkdir(parents=True,
                                                                      exist_ok=True)
    from tests.conftest import fill, shipped_config

    if config is None:
        named = os.environ.get("HALL_CONFIG")
        config = _config(named) if named else shipped_config()
    bound = database.obj
    at = clock()
    fill(url, config, at)  # a new test database: the template's copy (tests/conftest.py)
    db = open_database(url)
    try:
        with_passwords(Hall(db, config, at))
    finally:
        db.close()
        if bound is not None:
            database.initialize(bound)
    return url


@functools.lru_cache(maxsize=8)
def _config(path: str) -> HallConfig:
    from config import load_config

    return load_config(path)


TEST_PASSWORD = "test-Pass-8"
"""The password :func:`with_passwords` gives every account of a test's hall."""


def cheap_hasher() -> Any:
    """argon2id with the smallest cost: the same algorithm and checks as production's, so a
    test's thousand sign-ins take milliseconds instead of minutes (a hash carries its cost)."""
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def with_passwords(hall: Any, password: str = TEST_PASSWORD) -> Any:
    """Give every account of ``hall`` ``password`` (hashed cheaply: :func:`cheap_hasher`), as an
    administrator would have; returns the hall."""
    from models import Account

    hall.accounts.hasher = cheap_hasher()
    for login in [a.login for a in Account.select(Account.login)]:
        hall.accounts._set_password(login, password, "test", one_time=False)
    return hall


def add_account(login: str, role: str, *departments: str, name: str = "") -> None:
    """An active account of ``role`` for ``departments``, written straight into the test's
    database (as an administrator's ``hall staff add`` would): a second manager, a clerk of a
    department the shipped roster does not staff."""
    from models import Account

    Account.create(login=login, name=name or login, role=role,
                   departments=",".join(departments), created_at=datetime(2026, 1, 1))


def named(ids: list[str]) -> list[str]:
    """Representatives as ``hall issue --representative`` takes them: "ID,姓名,电话"."""
    return [f"{n},代表{'甲乙丙丁戊己庚辛壬癸'[i % 10]},1380000{i:04d}" if n.strip() else n
            for i, n in enumerate(ids)]


def form(**changes: Any) -> Registration:
    """A valid registration (a wage claim by a man born in 1980), with ``changes`` applied."""
    values: dict[str, Any] = {
        "name": "张三", "id_number": make_id(), "category": "wages",
        "matter": "工地拖欠工资三个月", "phone": "", "district": "jiangbei",
    }
    values.update(changes)
    return Registration(**values)


def config_with(*replacements: tuple[str, str]) -> HallConfig:
    """The shipped configuration with text replaced (each ``old`` must occur)."""
    text = SHIPPED
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return load_config_text(text, "test.yaml")


def row_counts() -> dict[str, int]:
    """Rows per table of the bound database. A command's sign-in (its audit event,
    ``account.sign_in``) is not counted: a refused act writes nothing, but the command that asked
    for it signed in first."""
    from models import (
        AuditEvent,
        Representative,
        Ticket,
        TicketEvent,
        Visit,
        Visitor,
        VisitorChange,
    )

    counts = {m._meta.table_name: m.select().count()
              for m in (Visitor, Visit, Representative, Ticket, TicketEvent, VisitorChange)}
    counts[AuditEvent._meta.table_name] = not_sign_ins()
    return counts


def not_sign_ins() -> int:
    """Audit events of the bound database but the sign-ins (``account.sign_in``)."""
    from models import AuditEvent

    return AuditEvent.select().where(AuditEvent.action != "account.sign_in").count()


@dataclasses.dataclass
class TableDiff:
    """What an act changed in a table: row keys added and removed, and per changed row the
    fields that changed as (before, after)."""

    added: list[Any] = dataclasses.field(default_factory=list)
    removed: list[Any] = dataclasses.field(default_factory=list)
    changed: dict[Any, dict[str, tuple[Any, Any]]] = dataclasses.field(default_factory=dict)

    def compare(self, before: dict[Any, dict[str, Any]], after: dict[Any, dict[str, Any]]) -> None:
        self.added = sorted(set(after) - set(before))
        self.removed = sorted(set(before) - set(after))
        self.changed = {key: {f: (before[key][f], value) for f, value in after[key].items()
                              if before[key][f] != value}
                        for key in sorted(set(before) & set(after)) if before[key] != after[key]}


def snapshot(model: Any) -> dict[Any, dict[str, Any]]:
    """Every row of a model's table, by primary key, as plain values."""
    key = model._meta.primary_key.name
    return {row[key]: row for row in model.select().dicts()}


@contextlib.contextmanager
def only_changes(model: Any, *keys: Any) -> Iterator[TableDiff]:
    """Snapshot ``model``'s table around the block; then assert no row was added or removed and
    the rows that changed are exactly ``keys`` (primary keys). One line per test:

        with only_changes(WindowState, 1):
            hall.windows.pause(1, actor="win01")

    The yielded :class:`TableDiff` is filled in when the block ends, for finer assertions.
    """
    before = snapshot(model)
    diff = TableDiff()
    yield diff
    diff.compare(before, snapshot(model))
    name = model._meta.table_name
    assert (diff.added, diff.removed) == ([], []), f"{name}: added {diff.added}, " \
        f"removed {diff.removed}"
    assert sorted(diff.changed) == sorted(keys), \
        f"{name}: changed {diff.changed}, expected only rows {list(keys)}"


def run_async(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async (Pilot) test in its own event loop (no asyncio plugin needed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run
