"""The visitor a window is serving, as its terminal shows them (:class:`CurrentVisit`).

Built by :meth:`hall.windows.Windows.view` from the ticket row; the ID numbers of the visitor and
the representatives are masked, the rest is what the window needs from the registration.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from hall.store import Store
from hall.text.masking import mask_id_number
from hall.views import STATUS_LABELS, CurrentVisit, VisitSummary, department_name
from models import Representative, Ticket

if TYPE_CHECKING:
    from hall.incidents.views import VisitorIncident


def current_visit(store: Store, ticket: Ticket, *, no_show: tuple[bool, str],
                  history: Sequence[VisitSummary],
                  incidents: Sequence[VisitorIncident]) -> CurrentVisit:
    """The window's current visitor; ``no_show`` says whether 过号 is allowed yet, and why not."""
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
    reps = (Representative.select(Representative.id_number)
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
        representatives=tuple(mask_id_number(r.id_number) for r in reps),
        priority_name=group.name if group else "", repeat=visit.is_repeat,
        history=tuple(history), incidents=tuple(incidents))
