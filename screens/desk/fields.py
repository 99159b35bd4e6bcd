"""Form rows for the desk: a label on the left, the control, and its Chinese error beneath.

Every row owns two small labels, ``err-<field>`` (red, the validation message) and
``note-<field>`` (a hint such as the routing suggestion); both take no space while empty.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label

from hall.text.idnumber import IdNumberError, parse_id_number
from hall.text.masking import mask_id_number


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
