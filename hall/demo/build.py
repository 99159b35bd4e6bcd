"""How the demo hall is built: one :class:`_Demo` drives the facade from event to event.

See :mod:`hall.demo` for what it makes. The demo's own :class:`Hall` (same database, same
configuration, a private :class:`FixedClock`) makes every act; the whole build is one transaction
of the caller's Store.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from hall.accounts.permissions import SCOPED, allowed
from hall.clock import FixedClock
from hall.demo.leaders import add_reception_days, closed_departments, plan_reception_days
from hall.demo.people import FILL, PeopleMaker, Person
from hall.desk.registration import Registration
from hall.errors import Refused
from hall.leaders.schedule import next_working_day
from hall.text.masking import mask_name
from hall.views import IssuedTicket
from models import Ticket, Visitor

if TYPE_CHECKING:
    from hall import Hall

SEED = 20261123
DEMO_PASSWORD = "demo-hall-2026"
"""Every account's password in a demo database (and only there: a real hall's accounts get
theirs from ``hall staff init`` and the administrator's one-time passwords)."""
OPENS, CLOSES, MIN_END, LAST_ARRIVAL = time(8, 30), time(17, 0), time(10, 30), time(16, 30)
HISTORY = (21, 8, 3, 2, 1)  # earlier days: this many working days before today
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


Later = Callable[..., None]
"""Schedules an event: ``later(at, kind, what, minutes=0)``."""


class DemoError(RuntimeError):
    """The demo cannot be built (the message says why, in Chinese)."""


@dataclass
class _Tally:
    """What the windows did, for the summary."""

    acts: Counter[str] = field(default_factory=Counter)
    representatives: dict[int, int] = field(default_factory=dict)  # ticket id -> named


