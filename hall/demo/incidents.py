"""Special situations (特殊情况) in the demo hall: a few, of several kinds, on several days.

Called by :mod:`hall.demo.build` as events of a day, through ``hall.incidents`` only: the desk
operator logs the incident (tied to a ticket of the day when it is about a visitor), records the
steps taken one after the other, and the manager closes it with a conclusion. On the first
earlier day (always last month) a visitor falls ill in the waiting area and one makes a scene at
the desk; eight working days back a visitor skipped the county level; yesterday a chair was
broken; this morning another visitor skipped the county level, and an elderly visitor fell ill at
10:12: at 10:30 that one is still open, its steps under way, as a manager would find it.
Scenes whose type or actions the configuration lacks are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import TYPE_CHECKING

from hall.incidents.form import NewIncident

if TYPE_CHECKING:
    from hall import Hall
    from hall.views import IssuedTicket


@dataclass(frozen=True)
class Scene:
    """One incident: when, what, about which ticket, its steps and its end."""

    at: time
    type: str
    place: str
    note: str
    about: str  # "elderly": the day's latest elderly visitor's ticket; "last": the latest one
    steps: tuple[tuple[int, str, str], ...]  # (minutes after logging, action, result)
    conclusion: str = ""  # the manager closes it 10 minutes after the last step ("": open)


ILL = ("report_leader", "medical", "hospital")
SCENES: dict[str, tuple[Scene, ...]] = {
    "first": (
        Scene(time(10, 40), "illness", "候谈区", "一名老年来访人候谈时突感胸闷、面色苍白",
              "elderly",
              ((2, ILL[0], "已报告值班主任"), (4, ILL[1], "医务人员到场初步处置"),
               (25, ILL[2], "120 送市第一人民医院，家属已赶到")),
              "来访人病情稳定，事项已由窗口登记，择日约谈"),
        Scene(time(14, 20), "lingering", "登记分流台",
              "来访人对答复不满，在登记台前大声吵闹、拒不离开", "last",
              ((1, "dissuade", "工作人员劝阻，情绪有所缓和"),
               (15, "educate", "讲明信访秩序规定，来访人自行离开")),
              "经劝导后自行离开，未影响大厅秩序"),
    ),
    "eight": (
        Scene(time(9, 50), "over_level", "大厅入口",
              "来访人未到县级信访部门，直接来市里反映村务问题", "last",
              ((10, "return", "已通知属地派员对接"),),
              "已引导来访人到属地反映，属地已接手"),
    ),
    "yesterday": (
        Scene(time(15, 5), "damage", "候谈区", "来访人情绪激动，踢坏候谈区座椅一把", "last",
              ((1, "dissuade", "工作人员劝阻"), (5, "evidence", "监控录像已调取保存")),
              "来访人认错并同意照价赔偿"),
    ),
    "today": (
        Scene(time(9, 40), "over_level", "登记分流台",
              "来访人未经县级信访部门，直接来市里反映征地补偿问题", "last",
              ((8, "return", "已通知属地派员对接"),), "已引导来访人到属地反映"),
        Scene(time(10, 12), "illness", "候谈区", "老年来访人候谈时头晕跌倒", "elderly",
              ((1, ILL[0], "已报告值班主任"), (6, ILL[1], "医务人员正在处置"),
               (40, ILL[2], "送医"))),
    ),
}
"""The scenes by day: the first earlier day, eight working days back, yesterday, today."""


def scenes(hall: Hall, which: str) -> list[Scene]:
    """The day's scenes the configuration can record."""
    config = hall.config.incidents
    return [s for s in SCENES.get(which, ()) if config.type_of(s.type) is not None
            and s.place in config.areas
            and all(config.action_of(a) is not None for _, a, _ in s.steps)]


def log(hall: Hall, scene: Scene, issued: list[IssuedTicket], actor: str) -> int:
    """Log ``scene`` now, about a ticket of the day's ``issued`` (earliest first); its id."""
    about = [t for t in issued if t.priority == "elderly"] if scene.about == "elderly" else []
    ticket = (about or issued)[-1].number if issued else ""
    new = NewIncident(scene.type, scene.place, scene.note, ticket=ticket)
    return hall.incidents.log(new, actor=actor).id


def when(day_start: datetime, at: time) -> datetime:
    """``at`` on the day that starts at ``day_start`` (same zone)."""
    return day_start.replace(hour=at.hour, minute=at.minute, second=0)
