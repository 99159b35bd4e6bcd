"""The statistics benchmark's database (bench_stats.py): the issue history with its life.

issue_history.py's generator makes the past days' tickets at ``per_day`` a business day;
:class:`Life` takes each chunk of them before it is loaded and adds what happened after the issue,
the way a hall's month looks to the statistics: the windows' events (called, recalled, transferred
and called again, finished or no-show, waits and service times spread), outcomes (refusals with
their channel), collective visits with representatives, priority groups; cases opened by the
outcomes that open one, with their timelines (acceptance, assignment, reply, follow-up with
satisfaction, close; urges, extensions, 包案), repeat visits linked to an earlier case; leader
reception days from the configured rules (held, cancelled, lapsed) with bookings; incidents with
entries. Random but seeded: the same sizes give the same rows on SQLite and PostgreSQL.

:func:`build_sqlite` and :func:`build_pg` load them with bigdb.py (the file cached by the
caller; the schema ``hall_bench_stats``, kept between runs while its build key matches).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import bigdb
from bigdb import Table, load_pg, load_sqlite
from issue_history import BENCH_DAY, BUILT_AT, HISTORY, generate

from config import HallConfig
from hall import Hall
from hall.cases.deadlines import due
from models import (
    SCHEMA_VERSION,
    Case,
    CaseEntry,
    CaseVisit,
    Incident,
    IncidentEntry,
    LeaderBooking,
    LeaderCase,
    LeaderDay,
    Representative,
    TicketEvent,
)

BASE = HISTORY  # the issue history's tables, their rows edited in place
EXTRA = (Representative, Case, CaseEntry, CaseVisit, LeaderDay, LeaderBooking, LeaderCase,
         Incident, IncidentEntry)
OUTCOMES = {"answered": 45, "phone": 10, "notice": 12, "forward": 2, "filed": 7,
            "coordinate": 1.5, "report": 0.5, "rejected": 8, "closed": 4}
CHANNELS = ("依法向人民法院提起诉讼", "申请劳动仲裁", "申请行政复议")


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _s(at: datetime) -> str:
    return at.isoformat(" ")  # the stored form: naive UTC "YYYY-MM-DD HH:MM:SS"


class Life:
    """What happens to the history's tickets after issue, chunk by chunk (rows edited in place,
    events rewritten, the extra tables' rows added)."""

    def __init__(self, config: HallConfig) -> None:
        self.config, self.rng = config, random.Random(13)
        self.cols = {m._meta.table_name: {c: i for i, c in enumerate(Table(m).cols)}
                     for m in BASE + EXTRA}
        self.template = {m._meta.table_name: Table(m).template for m in (*EXTRA, TicketEvent)}
        self.windows = {d.code: [w.number for w in config.windows_for(d.code)] or [None]
                        for d in config.departments}
        shut = set(config.leader_settings.closed_without_day)
        self.open_departments = [d.code for d in config.departments if d.code not in shut]
        self.outcomes = list(OUTCOMES)
        self.outcome_weights = list(OUTCOMES.values())
        self.opens = {o.code for o in config.outcomes if o.opens_case}
        self.ways = list(config.cases.followup_ways)
        self.limits = config.time_limits
        self.ids: dict[str, int] = {}
        self.cases: list[tuple[int, int]] = []  # (case id, visitor id) of the cases so far
        self.due: dict[tuple[date, int], date] = {}

    def next_id(self, table: str) -> int:
        self.ids[table] = self.ids.get(table, 0) + 1
        return self.ids[table]

    def row(self, table: str, **values: Any) -> list:
        row = list(self.template[table])
        at = self.cols[table]
        for k, v in values.items():
            row[at[k]] = v
        return row

    def due_after(self, start: date, days: int) -> date:
        if (start, days) not in self.due:
            self.due[start, days] = due(start, days, self.limits.counting)[0]
        return self.due[start, days]

    def chunk(self, out: dict[str, list]) -> dict[str, list]:
        for table in (m._meta.table_name for m in EXTRA):
            out[table] = []
        out["ticket_event"] = []
        tv, tt = self.cols["visit"], self.cols["ticket"]
        for visit, ticket in zip(out["visit"], out["ticket"], strict=True):
            self.ticket_life(out, visit, ticket, tv, tt)
        days = sorted({t[tt["business_day"]] for t in out["ticket"]})
        for iso in days:
            self.day_extras(out, date.fromisoformat(iso))
        return out

    def ticket_life(self, out: dict[str, list], visit: list, ticket: list,
                    tv: dict[str, int], tt: dict[str, int]) -> None:
        rng, ev = self.rng, out["ticket_event"]
        tid, dept = ticket[tt["id"]], ticket[tt["department"]]
        issued = _at(ticket[tt["issued_at"]])

        def event(kind: str, at: datetime, department: str, window: int | None,
                  note: str = "") -> None:
            ev.append(self.row("ticket_event", id=self.next_id("ticket_event"), ticket_id=tid,
                               at=_s(at), actor="desk01" if kind == "issued" else "win01",
                               kind=kind, department=department, window=window, note=note))

        event("issued", issued, dept, None)
        if rng.random() < 0.08:
            group = rng.randrange(len(self.config.priority_groups))
            visit[tv["priority"]] = self.config.priority_groups[group].code
            ticket[tt["priority_rank"]] = group
        if rng.random() < 0.02:
            visit[tv["people"]] = people = rng.randint(5, 40)
            for pos in range(1, min(5, people // 5) + 1):
                out["representative"].append(self.row(
                    "representative", id=self.next_id("representative"),
                    visit_id=visit[tv["id"]], position=pos,
                    id_number=f"R{visit[tv['id']]:012d}{pos}", name="代表"))
        window = rng.choice(self.windows[dept])
        called = issued + timedelta(seconds=int(rng.expovariate(1 / 1200)) + 30)
        event("called", called, dept, window)
        if ticket[tt["status"]] == "no_show":
            event("recalled", called + timedelta(seconds=120), dept, window)
            event("no_show", called + timedelta(seconds=330), dept, window)
            ticket[tt["called_at"]], ticket[tt["window"]] = _s(called), window
            return
        if rng.random() < 0.03:  # 转办: called, sent on, called again in the other queue
            to = rng.choice([d for d in self.open_departments if d != dept])
            moved = called + timedelta(seconds=rng.randint(120, 600))
            event("transferred", moved, to, window)
            dept, window = to, rng.choice(self.windows[to])
            called = moved + timedelta(seconds=int(rng.expovariate(1 / 900)) + 30)
            ticket[tt["department"]] = visit[tv["department"]] = dept
            event("called", called, dept, window)
        finished = called + timedelta(seconds=int(rng.expovariate(1 / 900)) + 60)
        outcome = rng.choices(self.outcomes, self.outcome_weights)[0]
        spec = self.config.outcome(outcome)
        event("finished", finished, dept, window, spec.name if spec else outcome)
        ticket[tt["called_at"]], ticket[tt["window"]] = _s(called), window
        visit[tv["outcome"]], visit[tv["finished_at"]] = outcome, _s(finished)
        visit[tv["finished_by"]] = f"win{window or 0:02d}"
        if spec and spec.refusal:
            visit[tv["outcome_reason"]] = "不属于信访受理范围"
            visit[tv["outcome_channel"]] = rng.choice(CHANNELS)
        if outcome in self.opens:
            self.open_case(out, visit, tv, outcome, dept, finished)
        elif visit[tv["is_repeat"]] and self.cases and rng.random() < 0.3:
            case_id, _ = self.cases[rng.randrange(max(0, len(self.cases) - 2000),
                                                  len(self.cases))]
            out["case_visit"].append(self.row(
                "case_visit", id=self.next_id("case_visit"), case_id=case_id,
                visit_id=visit[tv["id"]], linked_at=_s(finished), linked_by="win01"))

    def open_case(self, out: dict[str, list], visit: list, tv: dict[str, int], outcome: str,
                  dept: str, at: datetime) -> None:
        rng = self.rng
        case_id = self.next_id("case")
        opened = (at + timedelta(hours=8)).date()  # the hall's local date (+8)
        acceptance_due = self.due_after(opened, self.limits.acceptance_days)
        handling_due = self.due_after(opened, self.limits.handling_days)
        steps: list[tuple[str, date, dict]] = []
        accepted = opened + timedelta(days=rng.choice((1, 3, 7, 12, 14, 16, 20)))
        steps.append(("accept", accepted, {}))
        steps.append(("assign", accepted, {"unit": dept}))
        extension = rng.random() < 0.04
        if extension:
            steps.append(("extend", accepted + timedelta(days=20), {"days": 30}))
            steps.append(("approve_extension", accepted + timedelta(days=22), {"told": "电话"}))
            handling_due = self.due_after(handling_due, self.limits.extension_days)
        if rng.random() < 0.06:
            steps.append(("urge", accepted + timedelta(days=30), {}))
        leader = ""
        if rng.random() < 0.02:
            leader = rng.choice(self.config.leaders).code
            steps.append(("lead", accepted + timedelta(days=5), {"leader": leader}))
        stalls = rng.random() < 0.03
        if not stalls:
            replied = accepted + timedelta(days=rng.randint(10, 70))
            satisfaction = rng.choices(("满意", "基本满意", "不满意"), (70, 20, 10))[0]
            steps += [("reply", replied, {}),
                      ("followup", replied + timedelta(days=3),
                       {"how": rng.choice(self.ways), "satisfaction": satisfaction}),
                      ("close", replied + timedelta(days=5), {})]
        steps.sort(key=lambda s: s[1])
        state, accepted_on, closed_on, sat, ext = "pending", None, None, "", ""
        after = {"accept": "accepted", "assign": "handling", "reply": "replied",
                 "followup": "followed", "close": "closed"}
        entries = [("opened", opened, {"visit": visit[tv["id"]], "outcome": outcome})]
        for kind, on, detail in steps:
            if on >= BENCH_DAY:
                break
            entries.append((kind, on, detail))
            state = after.get(kind, state)
            accepted_on = on if kind == "accept" else accepted_on
            closed_on = on if kind == "close" else closed_on
            sat = detail.get("satisfaction", sat)
            ext = {"extend": "requested", "approve_extension": "approved"}.get(kind, ext)
        due_on = (acceptance_due if state == "pending" else handling_due
                  if state in ("accepted", "handling") else None)
        number = f"江信〔{opened.year}〕第 {case_id:04d} 号"
        stamp = _s(at)
        out["case"].append(self.row(
            "case", id=case_id, year=opened.year, seq=case_id, number=number,
            visitor_id=visit[tv["visitor_id"]], visit_id=visit[tv["id"]],
            category=visit[tv["category"]], matter=visit[tv["matter"]], outcome=outcome,
            department="" if outcome == "forward" else dept,
            outside_unit="区人民政府" if outcome == "forward" else "", state=state,
            open=state != "closed", opened_on=opened.isoformat(), opened_at=stamp,
            opened_by=visit[tv["finished_by"]], acceptance_due=acceptance_due.isoformat(),
            accepted_on=accepted_on and accepted_on.isoformat(),
            handling_due=handling_due.isoformat(), extension_days=30 if ext == "approved" else 0,
            extension_state=ext, due_on=due_on and due_on.isoformat(), leader=leader,
            satisfaction=sat, closed_on=closed_on and closed_on.isoformat(),
            last_seq=len(entries), updated_at=stamp))
        for seq, (kind, on, detail) in enumerate(entries, start=1):
            when = stamp if seq == 1 else f"{on.isoformat()} 02:00:00"
            out["case_entry"].append(self.row(
                "case_entry", id=self.next_id("case_entry"), case_id=case_id, seq=seq, at=when,
                actor="win01", kind=kind, state=state, note="", detail=json.dumps(detail)))
        out["case_visit"].append(self.row(
            "case_visit", id=self.next_id("case_visit"), case_id=case_id,
            visit_id=visit[tv["id"]], linked_at=stamp, linked_by="win01"))
        self.cases.append((case_id, visit[tv["visitor_id"]]))

    def day_extras(self, out: dict[str, list], day: date) -> None:
        """A business day's reception days (by the configured rules), incidents, 包案."""
        rng, iso = self.rng, day.isoformat()
        stamp = f"{(day - timedelta(days=14)).isoformat()} 01:00:00"
        for leader in self.config.leaders:
            for n, rule in enumerate(leader.rules):
                if day.day not in rule.days or (rule.every == "quarter"
                                                and day.month % 3 != rule.quarter_month % 3):
                    continue
                status = rng.choices(("held", "cancelled", "published"), (85, 8, 7))[0]
                day_id = self.next_id("leader_day")
                out["leader_day"].append(self.row(
                    "leader_day", id=day_id, leader=leader.code, department=leader.department,
                    date=iso, start=rule.start, end=rule.end, room="接访室",
                    capacity=rule.capacity, walk_ins=rule.walk_ins, status=status,
                    origin=f"cfg:{leader.code}:{n}", created_at=stamp, created_by="mgr01",
                    cancelled_at=stamp if status == "cancelled" else None,
                    cancel_reason="领导公务冲突" if status == "cancelled" else ""))
                for seq in range(1, rule.capacity + 3):
                    kept = rng.choices(("checked_in", "booked", "cancelled"), (75, 15, 10))[0]
                    booked = ("day_cancelled" if status == "cancelled" else "waitlisted"
                              if seq > rule.capacity else kept if status == "held"
                              else "booked")
                    out["leader_booking"].append(self.row(
                        "leader_booking", id=self.next_id("leader_booking"), day_id=day_id,
                        visitor_id=rng.randint(1, 1000), seq=seq, status=booked,
                        category=self.config.leader_settings.default_category, matter="征收补偿",
                        created_at=stamp, created_by="desk01", updated_at=stamp))
        types = self.config.incidents.types
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            kind = rng.choice(types)
            incident_id = self.next_id("incident")
            at = f"{iso} 0{rng.randint(1, 8)}:{rng.randint(10, 59)}:00"
            entries = rng.randint(1, 4)
            out["incident"].append(self.row(
                "incident", id=incident_id, business_day=iso, logged_at=at, logged_by="desk01",
                type=kind.code, severity=kind.severity, place="候谈区",
                people=rng.randint(1, 6), status="closed" if rng.random() < 0.95 else "open",
                last_seq=entries, updated_at=at))
            for seq in range(1, entries + 1):
                out["incident_entry"].append(self.row(
                    "incident_entry", id=self.next_id("incident_entry"),
                    incident_id=incident_id, seq=seq, at=at,
                    actor="desk01", kind="logged" if seq == 1 else "action",
                    action="" if seq == 1 else "dissuade", note="已处置"))
        if rng.random() < 0.05:
            out["leader_case"].append(self.row(
                "leader_case", id=self.next_id("leader_case"), visitor_id=rng.randint(1, 1000),
                leader=rng.choice(self.config.leaders).code, taken_on=iso, matter="征收补偿",
                created_at=f"{iso} 02:00:00", created_by="mgr01"))


def chunks(hall: Hall, n_tickets: int, per_day: int) -> Iterator[dict[str, list]]:
    """The issue history at ``per_day`` tickets a business day, with its life added."""
    life = Life(hall.config)
    for out in generate(hall, n_tickets, chunk_days=20, per_day=per_day):
        yield life.chunk(out)


def build_sqlite(path: Path, config: HallConfig, n_tickets: int, per_day: int) -> float:
    """Build the database at ``path`` (indexes dropped while loading); seconds taken."""
    return load_sqlite(path, config, BUILT_AT, lambda hall: chunks(hall, n_tickets, per_day),
                       BASE + EXTRA)


PG_SCHEMA = "hall_bench_stats"


def pg_url(base: str) -> str:
    return bigdb.pg_url(base, PG_SCHEMA)


def build_pg(base: str, config: HallConfig, n_tickets: int, per_day: int,
             rebuild: bool) -> float | None:
    """The same rows in schema hall_bench_stats (COPY); None when a matching one is there."""
    return load_pg(base, PG_SCHEMA, config, BUILT_AT,
                   lambda hall: chunks(hall, n_tickets, per_day), BASE + EXTRA,
                   f"{n_tickets}-{per_day}-v{SCHEMA_VERSION}", rebuild)
