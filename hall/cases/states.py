"""A case's states and the steps that move it: one table, read by the rules, the screens' keys,
the CLI's "allowed steps" message and the tests.

    待受理 ─accept→ 已受理 ─assign→ 办理中 ─reply→ 已答复 ─followup→ 已回访 ─close→ 办结
      │              └──────reply──────────↗     │ return (退回) → 办理中
      └─refuse→ 不予受理 / 不再受理 (closed at once)

- ``accept`` records that the acceptance notice (受理告知) was sent; the handling period is counted
  from that day.
- ``assign`` (交办) names the handling unit; from 已受理 it moves the case to 办理中, before
  acceptance it only changes the unit.
- ``reply`` records the unit's reply (已答复); ``return`` (退回) sends a reply that falls short
  back to the unit (办理中 again).
- ``followup`` (回访) records how the visitor was reached, what they said and their
  satisfaction; ``close`` (办结) ends a followed-up case.
- ``refuse`` closes a case not accepted (不予受理) or no longer accepted (不再受理), with the
  reason and the channel the visitor was told of.
- ``urge`` (督办/催办), ``lead`` (包案), ``extend`` / ``approve_extension`` / ``refuse_extension``
  (延期), ``note`` (a remark), ``visit`` (a repeat visit about the case) and ``document``
  (a document issued) leave the state as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

STATES: dict[str, str] = {
    "pending": "待受理",
    "accepted": "已受理",
    "handling": "办理中",
    "replied": "已答复",
    "followed": "已回访",
    "closed": "办结",
    "rejected": "不予受理",
    "not_again": "不再受理",
}
"""State code → what the hall calls it."""

CLOSED: frozenset[str] = frozenset({"closed", "rejected", "not_again"})
"""The states a case ends in."""

OPEN: tuple[str, ...] = tuple(s for s in STATES if s not in CLOSED)
"""The states of a case still being followed."""

SATISFACTION: tuple[str, ...] = ("满意", "基本满意", "不满意")
"""The statutory scale of a follow-up (回访)."""


@dataclass(frozen=True)
class Step:
    """A step on a case: the states it may be taken from, and the state it leaves (None: same)."""

    label: str
    key: str  # the one key the case screen takes it with
    act: str  # the permission it needs (hall.accounts.permissions)
    before: frozenset[str]
    after: str | None = None
    short: str = ""  # the footer's word when the label is long (80 columns hold the line)

    @property
    def key_label(self) -> str:
        """What the key line shows: the short word, else the label."""
        return self.short or self.label


_ANY_OPEN = frozenset(OPEN)
_IN_HAND = frozenset({"accepted", "handling"})

STEPS: dict[str, Step] = {
    "accept": Step("受理告知", "a", "case.handle", frozenset({"pending"}), "accepted",
                   short="受理"),
    "refuse": Step("不予受理/不再受理", "n", "case.handle", frozenset({"pending"}),
                   short="不受理"),
    "assign": Step("交办", "s", "case.supervise",
                   frozenset({"pending", "accepted", "handling"})),
    "reply": Step("答复", "r", "case.handle", _IN_HAND, "replied"),
    "return": Step("退回", "b", "case.supervise", frozenset({"replied"}), "handling"),
    "followup": Step("回访", "f", "case.handle", frozenset({"replied"}), "followed"),
    "close": Step("办结", "c", "case.supervise", frozenset({"followed"}), "closed"),
    "urge": Step("督办", "u", "case.supervise", _ANY_OPEN),
    "extend": Step("申请延期", "e", "case.handle", _IN_HAND, short="延期"),
    "approve_extension": Step("批准延期", "p", "case.approve", _IN_HAND, short="批准"),
    "refuse_extension": Step("不批准延期", "x", "case.approve", _IN_HAND, short="不批准"),
    "lead": Step("领导包案", "l", "leader.case", _ANY_OPEN, short="包案"),
    "note": Step("备注", "m", "case.handle", frozenset(STATES)),
    "review": Step("复查", "v", "case.supervise", frozenset({"followed", "closed"})),
}
"""Step → what it is called, its key, its permission, the states it may be taken from and the
state it leaves. ``refuse`` leaves 不予受理 or 不再受理 as asked; ``review`` opens a new linked
case (复查) and leaves this one as it is."""

ENTRY_LABELS: dict[str, str] = {
    "opened": "立案", "visit": "再次来访", "document": "出具文书", "appointment": "约谈",
    **{code: step.label for code, step in STEPS.items()},
    "rejected": "不予受理", "not_again": "不再受理",
}
"""Entry kind → what the timeline calls it (a step's entry has the step's code; a refusal's the
state it closed in)."""


def allowed_steps(state: str) -> list[str]:
    """The steps a case in ``state`` may take, in the table's order."""
    return [code for code, step in STEPS.items() if state in step.before]


def refusal_text(step: str, state: str) -> str:
    """Why ``step`` cannot be taken in ``state``, naming the steps that can (in Chinese)."""
    allowed = "、".join(STEPS[s].label for s in allowed_steps(state)) or "无"
    return (f"案件当前为“{STATES.get(state, state)}”，不能{STEPS[step].label}；"
            f"可进行的操作：{allowed}")


DOCUMENT_KINDS: dict[str, str] = {
    "acceptance": "受理告知书",
    "rejection": "不予受理告知书",
    "not_again": "不再受理告知书",
    "notice": "告知单",
    "forward": "转送单",
    "assign": "交办单",
    "urge": "督办单",
    "register": "来访登记表（接谈记录）",
}
"""Document kind (``hall cases doc --kind``) → its title on paper."""


DETAIL_LABELS: dict[str, str] = {
    "unit": "承办单位", "how": "方式", "told": "告知", "satisfaction": "满意度",
    "channel": "告知途径", "days": "天数", "leader": "包案领导", "review": "复查案件",
    "document": "文书编号",
}
"""The parts of a timeline entry's detail the screen and ``hall cases show`` print, with their
names (the others are codes kept for the record)."""
