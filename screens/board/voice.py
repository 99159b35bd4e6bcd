"""The board's voice in a browser (``hall serve board``): the page speaks, not the server.

Under textual-serve the board runs on the server, which has no loudspeaker in the hall; the hall
hears the browser showing the board. :class:`BrowserVoice` stands in for
:class:`hall.board.speech.Speaker` there: :meth:`say` asks the page to speak the words
(``App.open_url("hall-speech:<words>")``; the page served by ``hall serve``,
:data:`cli.serve.PAGE`, turns such a URL into the browser's speech synthesis,
``speechSynthesis.speak`` in zh-CN, instead of opening a tab) and reports the words spoken after
the time a voice takes to read them (:func:`reading_seconds`), so the call stays large for as
long as it is heard, in turn, as with espeak-ng on a terminal. The browser tells the server
nothing back: a page with speech switched off is not noticed (the board then shows the calls
without sound, as a terminal board with no voice configured would flash them).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from urllib.parse import quote

from hall.board.speech import Spoken

__all__ = ["SCHEME", "BrowserVoice", "reading_seconds"]

SCHEME = "hall-speech:"
"""The URL scheme the page speaks instead of opening."""

SECONDS_PER_CHARACTER = 0.28
"""How long a zh-CN voice takes per character at its usual rate (请 R007 号到 5 号窗口: ~3 s)."""


def reading_seconds(text: str) -> float:
    """About how long a voice takes to read ``text`` aloud (at least one second)."""
    return max(1.0, SECONDS_PER_CHARACTER * len(text))


class BrowserVoice:
    """A speaker whose words the page speaks (the interface of
    :class:`~hall.board.speech.Speaker` the board uses: ``say``, ``pending``, ``close``)."""

    voice = True

    def __init__(self, open_url: Callable[[str], None], on_done: Callable[[Spoken], None],
                 seconds: Callable[[str], float] = reading_seconds) -> None:
        self.open_url = open_url
        self.on_done = on_done
        self.seconds = seconds
        self._timers: set[threading.Timer] = set()
        self._closed = False

    def say(self, text: str) -> bool:
        """Ask the page to speak ``text``; report it spoken once a voice would have read it."""
        if self._closed:
            return False
        self.open_url(SCHEME + quote(text, safe=""))
        timer = threading.Timer(self.seconds(text), self._done, (text,))
        timer.daemon = True
        self._timers.add(timer)
        timer.start()
        return True

    @property
    def pending(self) -> int:
        """Texts still being read."""
        return len(self._timers)

    def close(self, timeout: float = 0.0) -> None:
        """Stop: texts still being read are not reported."""
        self._closed = True
        for timer in list(self._timers):
            timer.cancel()
        self._timers.clear()

    def _done(self, text: str) -> None:
        self._timers.discard(threading.current_thread())  # type: ignore[arg-type]  # this Timer
        if not self._closed:
            self.on_done(Spoken(text, True))
