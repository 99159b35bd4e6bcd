"""Time limits and cases (信访事项): the statutory periods, how their days count, the case number.

    time_limits:
      acceptance_days: 15       # 受理告知
      handling_days: 60         # 办理
      extension_days: 30        # 延期, once, approved
      counting: calendar        # or working
    cases:
      number_format: "江信〔{year}〕第 {seq:04d} 号"
      seal_line: 江川市信访局（印章）

The periods are counted by :mod:`hall.cases.deadlines`; the outcomes (办理方式) that open a case
are marked ``opens_case`` in ``outcomes``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from config.types import Code, ConfigModel, Text


class TimeLimits(ConfigModel):
    acceptance_days: int = Field(15, ge=1)
    """Days within which the visitor is told whether the matter is accepted (受理告知)."""
    handling_days: int = Field(60, ge=1)
    """Days within which an accepted matter is handled (办理期限)."""
    extension_days: int = Field(30, ge=0)
    """Days by which handling may be extended once, with approval (延期)."""
    counting: Literal["calendar", "working"] = "calendar"
    """How the days above are counted: ``calendar`` (自然日: a period whose last day is a day off
    ends on the next working day) or ``working`` (工作日: only working days count, with the
    statutory holidays and 调休 of the calendar the reception days use)."""
    due_soon_days: int = Field(3, ge=0, le=60)
    """A case due within this many days is listed as 即将到期."""
    review_days: int = Field(30, ge=1)
    """A visitor dissatisfied with the reply may ask for a review (复查) this many days after the
    follow-up (回访)."""


class CaseSettings(ConfigModel):
    number_format: str = "信〔{year}〕第 {seq:04d} 号"
    """A case's number: ``{year}`` and ``{seq}`` (the year's running number, ``{seq:04d}`` four
    digits), e.g. 「江信〔{year}〕第 {seq:04d} 号」 → 江信〔2026〕第 0137 号."""
    seal_line: str = ""
    """The line under a document's signature (the seal's words, e.g. 「江川市信访局（印章）」);
    the hall's name when empty."""
    channels: dict[Code, Text] = {"letter": "来信", "online": "网上信访", "phone": "来电",
                                  "other_body": "其他机关"}
    """Other channels the same matter may have been raised through (the desk asks; code → name)."""
    followup_ways: dict[Code, Text] = {"phone": "电话", "visit": "上门", "sms": "短信",
                                       "in_person": "来访面谈"}
    """How a follow-up (回访) reaches the visitor (code → name); an SMS is sent by hand."""

    @field_validator("number_format")
    @classmethod
    def _format(cls, value: str) -> str:
        try:
            sample = value.format(year=2026, seq=137)
        except (KeyError, IndexError, ValueError) as bad:
            raise ValueError(f"案件编号格式只能使用 {{year}} 和 {{seq}}：{bad}") from None
        if "137" not in sample or not 1 <= len(sample) <= 60:
            raise ValueError("案件编号格式须包含 {seq}，且不超过 60 个字符")
        return value
