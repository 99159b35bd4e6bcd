"""The demo hall: a living morning built through the facade, refusing a database in use."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

import main
from config import HallConfig
from hall import Hall
from hall.clock import FixedClock
from hall.demo import DEMO_PASSWORD, DemoError, build_demo, demo_end
from hall.text.idnumber import parse_id_number
from models import (
    AuditEvent,
    Case,
    CaseVisit,
    Representative,
    Ticket,
    TicketEvent,
    Visit,
    Visitor,
    open_database,
)
from tests.conftest import CST, MORNING, _sqlite_demo

TODAY = date(2026, 11, 23)


def _today() -> list[Visit]:
    return list(Visit.select().where(Visit.business_day == TODAY))


def test_a_morning_of_tens_of_visitors_over_several_departments(demo) -> None:
    hall, summary = demo
    visits = _today()
    assert 40 <= len(visits) <= 60
    queues = [q for q in hall.board.queue_lengths() if q.issued]
    assert len(queues) >= 6
    assert sum(q.issued for q in queues) == len(visits)
    assert len({v.category for v in visits}) >= 10
    times = sorted(hall.local(v.registered_at) for v in visits)
    assert times[0] >= MORNING.replace(hour=8, minute=30)
    assert times[-1] <= MORNING.replace(hour=10, minute=30)  # 09:00: the morning runs to 10:30
    assert "演示大厅已生成" in summary and "重复访" in summary and "集体访" in summary


def test_earlier_working_days_and_repeat_visitors(demo) -> None:
    hall, summary = demo
    earlier = {v.business_day for v in Visit.select().where(Visit.business_day < TODAY)}
    assert len(earlier) == 5 and all(day.weekday() < 5 for day in earlier)
    repeats = [v for v in _today() if v.is_repeat]
    assert len(repeats) >= 4
    linked = {cv.visit_id for cv in CaseVisit.select().join(Case, on=CaseVisit.case == Case.id)
              .where(Case.visit != CaseVisit.visit)}  # about an earlier case, not one it opened
    for visit in repeats:
        file = hall.desk.visitor_file(visit.visitor.id_number, viewer="mgr01")
        assert file is not None and file.visit_count >= 2
        assert any(date.fromisoformat(s.date) < TODAY for s in file.visits)
        categories = {s.category for s in file.visits}
        if visit.id in linked:  # the same matter again, linked to its open case
            assert categories == {visit.category}
        else:  # back about something else
            assert len(categories) == 2 and visit.category in categories
    linked &= {v.id for v in repeats}
    assert 4 <= len(linked) < len(repeats)
    assert f"重复访 {len(repeats)} 人（同一事项 {len(linked)} 人" in summary
    # The earlier days' visits finished with 立案交办 … opened cases; the summary counts what
    # the managers' top bar will mark (the same alert).
    alert = hall.cases.alert()
    assert f"案件：逾期 {alert.overdue} 件，即将到期 {alert.due_soon} 件" in summary
    assert hall.cases.list("mgr01")  # the case screen has something to show
    # One regular came back with a new phone: the file was updated and the change audited.
    assert AuditEvent.select().where(AuditEvent.action == "visitor.update").count() == 1


def test_a_collective_visit_with_three_representatives(demo) -> None:
    hall, _ = demo
    collective = [v for v in _today() if v.people >= hall.config.collective.threshold]
    assert len(collective) == 1
    visit = collective[0]
    assert visit.people == 8
    reps = list(Representative.select().where(Representative.visit == visit)
                .order_by(Representative.position))
    assert len(reps) == 3
    assert reps[0].id_number == visit.visitor.id_number  # the first representative registers


@pytest.mark.usefixtures("demo")
def test_priorities_people_and_actors(config: HallConfig) -> None:
    visits = _today()
    by_group = {g: [v for v in visits if v.priority == g] for g in ("elderly", "disabled",
                                                                     "pregnant")}
    assert len(by_group["elderly"]) >= 3 and len(by_group["disabled"]) == 1
    assert len(by_group["pregnant"]) == 1
    for visitor in Visitor.select():
        person = parse_id_number(visitor.id_number, today=TODAY)  # valid, check character too
        assert 1940 <= person.birth_date.year <= 2004
        assert visitor.name and not any(ch.isdigit() for ch in visitor.name)
        assert config.district(visitor.district) is not None
        assert (visitor.sex, visitor.birth_date) == (person.sex, person.birth_date)
    for visit in by_group["elderly"]:
        assert parse_id_number(visit.visitor.id_number).age_on(TODAY) >= 70
    actors = {v.registered_by for v in Visit.select()}
    assert actors == {"desk01", "desk02"}
    # Elderly tickets go first in their queue.
    first = Ticket.select().where(Ticket.visit == by_group["elderly"][0]).get()
    assert first.priority_rank == 0


def test_the_windows_at_work(demo, config: HallConfig) -> None:
    _, summary = demo
    today = Counter(s for (s,) in Ticket.select(Ticket.status)
                    .where(Ticket.business_day == TODAY).tuples())
    assert today["done"] >= 5 and today["waiting"] >= 5
    assert today["called"] + today["serving"] >= 1  # some windows are mid-interview at the end
    earlier = Counter(s for (s,) in Ticket.select(Ticket.status)
                      .where(Ticket.business_day < TODAY).tuples())
    assert earlier["done"] >= 10 and not earlier["called"] and not earlier["serving"]
    kinds = Counter(e.kind for e in TicketEvent.select())
    assert kinds["called"] >= 30 and kinds["transferred"] >= 1 and kinds["recalled"] >= 2
    assert kinds["no_show"] >= 1
    finished = list(Visit.select().where(Visit.outcome != ""))
    assert len({v.outcome for v in finished}) >= 5
    for visit in finished:
        outcome = config.outcome(visit.outcome)
        assert outcome is not None and visit.finished_by.startswith("win")
        if outcome.refusal:
            assert visit.outcome_reason and visit.outcome_channel
    roster = {s.login for s in config.staff}
    assert {e.actor for e in AuditEvent.select()} <= roster
    assert "窗口 14 个在岗" in summary


def test_deterministic(tmp_path, config: HallConfig) -> None:
    """Two builds at one moment make the same people: the other built here is the session's
    demo the ``demo`` fixture copies on SQLite (tests/conftest.py), so this also proves the
    copy is what a build would have made."""
    def people(url: str) -> list[tuple[str, str, str]]:
        db = open_database(url)
        rows = [(v.name, v.id_number, v.phone) for v in Visitor.select().order_by(Visitor.id)]
        db.close()
        return rows

    db = open_database(f"sqlite:///{tmp_path / 'a.db'}")
    build_demo(Hall(db, config, FixedClock(MORNING)))
    db.close()
    built, _ = _sqlite_demo(MORNING.isoformat())
    assert people(f"sqlite:///{tmp_path / 'a.db'}") == people(f"sqlite:///{built}")


def test_refuses_a_database_that_holds_visitors(demo) -> None:
    hall, _ = demo
    before = Visit.select().count()
    with pytest.raises(DemoError, match="已有来访人档案"):
        build_demo(hall)
    assert Visit.select().count() == before


def test_a_real_clock_late_in_the_day(sqlite_url: str, config: HallConfig) -> None:
    class Evening:  # not a FixedClock: the demo must not need one
        def now(self) -> datetime:
            return datetime(2026, 11, 24, 20, 15, tzinfo=CST)

    hall = Hall(open_database(sqlite_url), config, Evening())
    build_demo(hall)
    visits = list(Visit.select().where(Visit.business_day == date(2026, 11, 24)))
    assert 40 <= len(visits) <= 60
    last = max(hall.local(v.registered_at) for v in visits)
    # After hours the demo stops at 10:30, so the hall is still busy when opened at that time.
    assert datetime(2026, 11, 24, 9, 30, tzinfo=CST) <= last <= datetime(2026, 11, 24, 10, 30,
                                                                         tzinfo=CST)
    assert demo_end(hall) == datetime(2026, 11, 24, 10, 30, tzinfo=CST)
    hall.db.close()


def test_the_cli(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("HALL_DATA", str(tmp_path))
    monkeypatch.setenv("HALL_NOW", (MORNING + timedelta(hours=2)).isoformat())
    for name in ("HALL_DB", "HALL_CONFIG", "HALL_STAFF"):
        monkeypatch.delenv(name, raising=False)
    url = f"sqlite:///{tmp_path / 'mine.db'}"
    assert main.main(["--db", url, "demo"]) == 0
    out = capsys.readouterr().out
    assert "演示大厅已生成" in out and url in out
    assert main.main(["--db", url, "demo"]) == 2
    assert "已有来访人档案" in capsys.readouterr().err
    # Without --db the demo gets its own file in the data directory, not the hall's database.
    assert main.main(["demo"]) == 0
    assert (tmp_path / "demo.db").exists() and not (tmp_path / "hall.db").exists()


class _Wall:
    """A clock that is not a FixedClock (the demo must not need one), standing at ``at``."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


