"""The texts a window types with an act (note, reason, channel) and a typed ticket number."""

from __future__ import annotations

from hall.desk.registration import FormError
from hall.errors import NotFound
from hall.text import freetext

ACT_LABELS = {"note": "情况说明", "reason": "理由", "channel": "告知途径"}
"""The texts a window types with an act, by the key a :class:`FormError` names them."""
_ACT_TEXTS = {"note": (freetext.NOTE, True), "reason": (freetext.REASON, True),
              "channel": (freetext.LINE, False)}  # limit, and whether line breaks are kept


def act_text_errors(**texts: str) -> dict[str, str]:
    """What is wrong with a window act's texts (note, reason, channel), by key; empty when
    they can be stored. The dialogs show these beside their fields before they close."""
    return freetext.errors_of(_ACT_TEXTS, texts)


def act_texts(**texts: str) -> dict[str, str]:
    """The texts cleaned, or :class:`FormError` naming each field (nothing is written)."""
    return freetext.cleaned_or_raise(_ACT_TEXTS, texts, lambda e: FormError(e, ACT_LABELS))


def ticket_number(typed: str) -> str:
    """A typed ticket number, upper case; :class:`NotFound` when it holds a control character
    (no number does, and PostgreSQL refuses a NUL in a query)."""
    text = typed.strip().upper()
    if not text.isprintable():
        raise NotFound(f"今天没有票号 {freetext.shown(text)}")
    return text
