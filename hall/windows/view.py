"""What a window's terminal shows: the visitor it serves (:class:`CurrentVisit`) and its queue.

Built by :meth:`hall.windows.Windows.view` for its viewer (:func:`viewed_visit`: confidential
earlier visits as 「保密事项」, the view audited once per call). The current visitor comes from
the ticket row; the ID
numbers of the visitor and the representatives are masked, the representatives' phones too (each
is one line, :func:`representative_line`), the rest is what the window needs from the
registration. The waiting list (:func:`waiting`) is read as plain rows by one prepared
statement, never as model objects: a window reloads it whenever any terminal changes a ticket, and
building a thousand peewee rows cost about 100 ms a reload.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from hall.accounts import visibility
from hall.clock import from_storage, to_storage
from hall.errors import NotAllowed, Refused
from hall.store import Store
from hall.text.masking import mask_id_number, mask_name, mask_phone
from hall.views import STATUS_LABELS, CurrentVisit, QueueEntry, VisitSummary, department_name
from models import Representative, Ticket
from models import statements as sql

if TYPE_CHECKING:
    from hall.accounts.actor import Actor
    from hall.cases.interviews import Interviews
    from hall.incidents.views import VisitorIncident

_MINUTE = timedelta(minutes=1)


def current_visit(store: Store, ticket: Ticket, *, no_show: tuple[bool, str],
                  history: Sequence[VisitSummary],
                  incidents: Sequence[VisitorIncident], recused: bool = False) -> CurrentVisit:
    """The window's current visitor; ``no_show`` says whether 过号 is allowed yet, and why not;
    ``recused``: the staff member looking has recused themselves from this visitor (回避)."""
    config = store.config
    visit: Any = ticket.visit
    person: Any = visit.visitor
    allowed, hint = no_show
    group = config.priority_group(visit.priority)
    district = config.district(visit.district)
    category = config.category(visit.category)
    age = None
    if person.birth_date:
        today = store.today()
        born = person.birth_date
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    reps = (Representative.select(Representative.id_number, Representative.name,
                                  Representative.phone)
            .where(Representative.visit == visit.id).order_by(Representative.position))
    return CurrentVisit(
        number=ticket.number, status=ticket.status,
        status_label=STATUS_LABELS.get(ticket.status, ticket.status),
        department=ticket.department,
        department_name=department_name(config, ticket.department),
        called_at=store.local(ticket.called_at).strftime("%H:%M") if ticket.called_at else "",
        recalls=ticket.recalls, no_show_allowed=allowed, no_show_hint=hint,
        name=person.name, sex={"M": "男", "F": "女"}.get(person.sex, ""), age=age,
        id_number_masked=mask_id_number(person.id_number), phone=person.phone,
        address=person.address, district_name=district.name if district else "",
        category_name=category.name if category else visit.category, matter=visit.matter,
        request=visit.request, people=visit.people,
        representatives=tuple(representative_line(r.name, r.phone, r.id_number) for r in reps),
        priority_name=group.name if group else "", repeat=visit.is_repeat,
        history=tuple(history), incidents=tuple(incidents), recused=recused)


def viewed_visit(store: Store, window: int, ticket: Ticket, actor: Actor, *,
                 no_show: tuple[bool, str], visits: Sequence[VisitSummary],
                 incidents: Sequence[VisitorIncident], recused: bool = False) -> CurrentVisit:
    """:func:`current_visit` as ``actor`` sees it, its view audited once per call (``recused``:
    the actor recused themselves from this visitor).

    ``visits`` are the visitor's recorded visits (unfiltered); the current one is left out and a
    confidential one outside the actor's department becomes 「保密事项」 and its date, which never
    makes the current visit a repeat visit. A confidential current visit shown to someone outside
    its department (a desk clerk asking for window 11): :class:`~hall.errors.NotAllowed`."""
    visit: Any = ticket.visit
    if not visibility.sees_details(actor, visibility.is_confidential(store.config,
                                                                     visit.category),
                                   visit.department):
        raise NotAllowed(f"无权限查看：{ticket.number} 为保密事项，仅承办部门和中心领导可查看")
    history = visibility.visits_for(actor, [v for v in visits if v.visit_id != visit.id])
    current = current_visit(store, ticket, no_show=no_show, history=history,
                            incidents=incidents, recused=recused)
    if current.repeat and not any(not v.masked for v in history):
        current = replace(current, repeat=False)  # stored before the rule: only 保密事项 earlier
    visibility.audit_view(store, actor.login, visit.visitor_id, history, since=ticket.called_at,
                          via="window", window=window, ticket=ticket.number)
    return current


def with_case(interviews: Interviews, current: CurrentVisit, visit_id: int,
              actor: Actor) -> CurrentVisit:
    """``current`` with its visit's id, the case it is about (its number, state, due date and
    the notes, reasons and channels of the case's earlier visits: 口径一致) and how many
    versions of its 接谈记录 were saved."""
    return replace(current, visit_id=visit_id, case=interviews.window_case(visit_id, actor),
                   interview_version=interviews.version_of(visit_id))


@dataclass(frozen=True)
class Revealed:
    """The current visitor's masked fields in full (:func:`reveal`): what the window's 「显示完整」
    key shows for a moment."""

    number: str
    id_number: str
    phone: str
    address: str
    representatives: tuple[str, ...]  # name, phone and ID number in full


def reveal(store: Store, window: int, ticket: Ticket | None, actor: Actor) -> Revealed:
    """The ID number, phone, address and representatives of a window's current visitor in full,
    for ``actor`` (permitted ``visitor.reveal`` at this window by
    :meth:`hall.windows.Windows.reveal`; a confidential matter only for its own department and
    managers: else :class:`~hall.errors.NotAllowed`); written to the audit log
    (``visitor.reveal``) before it is returned."""
    if ticket is None:
        raise Refused(f"{window} 号窗口当前没有来访人")
    visit: Any = ticket.visit
    if not visibility.sees_details(actor, visibility.is_confidential(store.config,
                                                                     visit.category),
                                   visit.department):
        raise NotAllowed(f"无权限查看：{ticket.number} 为保密事项，仅承办部门和中心领导可查看")
    person: Any = visit.visitor
    reps = (Representative.select(Representative.id_number, Representative.name,
                                  Representative.phone)
            .where(Representative.visit == visit.id).order_by(Representative.position))
    with store.transaction():
        store.audit(actor.login, visibility.REVEAL, "visitor", person.id, to_storage(store.now()),
                    {"window": window, "ticket": ticket.number})
    return Revealed(ticket.number, person.id_number, person.phone, person.address,
                    tuple(" ".join(x for x in (r.name, r.phone, r.id_number) if x)
                          for r in reps))


def representative_line(name: str, phone: str, id_number: str) -> str:
    """A collective visit's representative as the window sees them: 「代表甲 138****0001
    110105********002X」. The name as the window addresses them (as the visitor's own), the phone
    and ID number masked as the visitor's are; a representative recorded before names and phones
    were (schema v7) shows the masked ID number alone."""
    return " ".join(x for x in (name.strip(), mask_phone(phone), mask_id_number(id_number)) if x)


def waiting(store: Store, departments: Sequence[str],
            recused: frozenset[int] = frozenset()) -> tuple[QueueEntry, ...]:
    """Today's waiting tickets of a window's departments in call order, names masked; those of
    the visitors in ``recused`` (ids: the viewer's 回避) are marked."""
    config = store.config
    now, tz, day = store.now(), store.tz, store.today()
    stored_now, offset = to_storage(now), now.astimezone(tz).utcoffset()
    # Today's tickets were issued between the day's start and now: when the zone's offset is the
    # same at both ends (every day but a daylight-saving change), one offset fits every row.
    if datetime.combine(day, time(config.hall.rollover_hour), tz).utcoffset() != offset:
        offset = None
    threshold = config.collective.threshold
    names = {code: department_name(config, code) for code in departments}
    groups: dict[str, str] = {}
    out = []
    for number, department, issued, priority, repeat, people, name, visitor in sql.waiting_rows(
            store.db, day=day, departments=departments):
        if not isinstance(issued, datetime):  # SQLite hands times back as text
            issued = datetime.fromisoformat(issued)
        local = issued + offset if offset is not None else from_storage(issued, tz)
        group = groups.get(priority)
        if group is None:
            spec = config.priority_group(priority)
            group = groups[priority] = spec.name if spec else ""
        out.append(QueueEntry(
            number=number, department=department,
            department_name=names.get(department) or department_name(config, department),
            issued_at=f"{local.hour:02d}:{local.minute:02d}",
            waiting_minutes=max(0, (stored_now - issued) // _MINUTE),
            priority_name=group, repeat=bool(repeat), people=people,
            collective=people >= threshold, name_masked=mask_name(name),
            recused=visitor in recused))
    return tuple(out)
