"""The one way a screen works with the database: a facade call in a thread worker, and a Message
back; and the one change-counter poller.

Calls (every screen, dialog and widget that reads or writes)::

    class DeskScreen(HallWork, Screen[None]):
        def action_issue(self) -> None:
            self.run_call("issue", self.hall_app.hall.desk.issue, form, actor=actor)

        def issue_done(self, ticket: IssuedTicket) -> None:      # on the UI thread
            ...
        def issue_failed(self, failure: Failed) -> None:         # optional
            ...                                                   # default: show_failure

:meth:`HallWork.run_call` runs ``fn(*args, **kwargs)`` in a thread worker, on that thread's
connection (``hall.connection()``), and posts :class:`Done` (with the result) or :class:`Failed`
(with the exception and its Chinese wording, :func:`failure_text`) to the caller. ``<name>_done``
receives the result; ``<name>_failed`` the :class:`Failed` message, and without one the failure
is shown as a notification (:meth:`HallWork.show_failure`). Nothing escapes the worker: every
failure reaches the user and the screen stays usable. With ``exclusive=True`` a newer call of the
same name supersedes an older one, whose result is dropped.

Polling (every screen that shows what other terminals change)::

    self.poller = Poller(self, read=lambda: hall.windows.view(n, viewer=staff),
                         topics=("tickets",))
    self.poller.start()                       # in on_mount
    def on_poller_changed(self, message: Poller.Changed) -> None: ...   # message.data
    def on_poller_trouble(self, message: Poller.Trouble) -> None: ...   # message.text ("" = ok)

Every :data:`POLL_SECONDS` (the board: :data:`BOARD_POLL_SECONDS`) a short thread worker (one at a
time per poller) reads the change counters of its ``topics`` and the business day on the thread's
connection (``hall.connection()``, a primary-key read); only when one moved (or :meth:`Poller.poll`
forces it, or ``reload_seconds`` passed) does it call ``read`` on the same connection and post
:class:`Poller.Changed`. A database that cannot be reached posts :class:`Poller.Trouble` once, keeps
the last picture and retries.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.dom import DOMNode
from textual.message import Message
from textual.timer import Timer
from textual.worker import get_current_worker

from hall.desk.registration import FormError
from hall.errors import DatabaseFault, NotAllowed, NotFound, Refused

if TYPE_CHECKING:
    from screens.app import HallApp

    _Node = DOMNode
else:
    _Node = object  # a plain mixin: Textual's CSS type names stay those of the screen

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0
"""How often a staff screen's poller reads its change counters (one primary-key read each): other
terminals' work shows within a second. Each poll is a thread and, on PostgreSQL today, a session, so
staff screens poll no faster than they need."""

BOARD_POLL_SECONDS = 0.25
"""The board's interval: it shows (and speaks) a call within a quarter of a second. The screens'
two intervals are set here and nowhere else."""


def failure_text(exc: BaseException) -> str:
    """The Chinese words for a failed call: the domain's own for a refusal (a rule, a missing
    record, an act the signed-in user may not do), else what broke."""
    if isinstance(exc, (Refused, NotFound, NotAllowed)):
        return str(exc)
    if isinstance(exc, FormError):
        return "；".join(exc.errors.values()) or str(exc)
    if isinstance(exc, DatabaseFault):  # unreachable, disk full, file damaged: what to do
        return f"操作失败，{exc}"
    return f"操作失败，数据库暂时无法使用：{type(exc).__name__}: {exc}"


def short_error(exc: BaseException) -> str:
    """The first line of an error, at most 60 characters (for a status line)."""
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:60]


class Done(Message, bubble=False):
    """A call of :meth:`HallWork.run_call` returned: ``name`` says which, ``result`` what."""

    def __init__(self, name: str, result: Any) -> None:
        super().__init__()
        self.name = name
        self.result = result


class Failed(Message, bubble=False):
    """A call of :meth:`HallWork.run_call` raised ``error``; ``text`` says it in Chinese.

    ``refused``: the hall said no (a rule, a missing record, a form error, not allowed: the
    signed-in user's role or department may not do it), not a breakdown.
    """

    def __init__(self, name: str, error: BaseException) -> None:
        super().__init__()
        self.name = name
        self.error = error
        self.text = failure_text(error)
        self.refused = isinstance(error, (Refused, NotFound, NotAllowed, FormError))


class HallWork(_Node):
    """Mixin for screens, dialogs and widgets: facade calls in thread workers, Done/Failed back."""

    def run_call(self, name: str, fn: Callable[..., Any], /, *args: Any, exclusive: bool = False,
                 **kwargs: Any) -> None:
        """Run ``fn(*args, **kwargs)`` in a thread worker; ``<name>_done`` gets the result."""
        self.run_worker(partial(self._call, name, fn, args, kwargs), thread=True,
                        group=f"call-{name}", exclusive=exclusive, exit_on_error=False)

    def _call(self, name: str, fn: Callable[..., Any], args: tuple[Any, ...],
              kwargs: dict[str, Any]) -> None:
        worker = get_current_worker()
        try:
            with cast("HallApp", self.app).hall.connection():
                message: Message = Done(name, fn(*args, **kwargs))
        except Exception as exc:  # every failure goes back to the screen, in words
            log.info("%s failed: %s", name, exc)
            message = Failed(name, exc)
        if not worker.is_cancelled:  # superseded by a newer call of the same name
            _post(self, message)

    def on_done(self, message: Done) -> None:
        message.stop()
        getattr(self, f"{message.name}_done")(message.result)

    def on_failed(self, message: Failed) -> None:
        message.stop()
        handler = getattr(self, f"{message.name}_failed", None)
        if handler is not None:
            handler(message)
        else:
            self.show_failure(message)

    def show_failure(self, failure: Failed, prefix: str = "",
                     breakdown: str | None = None) -> None:
        """A notification: a warning for a refusal, an error for a breakdown.

        ``prefix`` goes before the text; with ``breakdown`` a breakdown reads ``breakdown``
        followed by the error's type and words ("读取失败：OperationalError: …")."""
        text = prefix + failure.text
        if breakdown is not None and not failure.refused:
            text = f"{breakdown}{type(failure.error).__name__}: {failure.error}"
        self.app.notify(text, markup=False, severity="warning" if failure.refused else "error",
                        timeout=5 if failure.refused else 8)


def _post(node: DOMNode, message: Message) -> None:
    try:
        node.post_message(message)
    except RuntimeError:  # the event loop is gone: the app is closing
        pass


class Poller:
    """Watch change counters every ``seconds`` (:data:`POLL_SECONDS` unless told, the board
    :data:`BOARD_POLL_SECONDS`); post what changed to ``owner``."""

    class Changed(Message, bubble=False):
        """``read()`` after a change: ``data`` is what it returned, ``key`` what moved."""

        def __init__(self, poller: Poller, key: Hashable, data: Any) -> None:
            super().__init__()
            self.poller = poller
            self.key = key
            self.data = data

    class Trouble(Message, bubble=False):
        """The database cannot be read (``text``), or can again (``text`` empty)."""

        def __init__(self, poller: Poller, text: str, error: BaseException | None) -> None:
            super().__init__()
            self.poller = poller
            self.text = text
            self.error = error

    def __init__(self, owner: DOMNode, read: Callable[[], Any], topics: tuple[str, ...] = (),
                 key: Callable[[], Hashable] | None = None,
                 reload_seconds: float | None = None, name: str = "poll",
                 seconds: float = POLL_SECONDS) -> None:
        self.owner = owner
        self.seconds = seconds
        self.read = read
        self.topics = topics
        self.extra_key = key
        self.reload_seconds = reload_seconds
        self.name = name
        self._timer: Timer | None = None
        self._busy = threading.Lock()
        self._last: Hashable | None = None
        self._loaded_at = 0.0
        self._failing = False
        self._force = False

    @property
    def running(self) -> bool:
        return self._timer is not None

    def start(self) -> None:
        """Poll now and then every ``seconds`` (again after :meth:`stop`)."""
        if self._timer is None:
            self._timer = self.owner.set_interval(self.seconds, self.poll)
        self.poll(force=True)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def forget(self) -> None:
        """Take the next read as new even when nothing moved (after :meth:`stop`)."""
        self._last = None

    def poll(self, force: bool = False) -> None:
        """Look for changes in a thread; ``force`` reads even when nothing moved."""
        self._force = self._force or force
        if not self._busy.acquire(blocking=False):
            return  # the previous poll is still reading: it takes the force with it
        force, self._force = self._force, False
        try:
            self.owner.run_worker(partial(self._check, force), thread=True,
                                  group=f"poller-{self.name}", exit_on_error=False)
        except Exception:
            self._busy.release()
            raise

    def _key(self) -> Hashable:
        hall = cast("HallApp", self.owner.app).hall
        versions = tuple(hall.change_version(topic) for topic in self.topics)
        return versions, hall.today(), self.extra_key() if self.extra_key else None

    def _check(self, force: bool) -> None:
        hall = cast("HallApp", self.owner.app).hall
        started = time.monotonic()
        try:
            with hall.connection():
                key = self._key()
                if self._failing:  # readable again: say so before the fresh picture
                    self._failing = False
                    _post(self.owner, self.Trouble(self, "", None))
                stale = (self.reload_seconds is not None
                         and started - self._loaded_at >= self.reload_seconds)
                if force or stale or key != self._last:
                    _post(self.owner, self.Changed(self, key, self.read()))
                    self._last, self._loaded_at = key, started
        except Exception as exc:  # unreachable database: keep the picture, retry next time
            log.warning("%s failed: %s", self.name, exc)
            self._last = None
            if not self._failing:
                self._failing = True
                _post(self.owner, self.Trouble(self, short_error(exc), exc))
        finally:
            self._busy.release()
