"""Planning reception days: schedule rules (configured and added) and publishing.

    plan = hall.leaders.plan
    plan.add_rule("zhangwei", ScheduleRule(every="week", weekday=3), actor="mgr01")
    plan.month(2026, 12, actor="mgr01")            # rules → planned days (days off moved)
    plan.publish_due(actor="mgr01")                # planned days within the horizon → published

Rules come from the configuration (origin ``cfg:<leader>:<n>``) and from managers (a
``LeaderRule`` row, origin ``rule:<id>``, retired rather than edited). A planned day remembers the
rule that made it, so planning a month twice, or on two terminals, makes each day once, and a day
cancelled by hand is not planned again.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import peewee as pw

from config.leaders import ScheduleRule
from hall.clock import to_storage
from hall.desk.registration import FormError
from hall.errors import NotFound, Refused
from hall.leaders.bookings import LEADER_TEXT_LABELS, LEADER_TEXTS
from hall.leaders.schedule import (
    NO_DATA,
    YEARS_AHEAD,
    last_plannable,
    month_bounds,
    rule_dates,
)
from hall.leaders.shared import LEADERS, LeaderState
from hall.leaders.views import DAY_STATUS, LeaderDayView, PlanResult, RuleView
from hall.text import freetext
from models import LeaderDay, LeaderRule


class Plan:
    """Rules, planning and publishing: ``hall.leaders.plan``."""

    def __init__(self, state: LeaderState) -> None:
        self._state = state
        self._store = state.store
        self._config = state.config

    def rules(self) -> list[RuleView]:
        """Every active rule: the configured ones first, then those managers added."""
        out = []
        roster = self._state.roster()
        for origin, leader, rule, rule_id in self._active_rules(roster):
            spec = roster[leader].spec if leader in roster else None
            out.append(RuleView(rule_id, origin, leader, spec.label if spec else leader,
                                rule.describe(), rule.capacity, rule.room, rule.topic,
                                rule.walk_ins))
        return out

    def add_rule(self, leader: str, rule: ScheduleRule, actor: str) -> RuleView:
        """Store a manager's rule (validated already by :class:`ScheduleRule`; its typed room and
        topic here, :class:`FormError` naming them)."""
        self._store.permit(actor, "leader.plan")
        spec = self._state.active(leader)
        errors: dict[str, str] = {}
        texts = freetext.fields(errors, LEADER_TEXTS, {"room": rule.room, "topic": rule.topic})
        if errors:
            raise FormError(errors, LEADER_TEXT_LABELS)
        rule = rule.model_copy(update=texts)
        with self._store.transaction():
            at = to_storage(self._store.now())
            row = LeaderRule.create(
                leader=spec.code, every=rule.every, days=",".join(map(str, rule.days)),
                weekday=rule.weekday, quarter_month=rule.quarter_month, start=rule.start,
                end=rule.end, capacity=rule.capacity, room=rule.room, topic=rule.topic,
                walk_ins=rule.walk_ins, created_at=at, created_by=actor)
            self._store.audit(actor, "leader_rule.add", "leader_rule", row.id, at,
                              {"leader": spec.code, "rule": rule.describe()})
            self._store.bump(LEADERS)
        return RuleView(row.id, f"rule:{row.id}", spec.code, spec.label, rule.describe(),
                        rule.capacity, rule.room, rule.topic, rule.walk_ins)

    def retire_rule(self, rule_id: int, actor: str) -> None:
        """Stop a manager's rule planning new days (the days it planned stay)."""
        self._store.permit(actor, "leader.plan")
        with self._store.transaction():
            row = LeaderRule.get_or_none(LeaderRule.id == rule_id)
            if row is None:
                raise NotFound(f"没有编号为 {rule_id} 的规则（配置文件中的规则请在配置中修改）")
            if not row.active:
                raise Refused(f"规则 {rule_id} 已停用")
            at = to_storage(self._store.now())
            LeaderRule.update(active=False, retired_at=at, retired_by=actor).where(
                LeaderRule.id == rule_id).execute()
            self._store.audit(actor, "leader_rule.retire", "leader_rule", rule_id, at, {})
            self._store.bump(LEADERS)

    def _active_rules(self, roster: dict[str, Any]
                      ) -> list[tuple[str, str, ScheduleRule, int | None]]:
        """Rules of the leaders on the roster (a retired leader's rules plan nothing)."""
        out: list[tuple[str, str, ScheduleRule, int | None]] = []
        for leader in self._config.leaders:
            if roster[leader.code].retired:
                continue
            for n, rule in enumerate(leader.rules):
                out.append((f"cfg:{leader.code}:{n}", leader.code, rule, None))
        for row in LeaderRule.select().where(LeaderRule.active).order_by(LeaderRule.id):
            rule = ScheduleRule(
                every=row.every, days=[int(d) for d in row.days.split(",") if d],
                weekday=row.weekday, quarter_month=row.quarter_month, start=row.start,
                end=row.end, capacity=row.capacity, room=row.room, topic=row.topic,
                walk_ins=row.walk_ins)
            entry = roster.get(row.leader)
            if entry is None or entry.retired:
                continue
            out.append((f"rule:{row.id}", row.leader, rule, row.id))
        return out

    def month(self, year: int, month: int, actor: str) -> PlanResult:
        """Expand every active rule over a month into planned days (from today on).

        A day already planned from the same rule is left alone (a cancelled one is not planned
        again), as is a date the leader already receives on. A month past
        :func:`~hall.leaders.schedule.last_plannable` is refused.
        """
        self._store.permit(actor, "leader.plan")
        limit = last_plannable(self._store.today())
        if date(year, month, 1) > limit:
            raise Refused(f"{year}-{month:02d} 过远：接待日最多排到 {limit:%Y-%m}"
                          f"（{YEARS_AHEAD} 年内），请核对月份")
        for attempt in range(3):
            try:
                return self._plan_month(year, month, actor)
            except pw.IntegrityError:
                # Two managers planning at once on PostgreSQL: the unique (leader, date, origin)
                # index stops the second; planning again finds the first one's days.
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _plan_month(self, year: int, month: int, actor: str) -> PlanResult:
        first, last = month_bounds(year, month)
        today = self._store.today()
        warnings: set[str] = set()
        created: list[LeaderDay] = []
        with self._store.transaction():
            at = to_storage(self._store.now())
            # The locks add_day and retire_leader take: the leaders' and the month's.
            self._state.lock_month(list(self._state.roster()), first)
            roster = self._state.roster()  # read under the locks
            rules = self._active_rules(roster)
            for origin, code, rule, _ in rules:
                leader = roster[code].spec
                for when in rule_dates(rule, first, last):
                    if not when.checked:
                        warnings.add(NO_DATA.format(year=when.date.year))
                    if when.date < today or LeaderDay.select().where(
                            (LeaderDay.leader == code) & (LeaderDay.date == when.date)
                            & (LeaderDay.status != "cancelled")).exists():
                        continue
                    if LeaderDay.select().where(
                            (LeaderDay.leader == code) & (LeaderDay.date == when.date)
                            & (LeaderDay.origin == origin)).exists():
                        continue  # planned from this rule before and cancelled since
                    room = rule.room or self._state.room_of(leader)
                    clash = self._state.clash(when.date, rule.start, rule.end, room,
                                              leader.department)
                    if clash:
                        warnings.add(f"{when.date} {leader.label} {rule.start}–{rule.end} 未生成："
                                     f"{next(iter(clash.values()))}")
                        continue
                    created.append(LeaderDay.create(
                        leader=code, department=leader.department, date=when.date,
                        start=rule.start, end=rule.end, room=room, capacity=rule.capacity,
                        topic=rule.topic, walk_ins=rule.walk_ins, status="planned",
                        origin=origin, shifted_from=when.original if when.shifted else None,
                        calendar_checked=when.checked, created_at=at, created_by=actor))
            self._store.audit(actor, "leader_day.plan", "leader_day", f"{year}-{month:02d}", at,
                              {"created": [d.id for d in created]})
            self._store.bump(LEADERS)
        return PlanResult(tuple(self._state.day_views(created)), tuple(sorted(warnings)))

    def publish_due(self, actor: str) -> list[LeaderDayView]:
        """Publish the planned days from today up to ``publish_days_ahead`` days ahead."""
        self._store.permit(actor, "leader.plan")
        today = self._store.today()
        horizon = today + timedelta(days=self._config.leader_settings.publish_days_ahead)
        with self._store.transaction():
            at = to_storage(self._store.now())
            due = list(LeaderDay.select().where(
                (LeaderDay.status == "planned") & (LeaderDay.date >= today)
                & (LeaderDay.date <= horizon)).order_by(LeaderDay.date, LeaderDay.start))
            if due:
                LeaderDay.update(status="published", published_at=at, published_by=actor).where(
                    LeaderDay.id.in_([d.id for d in due])).execute()
                self._store.audit(actor, "leader_day.publish", "leader_day", f"≤{horizon}", at,
                                  {"days": [d.id for d in due]})
                self._store.bump(LEADERS)
        return [self._state.day_view(d.id) for d in due]

    def publish_day(self, day_id: int, actor: str) -> LeaderDayView:
        """Publish one planned day now, whatever its distance."""
        self._store.permit(actor, "leader.plan")
        with self._store.transaction():
            day = self._state.lock_day(day_id)
            if day.status != "planned":
                raise Refused(f"接待日 {day_id} 当前为“{DAY_STATUS[day.status]}”，无需发布")
            if day.date < self._store.today():
                raise Refused(f"接待日 {day_id}（{day.date}）已过，不能发布")
            at = to_storage(self._store.now())
            LeaderDay.update(status="published", published_at=at, published_by=actor).where(
                LeaderDay.id == day_id).execute()
            self._store.audit(actor, "leader_day.publish", "leader_day", day_id, at, {})
            self._store.bump(LEADERS)
        return self._state.day_view(day_id)
