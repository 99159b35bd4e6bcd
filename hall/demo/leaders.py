"""Reception days in the demo hall (``hall demo``): the month planned, a reception today.

Called by :func:`hall.demo.build_demo`, through ``hall.leaders`` only. Last month: a week before
the demo's first earlier day, 李红 (or the first leader) is given a reception on that day and
three visitors book it at the desk; two of them come and check in (the day is held), one does
not (:func:`book_last_month`). This month: before the visitors come,
the shipped rules are planned for this month and the next and published (the lawyer seat takes
legal questions only on its days); once the morning is built, 李红 receives today (walk-ins
welcome), or the leader a rule already puts in the room today, with three of the morning's
repeat visitors booked for their own matter (check them in at the desk with F7), and one
visitor's matter is under a leader's 包案. Returns summary lines in Chinese, names masked.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from hall.desk.registration import FormError, Registration
from hall.errors import Refused
from hall.text.masking import mask_name

if TYPE_CHECKING:
    from hall import Hall
    from hall.demo.people import Person
    from hall.views import IssuedTicket

MANAGER_ROLE = "manager"


def plan_reception_days(hall: Hall) -> list[str]:
    """Plan this month's and the next month's days by the shipped rules and publish the near ones,
    before the visitors come: the lawyer seat and the leader's room take tickets only on their
    days (``leader_settings.closed_without_day``). Summary lines."""
    config = hall.config
    manager = next((s.login for s in config.staff if s.role == MANAGER_ROLE), None)
    if not config.leaders or manager is None:
        return []
    today = hall.today()
    following = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    planned = len(hall.leaders.plan.month(today.year, today.month, manager).created)
    planned += len(hall.leaders.plan.month(following.year, following.month, manager).created)
    published = len(hall.leaders.plan.publish_due(manager))
    return [f"  领导接待日：按规则生成 {planned} 个，发布 {published} 个"]


BOOKED_CATEGORIES = ("wages", "demolition", "land_contract")
"""What last month's bookers came about (those configured)."""


def book_last_month(hall: Hall, day: date, bookers: list[Person]) -> list[int]:
    """A reception on ``day`` (in the past of the demo's day, the hall's clock now before it),
    booked by ``bookers``, new visitors, through the desk (the booking opens their file); the
    bookings' ids (none when the roster has no leader, manager or desk, or the day cannot be
    added)."""
    config = hall.config
    manager = next((s.login for s in config.staff if s.role == MANAGER_ROLE), None)
    desk = next((s.login for s in config.staff if s.role == "desk"), None)
    if not config.leaders or manager is None or desk is None:
        return []
    leader = config.leader("lihong") or config.leaders[0]
    try:
        added = hall.leaders.add_day(leader.code, day, "09:00", "11:30", 6, manager,
                                     topic="农民工工资和征收补偿问题")
        if added.status == "planned":
            added = hall.leaders.plan.publish_day(added.id, manager)
    except (Refused, FormError):
        return []
    booked = []
    for person in bookers:
        form = Registration(name=person.name, id_number=person.id_number,
                            category=person.category,
                            matter=person.matter, phone=person.phone, address=person.address,
                            district=person.district, request=person.request)
        booked.append(hall.leaders.bookings.book_form(added.id, form, desk).booking.id)
    return booked


def closed_departments(hall: Hall, day: date) -> set[str]:
    """The reception departments that take no walk-in on ``day`` (no open day with walk-ins)."""
    open_ = {d.department for d in hall.leaders.days(day, day)
             if d.walk_ins and d.status in ("published", "held")}
    return set(hall.config.leader_settings.closed_without_day) - open_


def add_reception_days(hall: Hall, morning: list[tuple[Person, IssuedTicket]]) -> list[str]:
    """Today's reception in the leader's room, booked by the morning's repeat visitors, and a
    包案; summary lines.

    ``morning`` is today's visitors with their tickets, in the order they came. When a rule
    already puts a leader in the room today, that reception is the one booked: a second one at
    the same time in the same room would be refused (and rightly).
    """
    config = hall.config
    manager = next((s.login for s in config.staff if s.role == MANAGER_ROLE), None)
    desk = next((s.login for s in config.staff if s.role == "desk"), None)
    if not config.leaders or manager is None or desk is None:
        return []
    today = hall.today()
    leader = config.leader("lihong") or config.leaders[0]
    todays = [d for d in hall.leaders.days(today, today)
              if d.department == leader.department and d.status in ("published", "held")]
    try:
        day = todays[0] if todays else hall.leaders.add_day(
            leader.code, today, "09:00", "11:30", 6, manager, topic="疑难信访事项",
            walk_ins=True)
    except (Refused, FormError):
        return []
    lines = []
    # The morning's repeat visitors book, for the matter they keep coming back with.
    repeats = [person for person, ticket in morning if ticket.repeat][:3]
    booked = []
    for person in repeats:
        try:
            booked.append(hall.leaders.bookings.book(
                day.id, person.id_number, desk, matter=person.matter,
                category=person.category).booking)
        except Refused:
            continue
    if booked:
        names = "、".join(b.name_masked for b in booked)
        lines.append(f"  今日 {day.leader_label} 接待：{names} 已预约（在登记台按 F7 签到）")
    if repeats:
        person = repeats[-1]
        hall.leaders.take_case(person.id_number, day.leader, person.matter, manager)
        lines.append(f"  包案：{day.leader_label} 包案 {mask_name(person.name)} 的事项")
    return lines