class _Demo:
    """One build: the random source, a private clock and a Hall over the caller's database."""

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
        self.tally = _Tally()
        self.idle: set[tuple[int, str]] = set()  # windows waiting for a visitor to call
        self.outcomes = [(c, w) for c, (w, *_) in OUTCOMES.items() if config.outcome(c)]

    # -- a day ------------------------------------------------------------------------------------

    def day(self, begin: datetime, comers: list[tuple[Person, int, tuple[str, ...]]],
            stop: datetime | None) -> list[tuple[Person, IssuedTicket]]:
        """Arrivals from ``begin`` and the windows at work, until ``stop`` (None: day's end)."""
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
        issued = []
        self.idle.clear()
        while events:
            at, _, kind, what = heapq.heappop(events)
            if stop is not None and at > stop:
                break
            self.clock.set(at)
            if kind == "arrive":
                ticket = self.issue(*what)
                issued.append((what[0], ticket))
                self.wake(ticket.department, later)
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
        ticket = self.hall.desk.issue(form, actor=self.rng.choice(self.desks))
        if representatives:
            self.tally.representatives[ticket.ticket_id] = len(representatives)
        return ticket

    def call(self, window: tuple[int, str], later: Later) -> None:
        """Call the next visitor; most come, some must be recalled, a few never come."""
        if self.hall.windows.call_next(*window) is None:
            self.idle.add(window)  # until someone arrives for one of its departments
        elif self.rng.random() < 0.06:
            later(self.clock.now(), "recall", (window, 1), 2)
        else:
            later(self.clock.now(), "start", window, self.rng.uniform(0.5, 3))

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
        codes, weights = zip(*self.outcomes, strict=True)
        code = self.rng.choices(codes, weights)[0]
        _, note, reason, channel = OUTCOMES[code]
        spec = self.config.outcome(code)
        unit = "属地区人民政府信访局" if spec is not None and spec.outside_unit else ""
        self.hall.windows.finish(number, code, actor, note=note, reason=reason, channel=channel,
                                 unit=unit)
        self.tally.acts["finished"] += 1

    def _staffed_departments(self) -> set[str]:
        return {d for n, _ in self.windows
                for d in self.config.window(n).departments}  # type: ignore[union-attr]

    def _arrivals(self, begin: datetime, end: datetime, count: int) -> list[datetime]:
        """``count`` arrival times between ``begin`` and ``end``, crowding early, in order."""
        span = max((end - begin).total_seconds() - count, 0)
        offsets = sorted(self.rng.triangular(0, span, span * 0.3) for _ in range(count))
        return [begin + timedelta(seconds=int(s) + i) for i, s in enumerate(offsets)]

    # -- the story --------------------------------------------------------------------------------

    def history(self, today: date) -> tuple[int, list[Person]]:
        """Earlier working days; their visit count and the regulars who come back today."""
        regulars: list[Person] = []
        count = 0
        for index, back in enumerate(HISTORY):
            day = _working_day_before(today, back)
            self.make.open_day(day, closed_departments(self.hall, day))
            comers = [self.make.person(elderly=self.rng.random() < 0.15)
                      for _ in range(self.rng.randint(5, 9))]
            # The persistent ones come back on later days, with the same matter.
            comers += [p for p in regulars if self.rng.random() < 0.4]
            if index < 3:
                regulars += comers[:2]
            count += len(self.day(datetime.combine(day, OPENS, self.tz),
                                  [(p, 1, ()) for p in comers], None))
        return count, regulars

    def morning(self, today: date, end: datetime,
                regulars: list[Person]) -> list[tuple[Person, IssuedTicket]]:
        """Today: new and repeat visitors and the special cases, the windows at work."""
        make, rng, config = self.make, self.rng, self.config
        make.open_day(today, closed_departments(self.hall, today))
        self.tally.acts.clear()  # the summary counts today's acts
        comers = [(make.person(elderly=rng.random() < 0.15), 1, ())
                  for _ in range(rng.randint(34, 40))]
        comers += [(p, 1, ()) for p in regulars]  # every regular is back today ...
        if regulars:
            regulars[0].phone = make.phone()  # ... one of them with a new phone number
        if config.priority_group("disabled"):
            person = make.person(category="relief", sex="M", born=(1962, 1975))
            person.matter = "肢体残疾二级，残疾人两项补贴自今年起停发"
            person.request, person.priority = "请求恢复发放残疾人补贴", "disabled"
            comers.append((person, 1, ()))
        if config.priority_group("pregnant") and config.category("labour"):
            person = make.person(category="labour", sex="F", born=(1992, 1999))
            person.matter = "怀孕后被公司以调岗为由变相辞退"
            person.request, person.priority = "请求依法维护孕期劳动权益、支付赔偿金", "pregnant"
            comers.append((person, 1, ()))
        comers.append(self._collective())
        rng.shuffle(comers)
        return self.day(datetime.combine(today, OPENS, self.tz), comers, end)

    def _collective(self) -> tuple[Person, int, tuple[str, ...]]:
        """Builders owed their wages: 8 people, 3 representatives; the first registers."""
        rules = self.config.collective
        people = max(8, rules.threshold)
        category = "wages" if self.config.category("wages") else ""
        crew = [self.make.person(category=category, sex="M", born=(1965, 1990), away=True)
                for _ in range(min(3, rules.max_representatives))]
        lead = crew[0]
        if category:
            lead.matter = (f"{FILL['company'][0]}拖欠{FILL['project'][3]}项目{people}名"
                           f"农民工工资共186000元，多次讨要未果")
            lead.request = "请求督促施工单位和建设单位足额支付拖欠工资"
        return lead, people, tuple(f"{p.id_number},{p.name},{p.phone}" for p in crew)

    def summary(self, today: date, end: datetime, earlier: int,
                morning: list[tuple[Person, IssuedTicket]]) -> str:
        """What was built, in Chinese; names masked (the summary lands in terminals and logs)."""
        tickets = [t for _, t in morning]
        status = Counter(s for (s,) in Ticket.select(Ticket.status)
                         .where(Ticket.business_day == today).tuples())
        groups = Counter(t.priority_name for t in tickets if t.priority_name)
        acts = self.tally.acts
        lines = [f"演示大厅已生成：{self.config.hall.name}，{today.isoformat()} "
                 f"{OPENS:%H:%M}–{end.astimezone(self.tz):%H:%M}",
                 f"  今日登记 {len(tickets)} 批 {sum(t.people for t in tickets)} 人；"
                 f"此前 {len(HISTORY)} 个工作日来访 {earlier} 人次",
                 f"  窗口 {len(self.windows)} 个在岗：已办结 {status['done']}，"
                 f"接谈中 {status['serving'] + status['called']}，候谈 {status['waiting']}，"
                 f"过号 {status['no_show']}；今日转办 {acts['transferred']}"]
        lines += [f"  集体访：{t.number}，{t.people} 人，推选代表 "
                  f"{self.tally.representatives[t.ticket_id]} 名"
                  for t in tickets if t.ticket_id in self.tally.representatives]
        if groups:
            lines.append("  优先：" + "，".join(f"{g} {n} 人" for g, n in groups.items()))
        lines.append("  各部门今日取号：")
        for q in self.hall.board.queue_lengths():
            if q.issued:
                last = f"–{q.prefix}{q.issued:03d}" if q.issued > 1 else ""
                lines.append(f"    {q.department_name} {q.issued} 张（{q.prefix}001{last}），"
                             f"候谈 {q.waiting}")
        repeats = [f"{mask_name(p.name)}（{t.number}，第 {len(t.visits)} 次）"
                   for p, t in morning if t.repeat]
        lines.append(f"  重复访 {len(repeats)} 人：" + "、".join(repeats))
        alert = self.hall.cases.alert()
        lines.append(f"  案件：逾期 {alert.overdue} 件，即将到期 {alert.due_soon} 件"
                     "（--staff mgr01 cases 打开案件办理）")
        return "\n".join(lines)


