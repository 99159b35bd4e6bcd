"""The demo's case office: the steps staff take on the cases the windows opened.

Called by :mod:`hall.demo.build`, through ``hall.cases`` only: every working day from the first
earlier day to the demo's day, at 07:50 before the hall opens (and at 17:40 of a day with
visitors, when the day's new cases get their acceptance notice), :meth:`CaseOffice.session`
takes at most one step on each open case, in case order, as its pace says:

- the pace of a case comes from its own random source (the demo's seed and the case's id), so a
  case keeps its pace whatever happens to the others: the acceptance notice (受理告知) the day
  the case is opened, or one or two working days later, and for some never (those fall overdue,
  the managers' top bar counts them); of the first earlier day's cases one is accepted after
  its limit (超时受理: the notice went out late) and one never is (逾期); the reply (答复) one
  to five working days after acceptance, or not yet (the unit is still at it: the manager
  hands it on, 交办, 办理中);
- the follow-up (回访) the working day after the reply, by phone: each month's cases take 满意,
  基本满意 and 不满意 in turn, so every month shows each rating; a case the visitor is
  satisfied with closes (办结) two working days later, unless the visitor keeps coming back
  about it (:attr:`CaseOffice.keep_open`);
- in each month's cases, one in hand asks for an extension (延期) that the manager approves and
  the visitor is told of (it is not answered meanwhile), and one is urged (督办): an overdue one
  that was never accepted when there is one, else one in hand (a slow one first), to be
  answered within three days.

Everything is deterministic: same seed, same database, same steps.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from hall.accounts.permissions import allowed
from hall.cases.states import SATISFACTION

if TYPE_CHECKING:
    from hall import Hall
    from hall.cases.views import CaseSummary
    from hall.clock import FixedClock

STEP_SECONDS = 15
"""Seconds between two steps of a session (a session of 120 steps lasts half an hour)."""
RATINGS = (SATISFACTION[0], SATISFACTION[1], SATISFACTION[2], SATISFACTION[0], SATISFACTION[0])
"""The follow-ups' satisfaction in turn, within each month's cases: every rating appears."""
REPLIES = {
    "wages": "经协调，施工单位已制定支付计划，承诺月底前分两期付清",
    "demolition": "已组织第三方重新评估，结果将书面送达",
    "property": "已责令物业公司限期整改并公示收支明细",
    "labour": "已立案调查，责令用人单位限期补缴",
}
"""A reply by category (the others get :data:`REPLY`)."""
REPLY = "承办单位已调查核实，依法依规作出处理意见并书面答复来访人"


@dataclass(frozen=True)
class Pace:
    """When a case's steps come, in working days: acceptance after opening (None: never),
    the reply after acceptance (None: not yet)."""

    accept: int | None
    reply: int | None


@dataclass
class CaseOffice:
    """The case office's sessions over one demo build (its clock is the demo's)."""

    hall: Hall
    clock: FixedClock
    seed: int
    keep_open: set[int] = field(default_factory=set)
    """Cases of visitors who keep coming back: never closed."""
    steps: dict[int, dict[str, date]] = field(default_factory=dict)  # case -> step -> day
    late: int | None = None  # the case accepted after its limit
    idle: int | None = None  # the case never accepted (overdue)
    extended: set[int] = field(default_factory=set)
    urged: set[str] = field(default_factory=set)  # months ("2026-11") with a case urged
    with_extension: set[str] = field(default_factory=set)  # months with an extension
    rated: dict[str, int] = field(default_factory=dict)  # month -> follow-ups so far

    def __post_init__(self) -> None:
        config = self.hall.config
        self.manager = next(s.login for s in config.staff if s.role == "manager")
        # the leader's room and the lawyer seat: their cases are neither late nor left idle
        self.rooms = set(config.leader_settings.closed_without_day)
        self.handlers: dict[str, str] = {}
        for staff in config.staff:
            if allowed(staff.role, "case.handle") and staff.role != "manager":
                for department in staff.all_departments:
                    self.handlers.setdefault(department, staff.login)

    def session(self, at: datetime, first_day: date, evening: bool = False) -> int:
        """One session at ``at``: a step on each case that is due one (only acceptances in the
        evening); the number of steps taken. ``first_day`` is the demo's first earlier day."""
        self.clock.set(at)
        today = at.date()
        cases = sorted(self.hall.cases.list(self.manager, open_only=True), key=lambda c: c.id)
        taken = 0
        for case in cases:
            if self._step(case, today, first_day, evening):
                taken += 1
                self.clock.set(at + timedelta(seconds=STEP_SECONDS * taken))
        if not evening:
            for case in self._special(today):
                taken += 1
                self.clock.set(at + timedelta(seconds=STEP_SECONDS * taken))
                self._urge_or_extend(case, today)
        return taken

    # -- one case ---------------------------------------------------------------------------

    def pace(self, case_id: int) -> Pace:
        """The case's own pace (its random source: the seed and its id)."""
        rng = random.Random(f"{self.seed}/case/{case_id}")
        accept = rng.choices((0, 1, 2, None), (55, 30, 5, 10))[0]
        reply = rng.choices((1, 2, 3, 5, None), (55, 20, 10, 5, 10))[0]
        return Pace(accept, reply)

    def _step(self, case: CaseSummary, today: date, first_day: date, evening: bool) -> bool:
        opened = date.fromisoformat(case.opened_on)
        done = self.steps.setdefault(case.id, {})
        pace = self.pace(case.id)
        cases = self.hall.cases
        if case.state == "pending":
            if opened == first_day and case.id not in self.keep_open \
                    and case.department not in self.rooms:
                # of the first day's cases, one is accepted late and one never (overdue now)
                if self.late is None:
                    self.late = case.id
                elif self.idle is None:
                    self.idle = case.id
            if case.id == self.idle:
                return False
            if case.id == self.late:
                if today <= date.fromisoformat(case.due_on):
                    return False
            elif pace.accept is None or _working_days(opened, today) < pace.accept:
                return False
            cases.accept(case.id, self._handler(case), how="电话告知并邮寄受理告知书")
            done["accept"] = today
            return True
        if evening:
            return False
        if case.state in ("accepted", "handling"):
            accepted = done.get("accept")
            if accepted is None or case.id in self.extended:
                return False
            since = _working_days(accepted, today)
            if pace.reply is not None and since >= pace.reply:
                cases.reply(case.id, REPLIES.get(case.category, REPLY), self._handler(case))
                done["reply"] = today
                return True
            if case.state == "accepted" and case.department and since >= 1:
                cases.assign(case.id, case.department, self.manager,
                             note="请承办单位调查核实，按期答复")
                return True
            return False
        if case.state == "replied" and _after(done.get("reply"), today, 1):
            month = case.opened_on[:7]
            turn = self.rated.get(month, 0)
            self.rated[month] = turn + 1
            cases.followup(case.id, "phone", RATINGS[turn % len(RATINGS)], self._handler(case),
                           note="电话回访，来访人已收到答复")
            done["followup"] = today
            return True
        if (case.state == "followed" and case.satisfaction != SATISFACTION[2]
                and case.id not in self.keep_open and _after(done.get("followup"), today, 2)):
            cases.close(case.id, self.manager, note="已答复并回访，事项办结")
            return True
        return False

    def _special(self, today: date) -> list[CaseSummary]:
        """Each month's one extension and one urge, when a case fits (after the day's steps)."""
        fresh = sorted(self.hall.cases.list(self.manager, open_only=True), key=lambda c: c.id)
        chosen = []
        for month in sorted({c.opened_on[:7] for c in fresh}):
            mine = [c for c in fresh if c.opened_on[:7] == month]
            in_hand = [c for c in mine if c.state in ("accepted", "handling")
                       and c.id not in self.extended
                       and _after(self.steps.get(c.id, {}).get("accept"), today, 1)]
            if month not in self.with_extension and in_hand:
                slow = [c for c in in_hand if self.pace(c.id).reply is None] or in_hand
                self.with_extension.add(month)
                self.extended.add(slow[0].id)
                chosen.append(slow[0])
                in_hand = [c for c in in_hand if c.id != slow[0].id]
            if month not in self.urged:
                overdue = [c for c in mine if c.state == "pending" and c.overdue]
                slow = [c for c in in_hand if self.pace(c.id).reply is None]
                pick = overdue or slow or in_hand
                if pick:
                    self.urged.add(month)
                    chosen.append(pick[0])
        return chosen

    def _urge_or_extend(self, case: CaseSummary, today: date) -> None:
        cases = self.hall.cases
        if case.id in self.extended and case.extension_state == "":
            cases.extend(case.id, 30, "案情复杂，需调取历年档案并组织现场核查", self._handler(case))
            cases.approve_extension(case.id, self.manager, told="已电话告知来访人延期理由和期限")
        else:
            cases.urge(case.id, "请抓紧办理，于期限内答复来访人", self.manager,
                       due=today + timedelta(days=3))

    def _handler(self, case: CaseSummary) -> str:
        """Who takes the unit's steps: the case's department's staff, else the manager (a
        case forwarded outside is followed by the 信访局)."""
        return self.handlers.get(case.department, self.manager) if case.department \
            else self.manager


def _working_days(start: date, end: date) -> int:
    """Monday-to-Friday days after ``start`` up to ``end`` (0 on the same day)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += day.weekday() < 5
    return count


def _after(day: date | None, today: date, days: int) -> bool:
    """Whether ``today`` is at least ``days`` working days after ``day`` (a step done)."""
    return day is not None and _working_days(day, today) >= days
