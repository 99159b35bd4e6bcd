"""Form rows for the desk: a label on the left, the control, and its Chinese error beneath.

Every row owns two small labels, ``err-<field>`` (red, the validation message) and
``note-<field>`` (a hint such as the routing suggestion); both take no space while empty.
:class:`ChannelToggles` (其他渠道) and :class:`CasePicker` (同一事项) are the desk's own controls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, Label

from hall.text.idnumber import IdNumberError, parse_id_number
from hall.text.masking import mask_id_number
from screens.desk.banner import case_label
from screens.widgets.picker import Choice, Picker

if TYPE_CHECKING:
    from hall.cases.views import CaseSummary


def field_row(name: str, label: str, *controls: Widget, required: bool = False,
              classes: str = "") -> Horizontal:
    """A labelled row holding ``controls``, with its error and note labels."""
    mark = "[b $error]*[/]" if required else " "
    body = Vertical(*controls, Label(id=f"err-{name}", classes="field-error"),
                    Label(id=f"note-{name}", classes="field-note"), classes="field-body")
    return Horizontal(Label(f"{label}{mark}", classes="field-label"), body,
                      id=f"row-{name}", classes=f"field {classes}".strip())


def show_text(label: Label, text: str) -> None:
    """Put ``text`` in a note/error label; an empty one takes no space."""
    label.update(text)
    label.display = bool(text)


class RepresentativeInput(Input):
    """A representative's ID number: shown masked once entered and valid, in full while edited.

    The desk operator typed it and may correct it, but other people's full ID numbers are not
    left on the screen for anyone passing by.
    """

    class Checked(Message):
        """Left the field: ``error`` says what is wrong with the number ("" when valid or empty)."""

        def __init__(self, field: RepresentativeInput, error: str) -> None:
            super().__init__()
            self.field = field
            self.error = error

    def __init__(self, position: int, **kwargs: object) -> None:
        super().__init__(placeholder=f"第{position}位代表身份证号", compact=True,
                         id=f"rep-{position}", **kwargs)  # type: ignore[arg-type]
        self.position = position
        self._full = ""

    @property
    def id_value(self) -> str:
        """What was typed: the full ID number even while the mask is shown."""
        if self._full and self.value == mask_id_number(self._full):
            return self._full
        return self.value.strip()

    def reset(self) -> None:
        self._full = ""
        self.value = ""

    def _on_blur(self, event) -> None:  # type: ignore[no-untyped-def]
        super()._on_blur(event)
        if not self.value.strip() or self.value == mask_id_number(self._full):
            self.post_message(self.Checked(self, ""))
            return
        try:
            self._full = parse_id_number(self.value).value
        except IdNumberError as exc:
            self.post_message(self.Checked(self, exc.message))
            return
        self.value = mask_id_number(self._full)
        self.post_message(self.Checked(self, ""))

    def _on_focus(self, event) -> None:  # type: ignore[no-untyped-def]
        if self._full and self.value == mask_id_number(self._full):
            self.value = self._full
        super()._on_focus(event)


class RepresentativeRow(Horizontal):
    """One representative of a collective visit: ID number, name and phone on one line."""

    DEFAULT_CSS = """
    RepresentativeRow {
        height: auto;
        & > RepresentativeInput { width: 1fr; margin-bottom: 0; }
        & > .rep-name { width: 10; margin-left: 1; }
        & > .rep-phone { width: 14; margin-left: 1; }
    }
    """

    def __init__(self, position: int) -> None:
        super().__init__(id=f"reprow-{position}")
        self.position = position

    def compose(self) -> ComposeResult:
        yield RepresentativeInput(self.position)
        yield Input(placeholder="姓名", compact=True, max_length=32,
                    id=f"rep-name-{self.position}", classes="rep-name")
        yield Input(placeholder="电话", compact=True, max_length=20, restrict=r"[0-9\- ]*",
                    id=f"rep-phone-{self.position}", classes="rep-phone")

    @property
    def id_input(self) -> RepresentativeInput:
        return self.query_one(RepresentativeInput)

    @property
    def values(self) -> tuple[str, str, str]:
        """(ID number, name, phone) as typed, the ID in full even while masked."""
        return (self.id_input.id_value,
                self.query_one(f"#rep-name-{self.position}", Input).value.strip(),
                self.query_one(f"#rep-phone-{self.position}", Input).value.strip())

    @property
    def first_empty(self) -> Input:
        """The first of its fields still empty (the ID field when none is): where to go on."""
        return next((field for field, value in zip(self.query(Input).results(Input),
                                                   self.values, strict=True) if not value),
                    self.id_input)

    @property
    def filled(self) -> bool:
        return any(self.values)

    def reset(self) -> None:
        self.id_input.reset()
        for field in self.query(".rep-name, .rep-phone").results(Input):
            field.value = ""


class ChannelToggles(Widget, can_focus=True):
    """Other channels the matter went through (其他渠道), on one line: ``[x]来信 [ ]网上信访``.

    Digits 1-9 toggle the n-th channel, Space the highlighted one, ←/→ move, a click toggles
    the one clicked, Enter goes on to the next field. ``value`` is the chosen codes, in the
    configuration's order."""

    DEFAULT_CSS = """
    ChannelToggles {
        height: auto;
        width: 1fr;
        background: $surface;
        &:focus { background: $boost; background-tint: $accent 15%; }
    }
    """
    cursor: reactive[int] = reactive(0)

    class Changed(Message):
        """The chosen channels changed."""

        def __init__(self, toggles: ChannelToggles) -> None:
            super().__init__()
            self.toggles = toggles

    def __init__(self, channels: dict[str, str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.channels = dict(channels)
        self.chosen: set[str] = set()

    @property
    def value(self) -> tuple[str, ...]:
        return tuple(code for code in self.channels if code in self.chosen)

    def choose(self, codes: tuple[str, ...] | list[str] = ()) -> None:
        """Set the chosen codes (unknown ones are ignored)."""
        chosen = {code for code in codes if code in self.channels}
        if chosen != self.chosen:
            self.chosen = chosen
            self.refresh(layout=True)
            self.post_message(self.Changed(self))

    def render(self) -> Text:
        text = Text(no_wrap=False)
        for i, (code, name) in enumerate(self.channels.items()):
            if i:
                text.append(" ")
            style = "reverse" if self.has_focus and i == self.cursor else ""
            text.append(f"[{'x' if code in self.chosen else ' '}]{name}",
                        style=f"{style} bold" if code in self.chosen else style)
        return text

    def _spans(self) -> list[tuple[int, int]]:
        """Each channel's (start, end) cell on the (first) line, as rendered."""
        from rich.cells import cell_len

        spans, x = [], 0
        for name in self.channels.values():
            width = 3 + cell_len(name)
            spans.append((x, x + width))
            x += width + 1
        return spans

    def toggle(self, index: int) -> None:
        codes = list(self.channels)
        if 0 <= index < len(codes):
            self.cursor = index
            self.choose(list(self.chosen ^ {codes[index]}))

    def watch_cursor(self) -> None:
        self.refresh()

    def on_key(self, event: events.Key) -> None:
        # The control's own keys, as an Input's are (not bindings: nothing to remap).
        count = max(len(self.channels), 1)
        if event.character and event.character in "123456789":
            self.toggle(int(event.character) - 1)
        elif event.key == "space":
            self.toggle(self.cursor)
        elif event.key in ("left", "right"):
            self.cursor = (self.cursor + (1 if event.key == "right" else -1)) % count
        elif event.key == "enter":
            self.screen.focus_next()
        else:
            return
        event.stop()
        event.prevent_default()

    def on_click(self, event: events.Click) -> None:
        for index, (start, end) in enumerate(self._spans()):
            if event.y == 0 and start <= event.x < end:
                self.toggle(index)

    def _on_focus(self, event: events.Focus) -> None:
        super()._on_focus(event)
        self._hint(f"数字键 1–{min(len(self.channels), 9)} 或空格 勾选/取消，←→ 移动，"
                   "Enter 下一项")

    def _on_blur(self, event: events.Blur) -> None:
        super()._on_blur(event)
        self._hint("")

    def _hint(self, text: str) -> None:
        """The keys, under the row while it has the focus (its note label)."""
        self.refresh()
        if self.parent is not None:
            for note in self.parent.query(".field-note").results(Label):
                show_text(note, text)


class CasePicker(Picker):
    """The visitor's open cases to link a repeat visit to (同一事项); "" for another matter.

    Its choices come with the visitor's file (:meth:`offer`); the row is hidden when there are
    none, so the everyday path never passes it."""

    def offer(self, cases: tuple[CaseSummary, ...]) -> None:
        """Offer ``cases`` (none chosen); an empty tuple clears the list."""
        self.choices = [Choice(str(c.id), case_label(c), f"{c.category_name}：{c.matter}",
                               keys=(c.number, str(c.id))) for c in cases]
        self._by_value = {c.value: c for c in self.choices}
        self.choose("")