def _waiting(day: date) -> int:
    return Ticket.select().where((Ticket.business_day == day)
                                 & (Ticket.status == "waiting")).count()


def test_an_afternoon_demo_stops_at_half_past_ten_with_people_waiting(sqlite_url: str,
                                                                      config: HallConfig) -> None:
    """At 15:00 the demo used to end "now": everyone served, and the CLI said the hall was shut."""
    hall = Hall(open_database(sqlite_url), config, _Wall(datetime(2026, 11, 24, 15, 0, tzinfo=CST)))
    build_demo(hall)
    assert demo_end(hall) == datetime(2026, 11, 24, 10, 30, tzinfo=CST)
    last = max(hall.local(v.registered_at) for v in Visit.select())
    assert last <= datetime(2026, 11, 24, 10, 30, tzinfo=CST)
    assert _waiting(date(2026, 11, 24)) > 0
    hall.db.close()


def test_on_a_sunday_the_demo_is_the_next_working_morning(sqlite_url: str,
                                                          config: HallConfig) -> None:
    sunday = datetime(2026, 11, 29, 15, 0, tzinfo=CST)
    hall = Hall(open_database(sqlite_url), config, _Wall(sunday))
    summary = build_demo(hall)
    monday = date(2026, 11, 30)
    assert demo_end(hall) == datetime(2026, 11, 30, 10, 30, tzinfo=CST)
    assert {v.business_day for v in Visit.select()} >= {monday}
    assert not Visit.select().where(Visit.business_day == sunday.date()).exists()
    assert _waiting(monday) > 0 and "2026-11-30 08:30–10:30" in summary
    # 李红 receives on the demo's day, where its repeat visitors booked.
    assert [d.booked for d in hall.leaders.days(monday, monday) if d.leader == "lihong"] == [3]
    hall.db.close()


