"""Small builders shared by the tests: valid ID numbers, registration forms, row counts."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
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
    """Rows per table of the bound database."""
    from models import AuditEvent, Representative, Ticket, TicketEvent, Visit, Visitor

    return {m._meta.table_name: m.select().count()
            for m in (Visitor, Visit, Representative, Ticket, TicketEvent, AuditEvent)}


def run_async(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async (Pilot) test in its own event loop (no asyncio plugin needed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run
