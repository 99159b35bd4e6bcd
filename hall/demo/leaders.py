"""Reception days in the demo hall (``hall demo``): the month planned, a reception today.

Called by :func:`hall.demo.build_demo` once the morning is built, through ``hall.leaders`` only:
the shipped rules are planned
for this month and the next and published, 李红 receives today (walk-ins welcome) with three of
the morning's repeat visitors booked for their own matter (check them in at the desk with F7),
and one visitor's matter is under a leader's 包案. Returns summary lines in Chinese, names
masked.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from hall.errors import Refused
from hall.text.masking import mask_name

if TYPE_CHECKING:
    from hall import Hall
    from hall.demo.people import Person
    from hall.views import IssuedTicket

MANAGER_ROLE = "manager"


def add_reception_days(hall: Hall, morning: list[tuple[Person, IssuedTicket]]) -> list[str]:
    """Plan, publish and book the demo's reception days; summary lines.

    ``morning`` is today's visitors with their tickets, in the order they came.
    """
    config = hall.config
    manager = next((s.login for s in config.staff if s.role == MANAGER_ROLE), None)
    desk = next((s.login for s in config.staff if s.role == "desk"), None)
    if not config.leaders or manager is None or desk is None:
        return []
    today = hall.today()
    following = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    planned = len(hall.leaders.plan.month(today.year, today.month, manager).created)
    planned += len(hall.leaders.plan.month(following.year, following.month, manager).created)
    published = len(hall.leaders.plan.publish_due(manager))
    lines = [f"  领导接待日：按规则生成 {planned} 个，发布 {published} 个"]
    leader = config.leader("lihong") or config.leaders[0]
    todays = [d for d in hall.leaders.days(today, today) if d.leader == leader.code]
    try:
        day = todays[0] if todays else hall.leaders.add_day(
            leader.code, today, "09:00", "11:30", 6, manager, topic="疑难信访事项",
            walk_ins=True)
    except Refused:
        return lines
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
        lines.append(f"  今日 {leader.label} 接待：{names} 已预约（在登记台按 F7 签到）")
    if repeats:
        person = repeats[-1]
        hall.leaders.take_case(person.id_number, leader.code, person.matter, manager)
        lines.append(f"  包案：{leader.label} 包案 {mask_name(person.name)} 的事项")
    return lines
