"""The free-text check (:mod:`hall.text.freetext`) against an oracle that is not its own code.

Whatever text :func:`clean` accepts holds none of the refused classes as the Unicode database
(``unicodedata``: general category, bidirectional class, character name) defines them, for any
text hypothesis can make, surrogates and C1 controls included; and :func:`shown` hands a terminal
none of them either. The entry points that use the check are tested in
test_freetext_entry_points.py.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from hall.text.freetext import TextProblem, clean, shown, shown_in

# The explicit direction formatting characters by their bidirectional class (UAX #9), and the
# three implicit marks by their names.
EXPLICIT_BIDI = {"LRE", "RLE", "PDF", "LRO", "RLO", "LRI", "RLI", "FSI", "PDI"}
MARKS = {"LEFT-TO-RIGHT MARK", "RIGHT-TO-LEFT MARK", "ARABIC LETTER MARK"}

TRICKY = ("\x00\x07\x08\t\n\x0b\x0c\r\x1b\x1c\x1f\x7f\x80\x85\x9b\x9c\xad\u034f\u061c\u115f"
          "\u180e\u200b\u200c\u200d\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e"
          "\u2060\u2066\u2067\u2068\u2069\u206a\u3000\u3164\ufeff\ufffd\ud800\udcff"
          "张三a1 [2J;m")
texts = st.text(st.one_of(st.characters(exclude_categories=()), st.sampled_from(TRICKY)),
                max_size=60)


def refused(ch: str, lines: bool) -> str | None:
    """Why the oracle refuses ``ch`` in stored or shown text, or None."""
    category = unicodedata.category(ch)
    if category == "Cc" and not (lines and ch == "\n"):
        return "control"
    if category == "Cs":
        return "surrogate"
    if unicodedata.bidirectional(ch) in EXPLICIT_BIDI:
        return "bidi"
    if unicodedata.name(ch, "") in MARKS:
        return "mark"
    return None


def visible(ch: str) -> bool:
    """Not a control, format, surrogate or separator (private-use and unassigned count: a rare
    character typed through a private-use font, or one newer than this Python's database)."""
    return unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Zs", "Zl", "Zp"}


@settings(max_examples=600, deadline=None)
@given(texts, st.booleans())
@example("\u200b\u200d\ufeff", False)
@example("a\x1b[2Jb", True)
@example("第一行\r\n第二行", True)
def test_accepted_text_holds_nothing_refused(raw: str, lines: bool) -> None:
    try:
        text = clean(raw, 40, lines=lines)
    except TextProblem as exc:
        assert str(exc) and all(refused(ch, False) is None for ch in str(exc))
        return
    assert [ch for ch in text if refused(ch, lines)] == []
    assert len(text) <= 40
    assert text == text.strip()
    assert text == "" or any(visible(ch) for ch in text), repr(text)
    assert clean(text, 40, lines=lines) == text  # cleaning again changes nothing


@settings(max_examples=600, deadline=None)
@given(texts, st.booleans())
def test_what_is_refused_is_refused_whatever_surrounds_it(raw: str, lines: bool) -> None:
    """The converse: text holding a refused character is never accepted (a tab and line breaks
    are whitespace, folded or kept, so they are not refused)."""
    bad = [ch for ch in raw if refused(ch, True) and ch not in "\t\r"]
    if not bad:
        return
    with pytest.raises(TextProblem):
        clean(raw, 10_000, lines=lines)


@settings(max_examples=600, deadline=None)
@given(texts, st.booleans())
def test_shown_hands_a_terminal_nothing_refused(raw: str, lines: bool) -> None:
    text = shown(raw, lines=lines)
    assert [ch for ch in text if refused(ch, lines)] == []
    assert len(text) == len(raw)  # one visible stand-in per character: nothing disappears


@pytest.mark.parametrize(("raw", "expected"), [
    ("a\x1b[2Jb", "a␛[2Jb"), ("x\x00y\x7f", "x␀y␡"), ("\u202egnp.exe", "\ufffdgnp.exe"),
    ("\x9b2J", "\ufffd2J"), ("正常", "正常"), ("一\n二", "一␊二"),
])
def test_shown_stand_ins(raw: str, expected: str) -> None:
    assert shown(raw) == expected


def test_shown_keeps_line_breaks_when_asked() -> None:
    assert shown("一\n二\x1b", lines=True) == "一\n二␛"


@dataclass(frozen=True)
class Inner:
    name: str
    count: int


@dataclass(frozen=True)
class Outer:
    title: str
    inner: tuple[Inner, ...]
    notes: list[str]


def test_shown_in_walks_views_and_returns_the_same_object_when_clean() -> None:
    clean_view = Outer("窗口", (Inner("张三", 1),), ["好"])
    assert shown_in(clean_view) is clean_view
    dirty = Outer("窗\x1b[2J口", (Inner("张三", 1), Inner("李\u202e四", 2)), ["\x07"])
    assert shown_in(dirty) == Outer("窗␛[2J口", (Inner("张三", 1), Inner("李\ufffd四", 2)), ["␇"])


@pytest.mark.parametrize(("raw", "limit", "message"), [
    ("字" * 33, 32, "最多32个字，现有33个"),
    ("a\x1bb", 32, "含有终端控制序列（ESC），请删除后重新输入"),
    ("a\x07b", 32, "含有不可见的控制字符（U+0007），请删除后重新输入"),
    ("a\u202eb", 32, "含有改变文字方向的控制字符（U+202E），请删除后重新输入"),
    ("\u200b\u3000\u200d", 32, "只有不可见的字符（如零宽空格），请填写实际内容"),
])
def test_messages_in_chinese(raw: str, limit: int, message: str) -> None:
    with pytest.raises(TextProblem) as raised:
        clean(raw, limit)
    assert str(raised.value) == message


def test_the_limit_counts_characters_after_folding_whitespace() -> None:
    assert clean(" " + "字" * 32 + "  ", 32) == "字" * 32
    assert clean("甲  \t 乙", 32) == "甲 乙"
