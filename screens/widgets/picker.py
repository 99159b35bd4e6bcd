"""A one-line picker searchable by Chinese text, full pinyin or pinyin initials.

    picker = Picker([Choice("wages", "农民工工资", "拖欠工资、劳动报酬")], id="category")

The operator types into it ("nmg", "农民", "wages"); a drop-down under the field lists the
matching choices, best first. Enter (or Tab, or leaving the field) takes the highlighted one,
Up/Down move the highlight, Esc gives up and restores the previous choice. Clearing the text
clears the value. Posts :class:`Picker.Changed` whenever the value changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option


@dataclass(frozen=True)
class Choice:
    """One entry of a picker."""

    value: str
    label: str
    """What the field shows once chosen."""
    detail: str = ""
    """Shown dimmed beside the label in the drop-down (not searched)."""
    keys: tuple[str, ...] = ()
    """Extra texts the search looks at (codes, prefixes)."""


def filter_choices(choices: list[Choice], query: str) -> list[Choice]:
    """The choices matching ``query``, best first.

    Labels starting with the query (in characters, initials or pinyin) come first, then labels
    containing it, then matches on the other keys (codes); otherwise in configured order.
    """
    # pypinyin loads its dictionaries on import: keep it off the cold start.
    from hall.text.search import matches, search_keys

    q = query.strip().lower().replace(" ", "")
    if not q:
        return list(choices)

    def rank(choice: Choice) -> int:
        if any(key.startswith(q) for key in search_keys(choice.label)):
            return 0
        return 1 if matches(q, choice.label) else 2

    found = [c for c in choices if matches(q, c.label, *c.keys)]
    return sorted(found, key=rank)


class _DropDown(OptionList, can_focus=False):
    """The list under a picker; it never takes the focus, so typing goes on in the field."""


class Picker(Vertical):
    """A searchable choice field: an Input and a drop-down of matching choices."""

    DEFAULT_CSS = """
    Picker {
        height: auto;
        width: 1fr;
        & > Input { width: 1fr; }
        & > _DropDown {
            display: none;
            overlay: screen;
            constrain: none inside;
            width: 1fr;
            height: auto;
            max-height: 9;
            border: round $accent;
            background: $panel;
            padding: 0;
            & > .option-list--option { padding: 0 1; }
        }
        &.-open > _DropDown { display: block; }
    }
    """

    value: reactive[str] = reactive("", init=False)
    """The chosen value; "" for none."""

    class Changed(Message):
        """The picker's value changed."""

        def __init__(self, picker: Picker, value: str) -> None:
            super().__init__()
            self.picker = picker
            self.value = value

        @property
        def control(self) -> Picker:
            return self.picker

    def __init__(self, choices: list[Choice], *, placeholder: str = "",
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.choices = list(choices)
        self._by_value = {c.value: c for c in self.choices}
        self._shown: list[Choice] = []
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield Input(placeholder=self._placeholder, compact=True, id=f"{self.id}-input"
                    if self.id else None)
        yield _DropDown()

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def dropdown(self) -> OptionList:
        return self.query_one(_DropDown)

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def focus(self, scroll_visible: bool = True) -> Picker:
        self.input.focus(scroll_visible)
        return self

    def label_of(self, value: str) -> str:
        """The label shown for ``value`` ("" when none)."""
        choice = self._by_value.get(value)
        return choice.label if choice else ""

    def set_placeholder(self, text: str) -> None:
        """Change the text shown while the field is empty."""
        self.input.placeholder = text

    def choose(self, value: str) -> None:
        """Set the value (from code) and show its label."""
        value = value if value in self._by_value else ""
        self._close()
        self.input.value = self.label_of(value)
        if value != self.value:
            self.value = value

    def watch_value(self, value: str) -> None:
        self.post_message(self.Changed(self, value))

    # -- the drop-down -------------------------------------------------------------------------

    def _open(self, query: str) -> None:
        self._shown = filter_choices(self.choices, query)
        drop = self.dropdown
        drop.clear_options()
        drop.add_options([self._option(c) for c in self._shown])
        if self._shown:
            # Opened on the text as it is (↓ with nothing typed): the cursor starts on the
            # current choice, so Enter without moving keeps it.
            current = next((i for i, c in enumerate(self._shown) if c.value == self.value), 0)
            drop.highlighted = current if not query else 0
        self.add_class("-open")

    def _option(self, choice: Choice) -> Option:
        text = Text(choice.label, no_wrap=True, overflow="ellipsis")
        if choice.detail:
            text.append("  " + choice.detail, style="dim")
        return Option(text)

    def _close(self) -> None:
        self.remove_class("-open")

    def _highlighted(self) -> Choice | None:
        index = self.dropdown.highlighted
        if not self.is_open or index is None or not 0 <= index < len(self._shown):
            return None
        return self._shown[index]

    def _settle(self) -> bool:
        """Take the highlighted choice, clear, or restore; True when something was chosen."""
        text = self.input.value.strip()
        if text == self.label_of(self.value):
            # Nothing typed: the list was opened with ↓/↑ and the cursor is the choice (it
            # started on the current one).
            choice = self._highlighted()
            if choice is not None:
                self.choose(choice.value)
            self._close()
            return True
        if not text:
            self.choose("")
            return True
        choice = self._highlighted()
        if choice is None:
            self.choose(self.value)  # nothing matches: back to what it was
            return False
        self.choose(choice.value)
        return True

    # -- events --------------------------------------------------------------------------------

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if not self.input.has_focus or event.value == self.label_of(self.value):
            return
        self._open(event.value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        # Taking a choice lets the event bubble (the form moves on); no match keeps the focus.
        if self.is_open and not self._settle():
            event.stop()

    @on(events.DescendantBlur)
    def _left(self) -> None:
        if self.is_open or self.input.value.strip() != self.label_of(self.value):
            self._settle()

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self._shown):
            self.choose(self._shown[event.option_index].value)
            self.input.focus()

    @on(OptionList.OptionHighlighted)
    def _highlight(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()

    def on_key(self, event: events.Key) -> None:
        if event.key in ("down", "up"):
            event.stop()
            event.prevent_default()
            if not self.is_open:
                self._open("" if self.input.value == self.label_of(self.value)
                           else self.input.value)
            elif event.key == "down":
                self.dropdown.action_cursor_down()
            else:
                self.dropdown.action_cursor_up()
        elif event.key == "escape" and self.is_open:
            event.stop()
            event.prevent_default()
            self.choose(self.value)
