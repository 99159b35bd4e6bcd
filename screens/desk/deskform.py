"""The desk's registration form: its fields in order, and reading, filling and marking them.

:class:`DeskForm` lays the rows out (one line each at 80x24, framed on big terminals) and owns
the collective-visit rule of the form: from ``collective.threshold`` people on, representative
ID fields appear, one more as soon as the previous one is filled. The screen
(:mod:`screens.desk.screen`) decides what the values mean; this module only holds them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Input, Label

from hall.desk.registration import Registration, RepresentativeEntry
from hall.text.documents import DOCUMENT_TYPES, ID_CARD, DocumentType, document_type
from screens.desk.banner import VisitorBanner
from screens.desk.fields import (
    CasePicker,
    ChannelToggles,
    RepresentativeInput,
    RepresentativeRow,
    field_row,
    show_text,
)
from screens.widgets.picker import Choice, Picker

if TYPE_CHECKING:
    from hall.cases.views import CaseSummary
    from screens.app import HallApp

FIELD_ORDER = ("id_number", "name", "phone", "address", "district", "category", "matter",
               "case_id", "request", "other_channels", "earlier_opinion", "people",
               "representatives", "priority", "department")
"""Every field, top to bottom; the first invalid one gets the focus."""
TEXT_FIELDS = ("id_number", "name", "phone", "address", "matter", "request", "earlier_opinion")


class DeskForm(VerticalScroll):
    """The visitor banner and the registration fields."""

    document_type = ID_CARD
    """The identity document the number field reads (F3 changes it; 居民身份证 by default)."""

    def compose(self) -> ComposeResult:
        config = cast("HallApp", self.app).hall.config
        districts = [Choice(d.code, d.name, keys=(d.code,)) for d in config.districts]
        categories = [Choice(c.code, c.name, c.description, keys=(c.code,))
                      for c in config.categories]
        departments = [
            Choice(d.code, d.name, "、".join(w.title for w in config.windows_for(d.code)),
                   keys=(d.code, d.prefix)) for d in config.departments]
        priorities = [Choice(g.code, g.name, f"{g.min_age}岁及以上自动" if g.min_age else "",
                             keys=(g.code,)) for g in config.priority_groups]
        reps = [RepresentativeRow(i) for i in range(1, config.collective.max_representatives + 1)]
        yield VisitorBanner(id="banner")
        yield field_row("id_number", "身份证号", Input(
            id="id_number", compact=True, max_length=24, placeholder="18位，读卡或手输",
            restrict=r"[0-9xX０-９Ｘｘ ]*"), required=True)
        yield field_row("name", "姓名", Input(id="name", compact=True, max_length=32),
                        required=True)
        yield field_row("phone", "电话", Input(
            id="phone", compact=True, max_length=20, restrict=r"[0-9\- ]*",
            placeholder="手机或固定电话"))
        yield field_row("address", "住址", Input(id="address", compact=True))
        yield field_row("district", "属地", Picker(
            districts, id="district", placeholder="输入区县名或拼音首字母"))
        yield field_row("category", "诉求类别", Picker(
            categories, id="category", placeholder="输入类别或拼音首字母，↓ 全部"),
            required=True, classes="group")
        yield field_row("matter", "事由", Input(
            id="matter", compact=True, placeholder="一句话概括来访事由"), required=True)
        # The visitor's open cases, when the file has any (hidden otherwise: not on the way).
        yield field_row("case_id", "同一事项", CasePicker(
            [], id="case_id", placeholder="无（不同事项）；↓ 选择此人未结案件"))
        yield field_row("request", "具体诉求", Input(id="request", compact=True))
        yield field_row("other_channels", "其他渠道", ChannelToggles(
            config.cases.channels, id="other_channels"))
        yield field_row("earlier_opinion", "处理意见", Input(
            id="earlier_opinion", compact=True, placeholder="此前有处理意见的，一句话概括"))
        yield field_row("people", "人数", Input(
            "1", id="people", type="integer", compact=True, max_length=4))
        yield field_row("representatives", "代表", *reps)
        yield field_row("priority", "优先类别", Picker(
            priorities, id="priority", placeholder="无"), classes="group")
        yield field_row("department", "接待部门", Picker(
            departments, id="department", placeholder="选择诉求类别后自动建议"))

    def on_mount(self) -> None:
        for label in self.query(".field-error, .field-note"):
            label.display = False
        self.query_one("#row-representatives").display = False
        self.query_one("#row-case_id").display = False

    # -- values --------------------------------------------------------------------------------

    def value(self, name: str) -> str:
        """A field's value: the text typed (stripped), a picker's code, or the channels' codes
        joined by commas."""
        widget = self.query_one(f"#{name}")
        if isinstance(widget, Picker):
            return widget.value
        if isinstance(widget, ChannelToggles):
            return ",".join(widget.value)
        return cast(Input, widget).value.strip()

    def set_value(self, name: str, value: str) -> None:
        widget = self.query_one(f"#{name}")
        if isinstance(widget, Picker):
            widget.choose(value)
        elif isinstance(widget, ChannelToggles):
            widget.choose(value.split(",") if value else [])
        else:
            cast(Input, widget).value = value

    @property
    def filled(self) -> bool:
        """Whether anything was typed or chosen (the people count left at 1 is not)."""
        return (any(self.value(name) for name in TEXT_FIELDS)
                or self.value("people") not in ("", "1")
                or any(picker.value for picker in self.query(Picker).results())
                or bool(self.value("other_channels"))
                or any(rep.id_value for rep in self.query(RepresentativeInput).results()))

    @property
    def collective(self) -> bool:
        """Whether the people count makes this a collective visit."""
        people = self.value("people")
        return people.isdigit() and int(people) >= self._rules.threshold

    def registration(self, department: str) -> Registration:
        """The form as typed; ``department`` is the operator's override ("" follows routing)."""
        reps = [RepresentativeEntry(*row.values) for row in self.query(RepresentativeRow).results()
                if row.filled] if self.collective else []
        v = self.value
        return Registration(
            name=v("name"), id_number=v("id_number"), category=v("category"),
            matter=v("matter"), phone=v("phone"), address=v("address"),
            district=v("district"), request=v("request"), people=v("people"),
            representatives=list(reps), priority=v("priority"),
            department=department, document_type=self.document_type,
            other_channels=v("other_channels"), earlier_opinion=v("earlier_opinion"),
            case_id=int(v("case_id")) if v("case_id") else None)

    def offer_cases(self, cases: tuple[CaseSummary, ...]) -> None:
        """The visitor's open cases to pick from (none chosen); the row shows only with some."""
        self.query_one("#case_id", CasePicker).offer(cases)
        self.query_one("#row-case_id").display = bool(cases)

    def set_document_type(self, code: str) -> DocumentType:
        """Read numbers of another document type: the field's label, hint and keys follow."""
        spec = document_type(code) or DOCUMENT_TYPES[0]
        self.document_type = spec.code
        field = self.query_one("#id_number", Input)
        field.restrict = spec.allowed
        field.placeholder = spec.placeholder + ("" if spec.code == ID_CARD else "（F3 换证件）")
        self.query_one("#row-id_number .field-label", Label).update(f"{spec.short}[b $error]*[/]")
        return spec

    def next_document_type(self) -> DocumentType:
        """The next type in :data:`DOCUMENT_TYPES`, round to 居民身份证 again."""
        codes = [t.code for t in DOCUMENT_TYPES]
        return self.set_document_type(codes[(codes.index(self.document_type) + 1) % len(codes)])

    def clear(self) -> None:
        """Every field empty (people 1), no messages, scrolled to the top."""
        if self.document_type != ID_CARD:
            self.set_document_type(ID_CARD)  # the next visitor: the usual card again
        for name in TEXT_FIELDS:
            self.set_value(name, "")
        self.set_value("people", "1")
        for picker in self.query(Picker).results():
            picker.choose("")
        self.offer_cases(())
        self.set_value("other_channels", "")
        for row in self.query(RepresentativeRow).results():
            row.reset()
        for name in FIELD_ORDER:
            self.show_error(name, "")
        self.scroll_home(animate=False)

    # -- messages and focus --------------------------------------------------------------------

    def show_error(self, name: str, text: str) -> None:
        """Show (or with "" clear) the Chinese message under a field."""
        if name in FIELD_ORDER:
            show_text(self.query_one(f"#err-{name}", Label), text)
            self.query_one(f"#row-{name}").set_class(bool(text), "-invalid")

    def show_note(self, name: str, text: str) -> None:
        """Show (or with "" clear) the hint under a field."""
        show_text(self.query_one(f"#note-{name}", Label), text)

    @property
    def has_errors(self) -> bool:
        return bool(self.query(".field.-invalid"))

    def focus_field(self, name: str) -> None:
        """Focus a field (the first visible representative for "representatives")."""
        if not self.query_one(f"#row-{name}").display:
            return  # a hidden row (no open cases) cannot be where the operator is sent
        target: Widget = self.query_one(f"#{name}") if name != "representatives" else next(
            r.first_empty for r in self.query(RepresentativeRow).results() if r.display)
        # At once, not through Widget.focus() (which waits its turn in the app's queue, behind keys
        # already typed): the next key must find the field the operator's sequence sends it to.
        self.screen.set_focus(target.input if isinstance(target, Picker) else target)
        self.query_one(f"#row-{name}").scroll_visible(animate=False)

    @staticmethod
    def field_of(widget: Widget) -> str:
        """The name of the field a widget belongs to, or ""."""
        for node in widget.ancestors_with_self:
            if node.id and node.id.startswith("row-"):
                return node.id.removeprefix("row-")
        return ""

    # -- collective visits ---------------------------------------------------------------------

    @property
    def _rules(self):  # type: ignore[no-untyped-def]
        return cast("HallApp", self.app).hall.config.collective

    @on(Input.Changed, "#people")
    def _people_changed(self) -> None:
        collective = self.collective
        self.query_one("#row-representatives").display = collective
        self.show_note("people", f"[$warning]集体访[/]：须推选1至{self._rules.max_representatives}"
                       "名代表" if collective else "")
        self._reveal_representatives()

    @on(RepresentativeInput.Checked)
    def _representative_checked(self, event: RepresentativeInput.Checked) -> None:
        message = f"第{event.field.position}位代表的{event.error}" if event.error else ""
        self.show_error("representatives", message)

    @on(Input.Changed, "RepresentativeRow Input")
    def _representative_typed(self) -> None:
        self._reveal_representatives()

    def _reveal_representatives(self) -> None:
        rows = list(self.query(RepresentativeRow).results())
        for before, row in zip([None, *rows], rows, strict=False):
            row.display = before is None or before.filled or row.filled
