"""The page while the database is away: 503 in Chinese with Retry-After, never a crash, and the
page answers again once the database is back (the hall opened then)."""

from __future__ import annotations

import shutil
from pathlib import Path

from config import HallConfig
from hall import Hall
from hall.clock import FixedClock
from models import open_database
from tests.conftest import fill
from tests.helpers import run_async
from tests.web.serving import issue, secured, serving
from web.page import UNAVAILABLE


@run_async
async def test_a_database_not_there_at_the_start_then_there(tmp_path: Path, config: HallConfig,
                                                            clock: FixedClock) -> None:
    place = tmp_path / "later"
    url = f"sqlite:///{place / 'hall.db'}"  # its folder does not exist yet: SQLite cannot open

    def open_hall() -> Hall:
        return Hall(open_database(url), config, clock)

    async with serving(opener=open_hall, retry_seconds=0.0) as client:
        for fmt in ("html", "json"):
            page = await client.get("/cx", params={"code": "ABCDEFGHJKMN", "format": fmt})
            assert page.status == 503 and page.headers["Retry-After"] == "5"
            assert secured(page.headers)
            body = await page.text()
            assert UNAVAILABLE in body or (await page.json())["error"] == "unavailable"
        place.mkdir()
        fill(url, config, clock)
        ticket = issue(open_hall())
        page = await client.get("/cx", params={"code": ticket.query_code})
        assert page.status == 200 and ticket.number in await page.text()


@run_async
async def test_a_database_broken_after_the_start_answers_503_until_it_is_back(
        sqlite_hall: Hall, sqlite_url: str) -> None:
    ticket = issue(sqlite_hall)
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    sqlite_hall.store.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    kept = path.with_suffix(".kept")
    shutil.copyfile(path, kept)
    async with serving(sqlite_hall) as client:
        assert (await client.get("/cx", params={"code": ticket.query_code})).status == 200
        path.write_bytes(b"not a database, not at all" * 1000)  # each read opens the file anew
        page = await client.get("/cx", params={"code": ticket.query_code})
        assert page.status == 503 and UNAVAILABLE in await page.text()
        assert secured(page.headers) and "Traceback" not in await page.text()
        shutil.copyfile(kept, path)
        page = await client.get("/cx", params={"code": ticket.query_code})
        assert page.status == 200 and ticket.number in await page.text()


@run_async
async def test_a_read_slower_than_the_timeout_answers_503(hall: Hall) -> None:
    import threading

    ticket = issue(hall)
    gate = threading.Event()

    def stuck() -> Hall:
        gate.wait(10)  # the database does not answer (a frozen server)
        return hall

    async with serving(opener=stuck, timeout_seconds=1) as client:
        page = await client.get("/cx", params={"code": ticket.query_code})
        gate.set()
        assert page.status == 503 and secured(page.headers)
