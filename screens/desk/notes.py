"""What the desk shows beside the form: the visitor's file filled in, the route and priority notes,
the F12 context. A mixin of :class:`screens.desk.screen.DeskScreen` (its state lives there), kept
apart so the screen reads as the operator's path: ID, fields, F5.

The visitor's open cases (同一事项) come with the file, offered in their row (hidden when there
are none). One is picked for the operator only when it is the visitor's only open case and the
category and 事由 carried over from the last visit are the case's: the everyday path (ID, Enter,
F5) then links the visit to it, as it already registers the same matter; the banner says so
(重复访（同一事项）, the case's number, state and due date). Changing the category or the 事由 so
they are no longer the case's takes that pick back (the visit is about something else); with two
or more open cases nothing is picked: the operator chooses, or leaves it for another matter. A
pick the operator made stays until they change it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Input

from hall.desk.registration import priority_for
from hall.views import VisitorFile
from screens.desk.banner import VisitHistory, VisitorBanner
from screens.desk.queue import QueuePanel
from screens.widgets.picker import Picker

if TYPE_CHECKING:
    from screens.desk.screen import DeskScreen
    from screens.incidents.form import IncidentContext

    _Base = DeskScreen
else:
    _Base = object


class DeskNotes(_Base):
    """The file, the route and the priority as the desk shows them."""

    _case_auto = ""
    """The open case picked for the operator (its id), "" when none was (see the module)."""

    def _show_file(self, file: VisitorFile | None) -> None:
        assert self._person is not None
        today = self.hall_app.hall.today()
        self._file = file
        if file is None:
            self.query_one(VisitorBanner).new(self._person, today)
            self.query_one(VisitHistory).new(self._person, today)
            self.show_rename_note()
            return
        self.form.offer_cases(file.open_cases)
        self._show_banner()
        self.query_one(VisitHistory).repeat(self._person, file, today)
        values = {"name": file.name, "phone": file.phone, "address": file.address,
                  "district": file.district}
        last = file.last_visit
        if last is not None:
            # The most frequent visitor comes back about the same matter: the last visit's
            # category, district and 事由 are carried over, and selected when their field gets
            # the focus, so typing replaces them and F5 issues as they are.
            values.update(category=last.category, matter=last.matter,
                          district=last.district or file.district)
        for name, value in values.items():
            current = self._value(name)
            if value and (not current or current == self._prefilled.get(name)):
                self._set_value(name, value)
                self._prefilled[name] = value
        self.show_rename_note()  # a name typed before the file came
        only = file.open_cases[0] if len(file.open_cases) == 1 else None
        self._case_auto = ""
        if only is not None and self._same_matter(only.id):
            self._case_auto = str(only.id)
            self._set_value("case_id", self._case_auto)  # the banner follows (Picker.Changed)

    def _show_banner(self) -> None:
        """A known visitor's banner, with the open case picked (同一事项) if any."""
        if self._person is None or self._file is None:
            return
        # The history panel lists every visit on wide screens; tall narrow ones list a few here.
        history = 6 if self.size.height >= 36 and not self.has_class("-wide") else 1
        picked = self._value("case_id")
        case = next((c for c in self._file.open_cases if str(c.id) == picked), None)
        self.query_one(VisitorBanner).repeat(self._person, self._file, self.hall_app.hall.today(),
                                             history, case)

    def _same_matter(self, case_id: int) -> bool:
        """Whether the form's category and 事由 are the open case's."""
        case = next((c for c in self._file.open_cases if c.id == case_id), None) \
            if self._file is not None else None
        return case is not None and (case.category, case.matter) == (
            self._value("category"), self._value("matter"))

    def on_picker_changed(self, event: Picker.Changed) -> None:
        if event.picker.id == "case_id":
            self._error("case_id", "")
            self._show_banner()
        elif event.picker.id == "category":
            self._another_matter()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "matter":
            self._another_matter()

    def _another_matter(self) -> None:
        """Take back the case picked for the operator once the matter is no longer the case's."""
        if self._case_auto and self._value("case_id") == self._case_auto \
                and not self._same_matter(int(self._case_auto)):
            self._case_auto = ""
            self._set_value("case_id", "")

    def _forget_prefill(self) -> None:
        """Take back what a previous file filled in and nobody has edited since (and its cases)."""
        for name, value in self._prefilled.items():
            if self._value(name) == value:
                self._set_value(name, "")
        self._prefilled = {}
        self._case_auto = ""
        self.form.offer_cases(())

    def _update_route(self) -> None:
        hall = self.hall_app.hall
        category = self._value("category")
        self._suggested = hall.desk.suggest_department(category, self._value("district")) \
            if category else None
        if not self._override:
            self.query_one("#department", Picker).choose(self._suggested or "")
        self._show_route()

    def _show_route(self) -> None:
        config = self.hall_app.hall.config
        chosen = self._value("department")
        queue = self.query_one(QueuePanel)
        queue.selected = chosen

        def where(code: str) -> str:
            dept = config.department(code)
            windows = "、".join(w.title for w in config.windows_for(code))
            return f"{dept.name if dept else code}（{windows}）"

        note = ""
        if self._override and chosen:
            note = f"[b $warning]改派[/]：{where(chosen)}"
            if self._suggested:
                note += f"　[dim]原建议 {where(self._suggested)}[/]"
        elif chosen:
            waiting = queue.waiting(chosen)
            ahead = f"　[dim]候谈 {waiting} 人[/]" if waiting is not None else ""
            note = f"[$success]建议[/]：{where(chosen)}{ahead}"
        self.form.show_note("department", note)
        self.query_one("#row-department").set_class(self._override, "-override")

    def _show_priority(self) -> None:
        hall = self.hall_app.hall
        note = ""
        if self._person is not None:
            chosen = self._value("priority")
            group, _ = priority_for(hall.config, chosen, self._person, hall.today())
            if group and group != chosen:
                name = hall.config.priority_group(group).name  # type: ignore[union-attr]
                note = (f"[$success]按年龄自动：{name}[/]"
                        f"（{self._person.age_on(hall.today())}岁，优先候谈）")
        self.form.show_note("priority", note)

    def incident_context(self) -> IncidentContext:
        """F12 (special situation): the desk, and the visitor whose file is open."""
        from hall.text.masking import mask_name
        from screens.incidents.form import IncidentContext

        file = self._file
        if file is None:
            return IncidentContext(place="登记分流台")
        return IncidentContext(place="登记分流台", visitor_id=file.visitor_id,
                               visitor=mask_name(file.name))
