"""Keys in the order they were typed, at any speed (the app's part of it).

Textual hands each key to the widget focused *when the app reads the key* and lets that widget
handle it later, in its own queue. At a card reader's speed (a whole ID and Enter in one burst) the
next keys are handed out before the Enter has moved the focus, so they land in the field just
left; and a priority key such as F5 runs before the field has taken the characters typed just
before it. Both were seen at the desk: 类别 typed into the ID field, 姓名 "王五13800000",
"必须填写" under a filled field.

:class:`KeyOrder` (a mixin of the app) makes the app wait, before it hands out a key, until the
focused widget and its parents up to the screen have handled everything they were given (their
queues are drained, including the messages those keys posted, such as an Enter's ``Submitted`` that
moves the focus, and what they left in the app's own queue: callbacks, and messages bubbling up to
an app that handles them itself), and until the screen lets go of
any hold it asked for with :meth:`KeyOrder.hold_keys` (the desk holds keys while a visitor's file,
looked up on Enter, is still on its way, so the focus lands where the file says). Keys wait in the
app's own queue, so their order never changes. Each wait is bounded: a widget that stays busy or a
hold nobody releases delays a key by at most :data:`DRAIN_SECONDS` / :data:`HOLD_SECONDS`, never
loses it.

Where "handled" is looked for: each widget's queue, and the one message its pump has already taken
off that queue to look at next (Textual peeks at the next message while it handles one, to merge
the two when it can). That look-ahead was the last gap, seen only in a real terminal: a digit that
reached the app just before the Enter coming back from the name field was taken with the Enter
already held aside behind it, where a search of the queue did not see it; the digit went to 姓名
("李秀1") after the two seconds' wait, and the Enter moved the focus only then.
"""

from __future__ import annotations

import asyncio
import time

from textual import events
from textual.app import App
from textual.message import Message
from textual.message_pump import MessagePump
from textual.widget import Widget

DRAIN_SECONDS = 2.0
"""At most this long for the focused widgets to handle what they were given before the next key."""

HOLD_SECONDS = 3.0
"""At most this long for a screen's hold (e.g. the desk's file lookup) before keys flow again."""


def _busy(node: MessagePump) -> bool:
    """Whether ``node`` still has something to handle: a message in its queue, the one it has
    already taken off its queue to look at next (``_pending_message``: the pump peeks at the next
    message while it handles one, to merge the two when it can), or a callback left for after the
    message it is handling."""
    return (node._message_queue.qsize() > 0 or node._pending_message is not None
            or bool(node._next_callbacks))


def _earlier(item: object) -> bool:
    """An item of the app's queue that an earlier key left: the key itself back unhandled, a
    callback it scheduled, or a control's message bubbling up to the app (an Enter's ``Submitted``
    when the app is the one that moves the focus). Keys as typed are never earlier work."""
    if isinstance(item, events.Event):
        return (isinstance(item, events.Key) and item.is_forwarded) or isinstance(
            item, events.Callback)
    return isinstance(item, Message) and item.bubble and isinstance(item.control, Widget)


class KeyOrder(App):  # type: ignore[type-arg]
    """Hand out each key only once the previous ones have been handled where they went."""

    _key_hold_until: float = 0.0
    _key_in_flight: events.Key | None = None

    def hold_keys(self, seconds: float = HOLD_SECONDS) -> None:
        """Keep the next keys waiting (in order) until :meth:`release_keys`, at most ``seconds``."""
        self._key_hold_until = time.monotonic() + seconds

    def release_keys(self) -> None:
        """Let waiting keys go on to the focused widget."""
        self._key_hold_until = 0.0

    def _chain_busy(self) -> bool:
        try:
            screen = self.screen
            node: MessagePump | None = self.focused or screen
        except Exception:  # no screen yet (starting) or any more (closing): nothing to wait for
            return False
        while node is not None and node is not self:
            if _busy(node):
                return True
            if node is screen:
                break
            node = node._parent
        return False

    def _take_earlier_work(self) -> Message | None:
        """What earlier keys left in the app's own queue, to run before the next key: a key that
        came back unhandled (Enter: the field's or the screen's binding is still to run), a
        callback they scheduled (``Widget.focus()``, a dismissed dialog's result), or a control's
        message on its way up to the app."""
        # The pump's next message may already be off its queue: taken to be looked at next while
        # the app handled the key now waiting here. A key that came back in that moment is there.
        pending = self._pending_message
        if pending is not None and _earlier(pending):
            self._pending_message = None
            return pending
        queue = self._message_queue  # Textual's own queue: a deque of messages and an event
        for item in queue.values:
            if _earlier(item):
                queue.values.remove(item)
                if not queue.values:
                    queue.ready_event.clear()
                return item
        return None

    async def _keys_settled(self) -> None:
        drain_until = time.monotonic() + DRAIN_SECONDS
        while True:
            if not self._chain_busy() and time.monotonic() < max(drain_until,
                                                                  self._key_hold_until):
                # A key the focused widget did not take (Enter: the field's binding submits it)
                # comes back to the app behind the keys typed after it; its binding runs first.
                earlier = self._take_earlier_work()
                if earlier is not None:
                    await self._dispatch_message(earlier)
                    continue
            now = time.monotonic()
            if now < self._key_hold_until or (now < drain_until and (
                    self._in_flight() or self._chain_busy())):
                await asyncio.sleep(0.001)
                continue
            # Idle as far as the queues show: give a message being handled right now (it is off
            # its queue) a moment to post what it posts, then look once more.
            for _ in range(3):
                await asyncio.sleep(0)
            if time.monotonic() >= drain_until or not (
                    self._chain_busy() or self._has_earlier_work()):
                return

    def _has_earlier_work(self) -> bool:
        pending = self._pending_message
        return (pending is not None and _earlier(pending)) or any(
            _earlier(item) for item in self._message_queue.values)

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, events.Key):
            await super().on_event(event)
        elif not event.is_forwarded:  # a key as typed
            await self._keys_settled()
            self._key_in_flight = event
            await super().on_event(event)
            if not event.is_forwarded:  # a priority binding took it: nothing is in flight
                self._key_in_flight = None
        else:  # a key back from the widgets, unhandled: its binding runs now
            await super().on_event(event)
            if event is self._key_in_flight:
                self._key_in_flight = None

    def _in_flight(self) -> bool:
        """The last key is still on its way (handed out, neither taken by a widget nor back)."""
        key = self._key_in_flight
        return key is not None and not key._stop_propagation
