"""Every place a person's typed text is stored refuses what must not be stored (issue 9 §3).

One table of entry points (each facade method and the field it stores) times one table of bad
inputs (a control character, a C1 CSI, an ESC sequence, a direction override or isolate,
zero-width characters only, 40,000 characters): each pair must raise the form error naming that
field, and leave every row of every table as it was. On SQLite, and on PostgreSQL when
HALL_TEST_PG_URL is set (where a NUL would otherwise fail deep in the driver, and an over-long
place or room would hit the column's limit).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import peewee as pw
import pytest

import models
from config.leaders import ScheduleRule
from hall import Hall
from hall.clock import FixedClock
from hall.desk.registration import FormError
from hall.errors import NotFound
from hall.incidents import NewIncident
from tests.helpers import distinct_id, form

BAD = {
    "control": "张\x00三",
    "c1": "张\x9b2J三",  # C1 CSI: the one-byte form of ESC [
    "escape": "张\x1b[2J\x1b[H三",
    "bidi": "张\u202e三",
    "isolate": "张\u2066三\u2069",
    "zero_width_only": "\u200b\u200d\u2060\ufeff",
    "over_long": "字" * 40_000,
}


@dataclass
class Scene:
    """A hall with something to act on: a visitor at window 7 (L001, 人社局), a published day
    with a booking, an open incident and a closed one, the roster's 李红."""

    hall: Hall
    day: int
    booking: int
    incident: int
    closed: int


@pytest.fixture
def scene(hall: Hall, clock: FixedClock) -> Scene:
    hall.desk.issue(form(id_number=distinct_id(1)), "desk01")
    hall.desk.issue(form(id_number=distinct_id(2)), "desk01")
    assert hall.windows.call_next(7, "win07") is not None
    day = hall.leaders.add_day("lihong", date(2026, 11, 25), "09:00", "11:30", 5, actor="mgr01")
    booking = hall.leaders.bookings.book(day.id, distinct_id(2), actor="desk01").booking.id
    incident = hall.incidents.log(NewIncident("lingering", "候谈区", "大声吵闹"), "win01").id
    closed = hall.incidents.log(NewIncident("illness", "候谈区", "晕倒"), "win01").id
    hall.incidents.close(closed, "已送医", "mgr01")
    clock.advance(minutes=5)
    return Scene(hall, day.id, booking, incident, closed)


Act = Callable[[Scene, str], Any]
ENTRY_POINTS: dict[str, tuple[str, Act]] = {
    # desk registration
    "issue.name": ("name", lambda s, t: s.hall.desk.issue(
        form(id_number=distinct_id(9), name=t), "desk01")),
    "issue.phone": ("phone", lambda s, t: s.hall.desk.issue(
        form(id_number=distinct_id(9), phone=t), "desk01")),
    "issue.address": ("address", lambda s, t: s.hall.desk.issue(
        form(id_number=distinct_id(9), address=t), "desk01")),
    "issue.matter": ("matter", lambda s, t: s.hall.desk.issue(
        form(id_number=distinct_id(9), matter=t), "desk01")),
    "issue.request": ("request", lambda s, t: s.hall.desk.issue(
        form(id_number=distinct_id(9), request=t), "desk01")),
    # window acts
    "finish.note": ("note", lambda s, t: s.hall.windows.finish(7, "answered", "win07", note=t)),
    "finish.reason": ("reason", lambda s, t: s.hall.windows.finish(
        7, "rejected", "win07", reason=t, channel="向人民法院提起诉讼")),
    "finish.channel": ("channel", lambda s, t: s.hall.windows.finish(
        7, "rejected", "win07", reason="属诉讼事项", channel=t)),
    "transfer.note": ("note", lambda s, t: s.hall.windows.transfer(7, "housing", "win07", note=t)),
    # incidents
    "incident.log.place": ("place", lambda s, t: s.hall.incidents.log(
        NewIncident("lingering", t, "大声吵闹"), "win01")),
    "incident.log.note": ("note", lambda s, t: s.hall.incidents.log(
        NewIncident("lingering", "候谈区", t), "win01")),
    "incident.act.result": ("result", lambda s, t: s.hall.incidents.act(
        s.incident, "educate", "win01", result=t)),
    "incident.act.note": ("note", lambda s, t: s.hall.incidents.act(
        s.incident, "educate", "win01", note=t)),
    "incident.correct": ("note", lambda s, t: s.hall.incidents.correct(s.incident, 1, t,
                                                                       "win01")),
    "incident.close": ("conclusion", lambda s, t: s.hall.incidents.close(s.incident, t, "mgr01")),
    "incident.reopen": ("reason", lambda s, t: s.hall.incidents.reopen(s.closed, t, "mgr01")),
    # reception days, bookings, 包案
    "book.matter": ("matter", lambda s, t: s.hall.leaders.bookings.book(
        s.day, distinct_id(1), "desk01", matter=t)),
    "book.cancel": ("reason", lambda s, t: s.hall.leaders.bookings.cancel(s.booking, "desk01",
                                                                          reason=t)),
    "day.add.room": ("room", lambda s, t: s.hall.leaders.add_day(
        "zhangwei", date(2026, 11, 26), "09:00", "11:00", 5, "mgr01", room=t)),
    "day.add.topic": ("topic", lambda s, t: s.hall.leaders.add_day(
        "zhangwei", date(2026, 11, 26), "09:00", "11:00", 5, "mgr01", topic=t)),
    "day.edit.room": ("room", lambda s, t: s.hall.leaders.edit_day(s.day, "mgr01", room=t)),
    "day.edit.topic": ("topic", lambda s, t: s.hall.leaders.edit_day(s.day, "mgr01", topic=t)),
    "day.cancel": ("reason", lambda s, t: s.hall.leaders.cancel_day(s.day, t, "mgr01")),
    "case.matter": ("matter", lambda s, t: s.hall.leaders.take_case(distinct_id(1), "lihong", t,
                                                                    "mgr01")),
    "rule.room": ("room", lambda s, t: s.hall.leaders.plan.add_rule(
        "zhangwei", ScheduleRule(every="week", weekday=3, room=t), "mgr01")),
    "rule.topic": ("topic", lambda s, t: s.hall.leaders.plan.add_rule(
        "zhangwei", ScheduleRule(every="week", weekday=3, topic=t), "mgr01")),
    # the roster
    "leader.add.name": ("name", lambda s, t: s.hall.leaders.roster.add(
        "zhaomin", t, "mgr01", department="leader")),
    "leader.add.title": ("title", lambda s, t: s.hall.leaders.roster.add(
        "zhaomin", "赵敏", "mgr01", title=t, department="leader")),
    "leader.add.portfolio": ("portfolio", lambda s, t: s.hall.leaders.roster.add(
        "zhaomin", "赵敏", "mgr01", portfolio=t, department="leader")),
    "leader.edit.name": ("name", lambda s, t: s.hall.leaders.roster.edit("lihong", "mgr01",
                                                                         name=t)),
    "leader.retire": ("reason", lambda s, t: s.hall.leaders.roster.retire("wangshu", "mgr01",
                                                                          reason=t)),
}


