"""Special situations (特殊情况) in the configuration: the incident types and their steps.

    incidents:
      areas: [登记分流台, 候谈区, 大厅入口]
      actions:
        - {code: dissuade, name: 劝阻}
        - {code: police, name: 通知公安}
      types:
        - {code: knife, name: 携带管制器具, severity: high, group: disorder,
           chain: [dissuade, police]}

An incident type has a severity (an open ``high`` incident raises the alert on every staff
screen) and a recommended chain of action codes: the screen suggests the next one, any action may
be recorded. :func:`incident_problems` checks what refers to what (a chain naming an unknown
action, a code defined twice); :func:`config.schema.cross_reference_problems` calls it.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import Field, PrivateAttr

from config.types import Code, ConfigModel, KeyPath, Problem, Text, unknown

Severity = Literal["high", "medium", "low"]
Group = Literal["disorder", "care", "collective"]

SEVERITY_LABELS: dict[str, str] = {"high": "高", "medium": "中", "low": "低"}
"""How a severity is shown."""
GROUP_LABELS: dict[str, str] = {
    "disorder": "违法扰序行为",
    "care": "关怀救助",
    "collective": "集体访与越级访",
}
"""How a group of types is shown."""


class IncidentAction(ConfigModel):
    code: Code
    """Short code (``hall incident act ID --action CODE``)."""
    name: Text
    """The step as staff and the timeline show it (e.g. 通知公安)."""


class IncidentType(ConfigModel):
    code: Code
    """Short code (``hall incident log --type CODE``)."""
    name: Text
    """What happened, as the form's picker and the reports show it."""
    severity: Severity
    """high: an open incident alerts every staff screen; medium; low."""
    group: Group
    """disorder (违法扰序行为), care (关怀救助) or collective (集体访与越级访)."""
    chain: list[Code] = Field(min_length=1)
    """The recommended actions in order (codes of ``actions``); the screen suggests the next."""
    description: str = ""
    """Examples or the rule behind it; shown dimmed in the picker."""


class IncidentSettings(ConfigModel):
    areas: list[Text] = ["登记分流台", "候谈区", "大厅入口", "安检口", "领导接访室", "大厅外广场"]
    """Places of the hall besides the windows, offered in the form and the manager's filter."""
    actions: list[IncidentAction] = Field(min_length=1)
    """Every step staff may record (劝阻, 通知公安, 送医, ...)."""
    types: list[IncidentType] = Field(min_length=1)
    """The kinds of special situation, each with its severity and recommended chain."""

    _action: dict[str, IncidentAction] = PrivateAttr(default_factory=dict)
    _type: dict[str, IncidentType] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: object, /) -> None:
        self._action.update((a.code, a) for a in self.actions)
        self._type.update((t.code, t) for t in self.types)

    def action_of(self, code: str) -> IncidentAction | None:
        """The action with that code, or None."""
        return self._action.get(code)

    def type_of(self, code: str) -> IncidentType | None:
        """The incident type with that code, or None."""
        return self._type.get(code)


def _actions(*pairs: tuple[str, str]) -> list[IncidentAction]:
    return [IncidentAction(code=c, name=n) for c, n in pairs]


@cache
def standard_incidents() -> IncidentSettings:
    """A minimal set used when a configuration has no ``incidents`` section (built when first
    needed, one for all); the shipped hall.yaml lists the full statutory set."""
    return IncidentSettings(
        actions=_actions(
            ("dissuade", "劝阻"), ("educate", "批评教育"), ("report_leader", "报告中心领导"),
            ("police", "通知公安"), ("remove", "依法带离"), ("medical", "通知医务人员"),
            ("hospital", "送医"), ("cdc", "通知疾控"), ("guardian", "通知监护人或属地"),
            ("return", "通知属地派员劝返"), ("representatives", "引导推选代表"),
            ("other", "其他处置")),
        types=[
            IncidentType(code="disorder", name="其他扰乱秩序行为", severity="medium",
                         group="disorder", chain=["dissuade", "educate", "police", "remove"]),
            IncidentType(code="illness", name="来访人突发疾病", severity="high", group="care",
                         chain=["report_leader", "medical", "hospital"]),
            IncidentType(code="collective_over_limit", name="集体访超出代表人数",
                         severity="medium", group="collective",
                         chain=["representatives", "return"]),
        ],
    )


def incident_problems(settings: IncidentSettings,
                      base: KeyPath = ("incidents",)) -> list[Problem]:
    """Codes defined twice, chains naming unknown or repeated actions; (path, message, hint)."""
    problems: list[Problem] = []
    for section, what, codes in (
            ("actions", "处置措施代码", [a.code for a in settings.actions]),
            ("types", "特殊情况类型代码", [t.code for t in settings.types]),
            ("areas", "地点", list(settings.areas))):
        seen: dict[str, int] = {}
        for i, code in enumerate(codes):
            if code in seen:
                path: KeyPath = (*base, section, i) + (("code",) if section != "areas" else ())
                problems.append((path, f"{what}“{code}”与 {section}[{seen[code]}] 重复", None))
            else:
                seen[code] = i
    valid = [a.code for a in settings.actions]
    for i, t in enumerate(settings.types):
        seen_steps: set[str] = set()
        for j, step in enumerate(t.chain):
            path = (*base, "types", i, "chain", j)
            if step not in valid:
                problems.append(unknown(path, "处置措施", step, valid))
            elif step in seen_steps:
                problems.append((path, f"处置措施“{step}”在“{t.name}”的流程中重复", None))
            seen_steps.add(step)
    return problems
