"""SQLite and PostgreSQL give the same figures and the same register, to the last cell.

Each section's tests check hand-worked answers on both engines; this one is the oracle across
them on a busy data set none of those tests built: the demo hall (a morning of tens of visitors
over five earlier working days, transfers, no-shows, cases, reception days, incidents), built the
same way through the facade on both, and every figure compared for several periods and filters
(time arithmetic, the local hour, the business day and the case dates are where two dialects
could drift apart).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest

from config import HallConfig
from hall import Hall
from hall.clock import FixedClock
from hall.demo import build_demo
from hall.stats import Filters, named_period, range_period
from models import open_database
from tests.conftest import MORNING, PG_URL, _pg_schema_url, fill

pytestmark = pytest.mark.skipif(not PG_URL, reason="HALL_TEST_PG_URL is not set")


@contextmanager
def _demo(url: str, config: HallConfig) -> Iterator[Hall]:
    clock = FixedClock(MORNING)
    fill(url, config, clock)
    db = open_database(url)
    try:
        hall = Hall(db, config, clock)
        build_demo(hall)
        yield hall
    finally:
        db.close()


@contextmanager
def _pg(config: HallConfig) -> Iterator[Hall]:
    urls = _pg_schema_url(PG_URL or "")
    try:
        with _demo(next(urls), config) as hall:
            yield hall
    finally:
        urls.close()


def _figures(hall: Hall) -> list[dict[str, Any]]:
    today = hall.today()
    periods = [named_period(name, today) for name in ("today", "week", "month", "year")]
    periods.append(range_period(today - timedelta(days=9), today, today))
    filters = [Filters(), Filters(department="hrss"), Filters(category="wages"),
               Filters(district="jiangbei"), Filters(department="discipline")]
    out = []
    with hall.connection():
        for period in periods:
            for f in filters:
                got = hall.stats.figures("mgr01", period, f).as_dict()
                got.pop("generated_at")
                out.append(got)
        for login in ("mgr01", "desk01"):
            register = hall.stats.register(login, named_period("month", today))
            out.append({"register": [list(r) for r in register.table.rows],
                        "masked": register.masked})
    return out


def test_the_demo_hall_has_the_same_figures_on_both_engines(tmp_path, config: HallConfig) -> None:
    with _demo(f"sqlite:///{tmp_path / 'hall.db'}", config) as lite:
        on_sqlite = _figures(lite)
    with _pg(config) as pg:
        on_pg = _figures(pg)
    month = on_sqlite[2 * 5]  # the third period, unfiltered
    assert month["period"]["kind"] == "month" and not month["filters"]
    visits = month["headlines"]["visits"]["value"]
    assert visits >= 40, "the demo should fill the month"
    assert month["headlines"]["tickets_finished"]["value"] > 0
    assert month["headlines"]["cases_opened"]["value"] > 0
    assert len(on_sqlite[-2]["register"]) == visits
    for lite_part, pg_part in zip(on_sqlite, on_pg, strict=True):
        if "tables" in lite_part:
            for key, table in lite_part["tables"].items():
                assert pg_part["tables"][key] == table, (lite_part["period"], key)
        assert pg_part == lite_part
