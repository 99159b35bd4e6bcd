"""Fixtures of the command-line tests: the built hall the sign-in tests copy (issue 11 §2)."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

import main
from config import HallConfig
from hall import Hall
from hall.accounts.passwords import token_digest
from hall.clock import FixedClock, to_storage
from hall.errors import NotAllowed
from hall.incidents import NewIncident
from models import AccessToken, Visitor, open_database
from tests.conftest import MORNING
from tests.helpers import distinct_id, form, with_passwords

NOW = (MORNING + timedelta(minutes=30)).isoformat()  # 09:30; the hall was built from 09:00
SIGNING_IN = ("desk01", "win01", "win07", "win08", "win09", "mgr01", "admin", "board01",
              "kiosk01")
"""The accounts the built hall gives tokens to (every sample's staff member, and two others)."""


# -- the hall the sign-in tests copy ---------------------------------------------------------------


def _build(hall: Hall, clock: FixedClock) -> dict[str, Any]:
    """Tickets, windows, reception days, bookings, incidents and tokens for every sample."""
    for n, category in ((1, "wages"), (2, "arrears"), (3, "reform"), (4, "wages")):
        hall.desk.issue(form(id_number=distinct_id(n), category=category), actor="desk01")
    hall.windows.call_next(7, actor="win07")  # L001, called at 09:00
    hall.windows.call_next(1, actor="win01")  # R001 ...
    hall.windows.recall(1, actor="win01")
    hall.windows.recall(1, actor="win01")
    hall.windows.no_show(1, actor="win01")  # ... a no-show, to requeue
    hall.windows.pause(9, actor="win09")
    today = hall.leaders.add_day("lihong", date(2026, 11, 23), "09:00", "11:30", 5,
                                 actor="mgr01")
    later = hall.leaders.add_day("lihong", date(2026, 11, 25), "09:00", "11:30", 5,
                                 actor="mgr01")
    bookings = hall.leaders.bookings
    booked = bookings.book(today.id, distinct_id(2), actor="desk01").booking.id
    moving = bookings.book(today.id, distinct_id(4), actor="desk01").booking.id
    hall.leaders.roster.retire("zhangwei", actor="mgr01")
    incident = hall.incidents.log(NewIncident("lingering", "候谈区", "大声吵闹"), "win01").id
    closed = hall.incidents.log(NewIncident("illness", "候谈区", "晕倒"), "win01").id
    hall.incidents.close(closed, "已送医", "mgr01")
    cases = _cases(hall)
    with_passwords(hall)
    hall.accounts.disable("win12", actor="admin")  # to enable
    clock.advance(minutes=25)  # 09:25: still locked at the commands' 09:30
    for _ in range(hall.config.accounts.lock_after):  # win10 locked, to unlock
        with contextlib.suppress(NotAllowed):
            hall.accounts.sign_in("win10", "not-the-Pass-1")
    tokens: dict[str, dict[str, str]] = {}
    for login in SIGNING_IN:
        valid = hall.accounts.create_token(login, actor="admin", days=30)
        revoked = hall.accounts.create_token(login, actor="admin")
        tokens[login] = {"valid": valid, "revoked": revoked}
    revoked = [token_digest(made["revoked"]) for made in tokens.values()]
    AccessToken.update(revoked_at=to_storage(hall.now())).where(
        AccessToken.digest.in_(revoked)).execute()
    earlier = Hall(hall.db, hall.config, FixedClock(MORNING - timedelta(days=3)))
    for login, made in tokens.items():
        made["expired"] = earlier.accounts.create_token(login, actor="admin", days=1)
    clock.advance(minutes=1)
    return {"later": later.id, "booked": booked, "moving": moving, "incident": incident,
            "closed": closed, "tokens": tokens, **cases}


def _cases(hall: Hall) -> dict[str, int]:
    """Cases (issue 12) in the states the ``hall cases`` samples need, at 人社局: pending,
    accepted, extension asked, replied, followed up 不满意."""
    visitor = Visitor.get(Visitor.id_number == distinct_id(1)).id
    made = {name: hall.cases.open_for(visitor, "wages", "欠薪", "hrss", "mgr01").id
            for name in ("pending", "accepted", "extending", "replied", "followed")}
    for name in ("accepted", "extending", "replied", "followed"):
        hall.cases.accept(made[name], "win07")
    hall.cases.extend(made["extending"], 10, "需核查", "win07")
    for name in ("replied", "followed"):
        hall.cases.reply(made[name], "已答复", "win07")
    hall.cases.followup(made["followed"], "phone", "不满意", "win07")
    return {f"case_{name}": case for name, case in made.items()}


@pytest.fixture(scope="module")
def auth_hall(config: HallConfig, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The built hall's SQLite file and what the samples refer to."""
    folder = tmp_path_factory.mktemp("auth")
    clock = FixedClock(MORNING)
    db = open_database(f"sqlite:///{folder / 'hall.db'}")
    try:
        refs = _build(Hall(db, config, clock), clock)
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    yield folder / "hall.db", refs


@pytest.fixture
def hall_cmd(auth_hall: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
             capsys: pytest.CaptureFixture[str]) -> Any:
    """``hall_cmd(argv, **env)``: ``hall`` in-process on a fresh copy of the built hall, with the
    environment variables given (kept for the test's later commands); (status, out, err). In
    ``argv``, ``{tmp}`` is the test's folder and ``{later}`` etc. the built hall's ids."""
    source, refs = auth_hall
    shutil.copy(source, tmp_path / "hall.db")
    url = f"sqlite:///{tmp_path / 'hall.db'}"
    for name in ("HALL_CONFIG", "HALL_DB", "HALL_STAFF", "HALL_PASSWORD", "HALL_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HALL_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("HALL_NOW", NOW)

    def go(argv: list[str], **env: str) -> tuple[int, str, str]:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        line = [a.format(tmp=tmp_path, **{k: v for k, v in refs.items() if k != "tokens"})
                for a in argv]
        capsys.readouterr()
        status = main.main([*line, "--db", url])
        out, err = capsys.readouterr()
        open_database(url)  # read what the command left through a connection of the test's
        return status, out, err

    go.url = url  # type: ignore[attr-defined]
    go.refs = refs  # type: ignore[attr-defined]
    open_database(url)
    return go