def _working_day_before(day: date, n: int) -> date:
    """The n-th Monday-to-Friday before ``day`` (public holidays are not modelled here)."""
    while n:
        day -= timedelta(days=1)
        n -= day.weekday() < 5
    return day


def demo_day(hall: Hall) -> date:
    """The demo's day: today when it is a working day, else the next working day."""
    return next_working_day(hall.today())[0]


def demo_end(hall: Hall) -> datetime:
    """The demo's moment: 10:30 of its day (:func:`demo_day`), the hall busy and people waiting.

    Whatever the hour it is built at, the day stops at 10:30: a demo ending "now" in the
    afternoon had served everyone, and at night or on a Sunday the hall is closed. Open it with
    ``HALL_NOW`` set to that moment to see the morning live.
    """
    return datetime.combine(demo_day(hall), MIN_END, ZoneInfo(hall.config.hall.timezone))


def build_demo(hall: Hall, *, seed: int = SEED) -> str:
    """Fill ``hall``'s empty database with earlier days and a living morning; a Chinese summary.

    Raises :class:`DemoError` when the database already holds visitors (a demo never mixes with
    real files) or when the roster has no desk operator to register visitors.
    """
    demo = _Demo(hall, seed)
    now, today = hall.clock.now(), demo_day(hall)
    end = demo_end(hall)
    with hall.store.transaction():
        if Visitor.select().exists():
            raise DemoError("数据库中已有来访人档案：演示数据只能生成到空数据库，"
                            "请用 --db 指定一个新的数据库文件")
        accounts = _demo_passwords(hall)
        planned = plan_reception_days(demo.hall)
        earlier, regulars = demo.history(today)
        morning = demo.morning(today, end, regulars)
    demo.clock.set(max(now, end))
    # After the morning: its repeat visitors book (on the demo's day, which may be tomorrow).
    receptions = add_reception_days(demo.hall, morning)
    return "\n".join([demo.summary(today, end, earlier, morning), *accounts, *planned,
                      *receptions])


def _demo_passwords(hall: Hall) -> list[str]:
    """Every account gets :data:`DEMO_PASSWORD`, so a newcomer can sign in to every screen;
    summary lines (none when the accounts already had passwords: theirs stand)."""
    try:
        count = hall.accounts.demo_passwords(DEMO_PASSWORD)
    except Refused:
        return ["  账号已有密码，未设置演示密码"]
    return [f"  演示账号 {count} 个（desk01、win07、mgr01、admin …），密码均为 {DEMO_PASSWORD}"
            "（仅限本演示数据库，正式大厅请用 hall staff init 设置管理员）"]
