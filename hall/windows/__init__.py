"""The windows (接谈窗口): call the next visitor, recall, interview, no-show, transfer, finish.

    called = hall.windows.call_next(5, actor="win05")     # a CallNotice, or None: nobody waits
    hall.windows.finish(5, "answered", actor="win05")
    hall.windows.view(5, viewer="win05")                    # current visitor and waiting list
    hall.windows.reveal(5, viewer="win05")                  # masked fields in full, audited

:mod:`hall.windows.acts` holds the acts (one atomic claim per call), :mod:`hall.windows.view` the
current visitor as the window's terminal shows them.
"""

from __future__ import annotations

from hall.windows.acts import ACTIVE, Windows

__all__ = ["ACTIVE", "Windows"]
