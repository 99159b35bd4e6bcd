"""The hall at work for one day: arrivals at the desk, the windows calling and finishing.

:class:`HallAtWork` is the engine of :mod:`hall.demo.build`: :meth:`HallAtWork.day` runs one day
as a queue of timed events (arrivals, calls, recalls, interviews, finishes, and the extra events
of the story: a booked visitor checking in, an incident and its steps), moving the demo's private
clock from one to the next, every act through the facade. At the desk a returning visitor's file
is read and the visit linked to the open case it is about (重复访，同一事项); at the windows the
outcome (办理方式) is drawn from :data:`OUTCOMES`, except that a visit about an open case is
answered on its progress, a regular's first visit opens a case (立案交办) and the leader's room
coordinates (协调处理).
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from hall.accounts.permissions import SCOPED, allowed
from hall.clock import FixedClock
from hall.demo import incidents
from hall.demo.cases import CaseOffice
from hall.demo.leaders import closed_departments
from hall.demo.people import PeopleMaker, Person
from hall.desk.registration import Registration
from hall.views import IssuedTicket

if TYPE_CHECKING:
    from hall import Hall

CLOSES, LAST_ARRIVAL = time(17, 0), time(16, 30)  # no call after closing, no arrival after
# 办理方式 as windows choose them: code -> (weight, note, reason, channel); reason and channel
# only for refusals. Codes missing from the configuration are skipped.
OUTCOMES: dict[str, tuple[int, str, str, str]] = {
    "answered": (30, "已当场解释相关政策并答复", "", ""),
    "phone": (10, "已电话联系主管单位，约定三个工作日内回复", "", ""),
    "notice": (14, "已出具告知单，告知办理途径和时限", "", ""),
    "forward": (12, "已出具转送单，转属地政府办理", "", ""),
    "filed": (12, "已立案交办属地，限期办结并回复", "", ""),
    "coordinate": (8, "已约请相关部门协调处理", "", ""),
    "report": (4, "已摘报分管领导", "", ""),
    "rejected": (5, "", "属于应当通过诉讼、仲裁解决的事项", "向人民法院提起诉讼或申请劳动仲裁"),
    "closed": (3, "", "同一事项已经复查复核终结", "可依法向人民法院提起诉讼"),
}


PROGRESS = "已查询案件办理进展并告知来访人，督促承办单位按期答复"
"""The note of a visit about an open case (answered on its progress)."""

Later = Callable[..., None]
"""Schedules an event: ``later(at, kind, what, minutes=0)``."""


class DemoError(RuntimeError):
    """The demo cannot be built (the message says why, in Chinese)."""


@dataclass
class Tally:
    """What the windows did, for the summary."""

    acts: Counter[str] = field(default_factory=Counter)
    representatives: dict[int, int] = field(default_factory=dict)  # ticket id -> named
    linked: set[int] = field(default_factory=set)  # tickets about an open case (同一事项)
    attended: int = 0  # last month's bookings checked in


class HallAtWork:
    """One build's engine: the random source, a private clock and a Hall over the caller's
    database."""

    def __init__(self, hall: Hall, seed: int) -> None:
        self.config = config = hall.config
        self.desks = [s.login for s in config.staff
                      if s.role == "desk" and not s.login.startswith("kiosk")]
        if not self.desks:
            raise DemoError("花名册中没有登记分流台工作人员（role: desk），"
                            "无法以其名义登记演示来访")
        # Whoever may work a window of their own departments (window clerks, the duty lawyer,
        # a leader's room staff): the facade refuses anyone else's call (permission table).
        free = [s for s in config.staff if s.role in SCOPED and allowed(s.role, "window.call")]
        self.windows: list[tuple[int, str]] = []  # (window, staff login) of the staffed ones
        for window in config.windows:
            staff = next((s for s in free if set(s.all_departments) & set(window.departments)),
                         None)
            if staff is not None:
                free.remove(staff)
                self.windows.append((window.number, staff.login))
        self.tz = ZoneInfo(config.hall.timezone)
        self.clock = FixedClock(hall.clock.now())
        # Same rules, same database, a clock we can move: a second hall of the caller's kind.
        self.hall = type(hall)(hall.store.db, config, self.clock)
        self.rng = random.Random(seed)
        self.make = PeopleMaker(config, self.rng)
        self.tally = Tally()
        self.idle: set[tuple[int, str]] = set()  # windows waiting for a visitor to call
        self.outcomes = [(c, w) for c, (w, *_) in OUTCOMES.items() if config.outcome(c)]
        self.office = CaseOffice(self.hall, self.clock, seed)
        self.first_day = hall.today()  # the first earlier day, once the story has set it
        self.known: set[str] = set()  # ID numbers with a file: the desk reads their file
        self.regulars: set[str] = set()  # their first visit opens a case (立案交办)
        self.by_number: dict[str, Person] = {}  # the day's tickets' visitors
        self.serving: dict[int, str] = {}  # window -> the ticket number it called last
        self.about_case: set[str] = set()  # the day's tickets linked to an open case
        self.booked: set[str] = set()  # the day's tickets of booked visitors (checked in)
        self.filed: set[str] = set()  # regulars whose visit opened a case

    # -- a day ------------------------------------------------------------------------------------

    def day(self, begin: datetime, comers: list[tuple[Person, int, tuple[str, ...]]],
            stop: datetime | None, extra: tuple[tuple[datetime, str, Any], ...] = ()
            ) -> list[tuple[Person, IssuedTicket]]:
        """Arrivals from ``begin`` and the windows at work, until ``stop`` (None: day's end);
        ``extra`` events: ``(at, "checkin", (booking id, person))``, ``(at, "incident",
        scene)``."""
        closes = datetime.combine(begin.date(), CLOSES, self.tz)
        last = datetime.combine(begin.date(), LAST_ARRIVAL, self.tz)
        events: list[tuple[datetime, int, str, Any]] = []
        order = itertools.count()

        def later(at: datetime, kind: str, what: Any, minutes: float = 0) -> None:
            step = timedelta(seconds=round(minutes * 60))  # whole seconds, as a clock shows
            heapq.heappush(events, (at + step, next(order), kind, what))

        for at, comer in zip(self._arrivals(begin, min(stop or last, last), len(comers)),
                             comers, strict=True):
            later(at, "arrive", comer)
        for window in self.windows:
            later(begin, "call", window, self.rng.uniform(0, 6))
        for at, kind, what in extra:
            later(at, kind, what)
        issued: list[tuple[Person, IssuedTicket]] = []
        self.idle.clear()
        for per_day in (self.by_number, self.serving, self.about_case, self.booked):
            per_day.clear()
        while events:
            at, _, kind, what = heapq.heappop(events)
            if stop is not None and at > stop:
                break
            self.clock.set(at)
            if kind in ("arrive", "checkin"):
                ticket = self.issue(*what) if kind == "arrive" else self.check_in(*what)
                issued.append((what[0] if kind == "arrive" else what[1], ticket))
                self.by_number[ticket.number] = issued[-1][0]
                self.wake(ticket.department, later)
            elif kind.startswith("incident"):
                self.incident(kind, what, [t for _, t in issued], later)
            elif kind == "call" and at < closes:
                self.call(what, later)
            elif kind == "recall":
                self.recall(what, later)
            elif kind == "start":
                self.hall.windows.start_interview(what[0], what[1])
                later(at, "finish", what, self.rng.uniform(6, 22))
            elif kind == "finish":
                self.finish(what, later)
                later(at, "call", what, self.rng.uniform(0.5, 2))
        return issued

    def issue(self, person: Person, people: int, representatives: tuple[str, ...]
              ) -> IssuedTicket:
        """Register ``person`` now through the facade, by one of the desks."""
        form = Registration(
            name=person.name, id_number=person.id_number, category=person.category,
            matter=person.matter, phone=person.phone, address=person.address,
            district=person.district, request=person.request, people=people,
            representatives=list(representatives), priority=person.priority)
        desk = self.rng.choice(self.desks)
        if person.id_number in self.known:
            # The desk reads the file and links the visit to the open case it is about.
            file = self.hall.desk.visitor_file(person.id_number, viewer=desk)
            same = [c for c in file.open_cases if c.category == person.category] if file else []
            form.case_id = same[0].id if same else None
        self.known.add(person.id_number)
        ticket = self.hall.desk.issue(form, actor=desk)
        if representatives:
            self.tally.representatives[ticket.ticket_id] = len(representatives)
        if form.case_id is not None:
            self.tally.linked.add(ticket.ticket_id)
            self.about_case.add(ticket.number)
        return ticket

    def check_in(self, booking: int, person: Person) -> IssuedTicket:
        """A visitor booked for the leader's reception checks in at the desk."""
        self.known.add(person.id_number)
        self.tally.attended += 1
        ticket = self.hall.leaders.bookings.check_in(booking, actor=self.desks[0])
        self.booked.add(ticket.number)
        return ticket

    def incident(self, kind: str, what: Any, issued: list[IssuedTicket], later: Later) -> None:
        """An incident logged at the desk, its steps one after the other, closed by the
        manager (:mod:`hall.demo.incidents`)."""
        if kind == "incident":
            scene: incidents.Scene = what
            number = incidents.log(self.hall, scene, issued, self.desks[0])
            for minutes, action, result in scene.steps:
                later(self.clock.now(), "incident_step", (number, action, result), minutes)
            if scene.conclusion:
                later(self.clock.now(), "incident_close", (number, scene.conclusion),
                      scene.steps[-1][0] + 10 if scene.steps else 10)
        elif kind == "incident_step":
            number, action, result = what
            self.hall.incidents.act(number, action, self.desks[0], result=result)
        else:
            number, conclusion = what
            self.hall.incidents.close(number, conclusion, self.office.manager)

    def call(self, window: tuple[int, str], later: Later) -> None:
        """Call the next visitor; most come, some must be recalled, a few never come."""
        notice = self.hall.windows.call_next(*window)
        if notice is None:
            self.idle.add(window)  # until someone arrives for one of its departments
        elif self.rng.random() < 0.06:
            later(self.clock.now(), "recall", (window, 1), 2)
        else:
            later(self.clock.now(), "start", window, self.rng.uniform(0.5, 3))
        if notice is not None:
            self.serving[window[0]] = notice.number

    def wake(self, department: str, later: Later) -> None:
        """An idle window serving ``department`` calls soon."""
        for window in sorted(self.idle):
            if department in self.config.window(window[0]).departments:  # type: ignore[union-attr]
                self.idle.discard(window)
                later(self.clock.now(), "call", window, self.rng.uniform(0.3, 1.5))

    def recall(self, what: tuple[tuple[int, str], int], later: Later) -> None:
        """Recall twice (重呼), then mark a no-show (过号) as the call rules allow."""
        window, times = what
        if times <= self.config.calls.no_show_after_recalls:
            self.hall.windows.recall(*window)
            later(self.clock.now(), "recall", (window, times + 1), 2)
        else:
            self.hall.windows.no_show(*window)
            self.tally.acts["no_show"] += 1
            later(self.clock.now(), "call", window, 0.5)

    def finish(self, window: tuple[int, str], later: Later) -> None:
        """Finish with an outcome; general reception sends some visitors on (转办)."""
        number, actor = window
        served = set(self.config.window(number).departments)  # type: ignore[union-attr]
        closed = closed_departments(self.hall, self.hall.today())
        elsewhere = [d.code for d in self.config.departments if d.code not in served
                     and d.code in self._staffed_departments() and d.code not in closed]
        # The first visitor general reception finishes is always sent on, so a demo shows one.
        first = not self.tally.acts["transferred"]
        if "xfj" in served and elsewhere and (first or self.rng.random() < 0.12):
            to = self.rng.choice(elsewhere)
            name = self.config.department(to).name  # type: ignore[union-attr]
            self.hall.windows.transfer(number, to, actor, note=f"经初步接谈，属{name}职责，转办")
            self.tally.acts["transferred"] += 1
            self.wake(to, later)
            return
        code = self._outcome(self.serving.get(number, ""))
        _, note, reason, channel = OUTCOMES[code]
        if self.serving.get(number, "") in self.about_case:
            note = PROGRESS  # the visit is about its open case: told how far it is
        spec = self.config.outcome(code)
        unit = "属地区人民政府信访局" if spec is not None and spec.outside_unit else ""
        done = self.hall.windows.finish_visit(number, code, actor, note=note, reason=reason,
                                              channel=channel, unit=unit)
        person = self.by_number.get(done.number)
        if done.case is not None and person is not None and person.id_number in self.regulars:
            self.office.keep_open.add(done.case.case_id)  # they will be back about it
        self.tally.acts["finished"] += 1

    def _outcome(self, number: str) -> str:
        """The outcome of the visit with ticket ``number``: a visit about an open case is
        answered on its progress; a regular's first visit opens a case (they come back about
        it); the leader's room coordinates; the others as windows choose (:data:`OUTCOMES`)."""
        person = self.by_number.get(number)
        regular = person is not None and person.id_number in self.regulars - self.filed
        fixed = ("answered" if number in self.about_case else "filed" if regular
                 else "coordinate" if number in self.booked else "")
        if fixed and self.config.outcome(fixed):
            if fixed == "filed":
                self.filed.add(person.id_number)  # type: ignore[union-attr]
            return fixed
        codes, weights = zip(*self.outcomes, strict=True)
        return self.rng.choices(codes, weights)[0]

    def _staffed_departments(self) -> set[str]:
        return {d for n, _ in self.windows
                for d in self.config.window(n).departments}  # type: ignore[union-attr]

    def _arrivals(self, begin: datetime, end: datetime, count: int) -> list[datetime]:
        """``count`` arrival times between ``begin`` and ``end``, crowding early, in order."""
        span = max((end - begin).total_seconds() - count, 0)
        offsets = sorted(self.rng.triangular(0, span, span * 0.3) for _ in range(count))
        return [begin + timedelta(seconds=int(s) + i) for i, s in enumerate(offsets)]

    # -- the story --------------------------------------------------------------------------------
