"""How the demo hall is built: one :class:`_Demo` tells the story with the engine of
:mod:`hall.demo.hallday`, which drives the facade from event to event.

See :mod:`hall.demo` for what it makes: the earlier days (:func:`history_days`), the case office
between them (:mod:`hall.demo.cases`), last month's reception and this month's
(:mod:`hall.demo.leaders`), the incidents (:mod:`hall.demo.incidents`), then the morning. The
demo's own :class:`Hall` (same database, same configuration, a private :class:`FixedClock`)
makes every act; the whole build is one transaction of the caller's Store.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from hall.demo import incidents
from hall.demo.hallday import DemoError, HallAtWork
from hall.demo.leaders import (
    BOOKED_CATEGORIES,
    add_reception_days,
    book_last_month,
    closed_departments,
    plan_reception_days,
)
from hall.demo.people import FILL, Person
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
OPENS, MIN_END = time(8, 30), time(10, 30)
OFFICE, EVENING = time(7, 50), time(17, 40)  # the case office's sessions (hall.demo.cases)
HISTORY = (21, 8, 3, 2, 1)  # earlier days: this many working days before today
OTHER_MATTERS = ("policy", "property", "relief")  # what earlier visitors come back about
STATS_LINE = "  统计：--staff mgr01 stats --period month 看本月，--period last-month 看上月"


class _Demo(HallAtWork):
    """One build: the story told with the engine (:class:`HallAtWork`)."""

    others: list[Person]  # earlier visitors who are not regulars

    def history(self, today: date) -> tuple[int, list[Person]]:
        """Earlier working days; their visit count and the regulars who come back today."""
        regulars: list[Person] = []
        self.others = []
        count = 0
        days = history_days(today)
        first = self.first_day = days[0]
        # A week before the first day, three visitors book last month's reception (two come).
        self.clock.set(datetime.combine(_working_day_before(first, 5), time(15), self.tz))
        bookers = [self.make.person(category=c) for c in BOOKED_CATEGORIES
                   if self.config.category(c)]
        bookings = book_last_month(self.hall, first, bookers)
        checkins = tuple((datetime.combine(first, time(9, 2 + 11 * i), self.tz), "checkin",
                          (booking, person))
                         for i, (booking, person) in enumerate(zip(bookings[:2], bookers,
                                                                   strict=False)))
        scenes = {0: "first", 1: "eight", len(days) - 1: "yesterday"}
        for index, day in enumerate(days):
            self.office_mornings(days[index - 1] if index else day, day, first)
            self.make.open_day(day, closed_departments(self.hall, day))
            comers = [self.make.person(elderly=self.rng.random() < 0.15)
                      for _ in range(self.rng.randint(7, 11))]
            # The persistent ones come back on later days, with the same matter.
            comers += [p for p in regulars if self.rng.random() < 0.4]
            if index < 3:
                regulars += comers[:2]
                self.regulars.update(p.id_number for p in comers[:2])
            self.others += [p for p in comers[2:] if p.id_number not in self.regulars]
            begin = datetime.combine(day, OPENS, self.tz)
            extra = self.scenes(begin, scenes.get(index, "")) + (checkins if index == 0 else ())
            count += len(self.day(begin, [(p, 1, ()) for p in comers], None, extra))
            # The day's new cases get their acceptance notice in the evening (some of them).
            evening = datetime.combine(day, EVENING, self.tz)
            self.office.session(max(evening, self.clock.now() + timedelta(minutes=5)), first,
                                evening=True)
        self.office_mornings(days[-1], today, first)
        return count, regulars

    def office_mornings(self, after: date, until: date, first: date) -> None:
        """The case office's morning sessions of the working days after ``after`` up to
        ``until`` (:mod:`hall.demo.cases`)."""
        day = after
        while day < until:
            day += timedelta(days=1)
            if day.weekday() < 5:
                self.office.session(datetime.combine(day, OFFICE, self.tz), first)

    def scenes(self, begin: datetime, which: str) -> tuple[tuple[datetime, str, Any], ...]:
        """The day's incidents as events of :meth:`day`."""
        return tuple((incidents.when(begin, s.at), "incident", s)
                     for s in incidents.scenes(self.hall, which))

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
        # Two earlier visitors are back about something else (重复访，其他事项).
        comers += [(make.again(p, OTHER_MATTERS), 1, ()) for p in self.others[:2]]
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
        begin = datetime.combine(today, OPENS, self.tz)
        return self.day(begin, comers, end, self.scenes(begin, "today"))

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
        same = sum(t.ticket_id in self.tally.linked for _, t in morning)
        lines.append(f"  重复访 {len(repeats)} 人（同一事项 {same} 人，已关联其未办结案件）："
                     + "、".join(repeats))
        alert = self.hall.cases.alert()
        lines.append(f"  案件：逾期 {alert.overdue} 件，即将到期 {alert.due_soon} 件"
                     "（--staff mgr01 cases 打开案件办理）")
        logged = self.hall.incidents.list()
        if logged:
            this, last = today.isoformat()[:7], _month_before(today).isoformat()[:7]
            still = sum(i.business_day == today.isoformat() and i.status == "open"
                        for i in logged)
            lines.append(f"  特殊情况：本月 {sum(i.business_day[:7] == this for i in logged)} 起，"
                         f"上月 {sum(i.business_day[:7] == last for i in logged)} 起"
                         + (f"，今日 {still} 起处置中" if still else ""))
        return "\n".join(lines)

    def last_month(self) -> list[str]:
        """Last month's reception day, held: a summary line."""
        return [f"  上月领导接待日：{day.date} {day.leader_label}，预约 {day.booked} 人，"
                f"到场 {self.tally.attended} 人"
                for day in self.hall.leaders.days(self.first_day, self.first_day)
                if day.status == "held"]


def history_days(today: date) -> list[date]:
    """The earlier days (:data:`HISTORY`), oldest first; the oldest is always in the month
    before ``today``'s (late in a month, 21 working days back is still in this one; early in
    one after a short month, it is two months back), so last month's statistics have a day."""
    days = [_working_day_before(today, back) for back in HISTORY]
    last = _month_before(today)
    if days[0] >= today.replace(day=1):
        days[0] = _working_day_before(today.replace(day=1), 8)
    elif days[0] < last:  # after a short month, two months back: last month's first
        days[0] = last
        while days[0].weekday() >= 5:
            days[0] += timedelta(days=1)
    return days


def _month_before(day: date) -> date:
    """The first day of the month before ``day``'s."""
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


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
    # After the morning: its regulars, back about their case, book (on the demo's day, which
    # may be tomorrow); not those back about something else.
    receptions = add_reception_days(demo.hall, [(p, t) for p, t in morning
                                                if p.id_number in demo.regulars])
    return "\n".join([demo.summary(today, end, earlier, morning), *accounts, *planned,
                      *demo.last_month(), *receptions, STATS_LINE])


def _demo_passwords(hall: Hall) -> list[str]:
    """Every account gets :data:`DEMO_PASSWORD`, so a newcomer can sign in to every screen;
    summary lines (none when the accounts already had passwords: theirs stand)."""
    try:
        count = hall.accounts.demo_passwords(DEMO_PASSWORD)
    except Refused:
        return ["  账号已有密码，未设置演示密码"]
    return [f"  演示账号 {count} 个（desk01、win07、mgr01、admin …），密码均为 {DEMO_PASSWORD}"
            "（仅限本演示数据库，正式大厅请用 hall staff init 设置管理员）"]