def every_row() -> dict[str, Any]:
    """Every row of every table the models define."""
    tables = [m for m in (getattr(models, n) for n in models.__all__)
              if isinstance(m, type) and issubclass(m, pw.Model)]
    assert len(tables) >= 18
    return {m._meta.table_name: Counter(m.select().tuples()) for m in tables}


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
def test_each_entry_point_stores_ordinary_text(scene: Scene, entry: str) -> None:
    """The refusals below are the text's, not the act's: the same act with ordinary text (a
    full-width space, a line break folded or kept) is done."""
    key, act = ENTRY_POINTS[entry]
    act(scene, "13812345678" if key == "phone" else " 张三　正常内容 ")


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
def test_bad_text_is_refused_and_nothing_is_written(scene: Scene, entry: str) -> None:
    """Every kind of bad text in turn, on one scene: a refusal leaves it as it was, so the
    next kind meets the same rows."""
    key, act = ENTRY_POINTS[entry]
    before = every_row()
    for kind, text in BAD.items():
        with pytest.raises(FormError) as raised:
            act(scene, text)
        assert list(raised.value.errors) == [key], (kind, raised.value.errors)
        message = raised.value.errors[key]
        assert message and "\x1b" not in message, kind
        assert every_row() == before, kind


@pytest.mark.parametrize(("kind", "words"), [
    ("control", "控制字符"), ("c1", "控制字符"), ("escape", "ESC"), ("bidi", "文字方向"),
    ("isolate", "文字方向"), ("zero_width_only", "不可见"), ("over_long", "最多"),
])
def test_the_message_says_what_is_wrong(scene: Scene, kind: str, words: str) -> None:
    with pytest.raises(FormError) as raised:
        scene.hall.windows.finish(7, "answered", "win07", note=BAD[kind])
    assert words in raised.value.errors["note"]
    assert str(raised.value).startswith("情况说明：")


def test_a_line_break_is_kept_in_a_note_and_folded_in_a_name(scene: Scene) -> None:
    hall = scene.hall
    ticket = hall.desk.issue(form(id_number=distinct_id(9), name="王\t五\r\n"), "desk01")
    assert models.Visitor.get(models.Visitor.id_number == distinct_id(9)).name == "王 五"
    hall.windows.finish(7, "answered", "win07", note="第一行\r\n第二行\t完")
    visit = models.Visit.get(models.Visit.outcome == "answered")
    assert visit.outcome_note == "第一行\n第二行 完"
    assert ticket.number


def test_zero_width_inside_visible_text_is_kept(scene: Scene) -> None:
    scene.hall.windows.finish(7, "answered", "win07", note="👨\u200d👩\u200d👧 一家三口")
    assert models.Visit.get(models.Visit.outcome == "answered").outcome_note == \
        "👨\u200d👩\u200d👧 一家三口"


@pytest.mark.parametrize("typed", ["R0\x0001", "L\x1b[2J001", "\u202eL001"])
def test_a_lookup_holding_a_control_finds_nothing(scene: Scene, typed: str) -> None:
    """Not stored, only looked up: still refused in Chinese, not by the driver (PostgreSQL
    refuses a NUL in a query with a ValueError the command line would print as a traceback)."""
    hall = scene.hall
    before = every_row()
    for lookup in (lambda: hall.desk.ticket_status(typed), lambda: hall.desk.find_ticket(typed),
                   lambda: hall.windows.call_number(1, typed, "win01"),
                   lambda: hall.windows.requeue(typed, "win01")):
        with pytest.raises(NotFound) as raised:
            lookup()
        assert "\x1b" not in str(raised.value) and "\x00" not in str(raised.value)
    with pytest.raises(FormError) as form_error:
        hall.incidents.log(NewIncident("lingering", "候谈区", "大声吵闹", ticket=typed), "win01")
    assert list(form_error.value.errors) == ["ticket"]
    assert every_row() == before
