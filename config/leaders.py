"""Leaders who receive visitors on reception days (领导接待日), the lawyer seat, and their rules.

    leaders:
      - code: zhang
        name: 张伟
        title: 副市长
        portfolio: 城建、征收拆迁
        department: leader            # the queue checked-in visitors wait in (领导接访室)
        rules:
          - {every: month, days: [1, 15], start: "09:00", end: "11:30", capacity: 8}
    leader_settings:
      publish_days_ahead: 14

A rule's day that falls on a weekend or a statutory holiday moves to the next working day (see
:mod:`hall.leaders.schedule`). Rules written here are the standing schedule; managers add more rules
and one-off days in the database from the manager screen (``hall leaders``) or the CLI.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from config.types import Code, ConfigModel, KeyPath, Problem, Text, unknown

if TYPE_CHECKING:
    from config.schema import HallConfig

KINDS = {"leader": "领导", "lawyer": "律师"}
EVERY = {"month": "每月", "week": "每周", "quarter": "每季度"}
WEEKDAY_NAMES = "一二三四五六日"


def _hhmm(value: str) -> str:
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", value.strip())
    if match is None:
        raise ValueError(f"应为 HH:MM 格式的时间（如 09:00），实际为“{value}”")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


HHMM = Annotated[str, AfterValidator(_hhmm)]


class ScheduleRule(ConfigModel):
    every: Literal["month", "week", "quarter"]
    """How often: ``month`` on given days of each month, ``week`` on a weekday, ``quarter`` on
    given days of one month of each quarter."""
    days: list[int] = Field(default_factory=list)
    """Days of the month (1-31) for ``month`` and ``quarter``; a day a month lacks (31 in April)
    falls on that month's last day."""
    weekday: int | None = Field(None, ge=1, le=7)
    """For ``week``: 1 Monday … 7 Sunday."""
    quarter_month: int = Field(1, ge=1, le=3)
    """For ``quarter``: which month of each quarter (1: January, April, July, October)."""
    start: HHMM = "09:00"
    """When reception begins (local time)."""
    end: HHMM = "11:30"
    """When reception ends; after ``start``."""
    capacity: int = Field(10, ge=1, le=500)
    """How many visitors can book a place."""
    room: str = ""
    """Where; empty: the leader's room."""
    topic: str = ""
    """A topic announced with the day (e.g. 征收拆迁专题), or empty."""
    walk_ins: bool = False
    """Whether visitors without a booking may queue on the day (after the booked ones)."""

    @model_validator(mode="after")
    def _shape(self) -> ScheduleRule:
        if self.end <= self.start:
            raise ValueError(f"结束时间 {self.end} 应晚于开始时间 {self.start}")
        if self.every == "week" and self.weekday is None:
            raise ValueError("每周的规则须写 weekday（1 周一 … 7 周日）")
        if self.every != "week":
            if not self.days:
                raise ValueError("每月/每季度的规则须写 days（如 [1, 15]）")
            bad = [d for d in self.days if not 1 <= d <= 31]
            if bad:
                raise ValueError(f"days 中的日期应在 1 到 31 之间，实际有 {bad}")
        return self

    def describe(self) -> str:
        """「每月1日、15日 09:00–11:30」"""
        if self.every == "week":
            when = f"每周{WEEKDAY_NAMES[(self.weekday or 1) - 1]}"
        else:
            days = "、".join(f"{d}日" for d in sorted(set(self.days)))
            when = (f"每月{days}" if self.every == "month"
                    else f"每季度第{self.quarter_month}个月{days}")
        return f"{when} {self.start}–{self.end}"


class Leader(ConfigModel):
    code: Code
    """Short code used on the command line (``hall leader-days add --leader zhang``)."""
    name: Text
    """Full name, as published."""
    title: str = ""
    """Title (副市长, 信访局局长, 值班律师)."""
    portfolio: str = ""
    """What the leader is in charge of (分管领域), shown when booking."""
    kind: Literal["leader", "lawyer"] = "leader"
    """``leader`` (领导接待日) or ``lawyer`` (律师咨询席): the same mechanism."""
    department: Code
    """The department whose queue checked-in visitors wait in (e.g. ``leader``, ``lawyer``)."""
    room: str = ""
    """Where the leader receives; empty: the title of the window serving ``department``."""
    category: Code | None = None
    """诉求类别 recorded for a booked visit when the booking names none; default
    ``leader_settings.default_category``."""
    rules: list[ScheduleRule] = Field(default_factory=list)
    """The standing schedule; more rules and one-off days are added from the manager screen."""

    @property
    def label(self) -> str:
        """「张伟副市长」, or the name alone."""
        return f"{self.name}{self.title}"


class LeaderSettings(ConfigModel):
    publish_days_ahead: int = Field(14, ge=0, le=366)
    """Planned days up to this many days ahead are published (bookable, shown to the desk)."""
    default_category: Code = "other"
    """诉求类别 recorded for a booked visit when neither the booking nor the leader names one."""
    closed_without_day: list[Code] = Field(default_factory=list)
    """Departments that receive only on their reception days: on any other day the desk cannot
    issue a ticket to them and names the next day, to book (e.g. ``[leader, lawyer]``: the
    leader's room and the lawyer seat are shut between their days)."""


def leader_problems(cfg: HallConfig) -> list[Problem]:
    """What the leaders section refers to that is not there (see ``cross_reference_problems``)."""
    problems: list[Problem] = []
    depts = [d.code for d in cfg.departments]
    cats = [c.code for c in cfg.categories]

    seen: dict[str, int] = {}
    for i, leader in enumerate(cfg.leaders):
        if leader.code in seen:
            problems.append((("leaders", i, "code"),
                             f"领导代码“{leader.code}”与 leaders[{seen[leader.code]}] 重复", None))
        seen.setdefault(leader.code, i)
        if leader.department not in depts:
            problems.append(unknown(("leaders", i, "department"), "部门", leader.department,
                                    depts))
        if leader.category is not None and leader.category not in cats:
            problems.append(unknown(("leaders", i, "category"), "诉求类别", leader.category,
                                    cats))
    settings = cfg.leader_settings
    if cfg.leaders and settings.default_category not in cats:
        problems.append(unknown(("leader_settings", "default_category"), "诉求类别",
                                settings.default_category, cats))
    for j, code in enumerate(settings.closed_without_day):
        if code not in depts:
            path: KeyPath = ("leader_settings", "closed_without_day", j)
            problems.append(unknown(path, "部门", code, depts))
    return problems
