"""Find a department or category by Chinese text, full pinyin or pinyin initials.

    matches("fd", "房地产")  -> True     # initials
    matches("zhujian", "住建局") -> True # full pinyin
    matches("住建", "市住建局") -> True   # plain text
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=4096)
def search_keys(text: str) -> tuple[str, str, str]:
    """(text lower-cased, pinyin initials, full pinyin) of ``text``."""
    syllables = lazy_pinyin(text, errors="default")
    initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default"))
    return text.lower(), initials.lower(), "".join(syllables).lower()


def matches(query: str, *texts: str) -> bool:
    """True when ``query`` occurs in any of ``texts``, their pinyin initials or full pinyin."""
    q = query.strip().lower().replace(" ", "")
    if not q:
        return True
    return any(q in key for text in texts for key in search_keys(text))