def test_the_cli_prints_the_demo_s_moment_the_full_path_and_the_hall_db(
        tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("HALL_DATA", str(tmp_path))
    monkeypatch.setenv("HALL_NOW", "2026-11-23T15:00:00+08:00")  # Monday afternoon
    url = f"sqlite:///{tmp_path / 'from-env.db'}"
    monkeypatch.setenv("HALL_DB", url)
    for name in ("HALL_CONFIG", "HALL_STAFF"):
        monkeypatch.delenv(name, raising=False)
    assert main.main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "不在办公时间" not in out
    command = out.split("打开演示大厅：", 1)[1].split()
    assert command[0] == "HALL_NOW=2026-11-23T10:30+08:00"
    assert command[1] == f"HALL_PASSWORD={DEMO_PASSWORD}"  # every demo account's, printed
    executable = Path(command[2])
    assert executable.is_absolute() and executable.name == "hall" and executable.is_file()
    assert command[3:] == ["--db", url, "--staff", "desk01"]  # not "--db None"
    assert (tmp_path / "from-env.db").exists() and not (tmp_path / "demo.db").exists()


def test_every_demo_account_signs_in_with_the_printed_password(demo) -> None:
    hall, summary = demo
    assert DEMO_PASSWORD in summary and "仅限本演示数据库" in summary
    for login in ("admin", "desk01", "win07", "mgr01", "kiosk01", "board01"):
        actor = hall.accounts.sign_in(login, DEMO_PASSWORD)
        assert actor.login == login and not actor.must_change
    assert not hall.accounts.needs_admin()


def test_a_database_with_passwords_keeps_them(hall: Hall, clock: FixedClock) -> None:
    from tests.helpers import TEST_PASSWORD, with_passwords

    with_passwords(hall)
    summary = build_demo(hall)
    assert clock.now() == MORNING  # the caller's clock stands still
    assert DEMO_PASSWORD not in summary and "未设置演示密码" in summary
    assert hall.accounts.sign_in("desk01", TEST_PASSWORD).login == "desk01"
