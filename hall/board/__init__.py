"""The hall board (大厅屏): queues, recent calls and what the board shows and speaks.

    view = hall.board.view()          # date, time, recent calls, queue lengths, receptions
    hall.board.queue(["xfj"])         # today's waiting tickets in call order

:mod:`hall.board.board` holds the reads, :mod:`hall.board.announce` turns a call into the words
the board speaks and gives each call its turn, :mod:`hall.board.speech` speaks the words and tells
whether anything was heard. Ticket numbers and windows only: no name, no ID number.
"""

from __future__ import annotations

from hall.board.board import Board

__all__ = ["Board"]
