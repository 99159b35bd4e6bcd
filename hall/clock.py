"""Time for the hall: an injectable clock and the business day.

The domain never reads the system clock itself: :class:`SystemClock` in production,
:class:`FixedClock` in tests and benchmarks. The business day is the local date shifted back by the
rollover hour, so a ticket issued at 01:30 still belongs to the day before when the day rolls over
at 03:00.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Protocol


class Clock(Protocol):
    """Anything that tells the current time as an aware datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until moved; for tests, demos and benchmarks."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._at = at

    def now(self) -> datetime:
        return self._at

    def advance(self, **delta: float) -> datetime:
        """Move forward by ``timedelta(**delta)``; returns the new time."""
        self._at += timedelta(**delta)
        return self._at

    def set(self, at: datetime) -> None:
        """Jump to ``at`` (aware)."""
        self._at = at


def business_day(at: datetime, tz: tzinfo, rollover_hour: int) -> date:
    """The business day that the instant ``at`` belongs to."""
    return (at.astimezone(tz) - timedelta(hours=rollover_hour)).date()


def to_storage(at: datetime) -> datetime:
    """Aware datetime -> naive UTC, the form every table stores."""
    return at.astimezone(UTC).replace(tzinfo=None)


def from_storage(at: datetime, tz: tzinfo) -> datetime:
    """Naive UTC from a table -> aware local time."""
    return at.replace(tzinfo=UTC).astimezone(tz)
