"""Two terminals recording on one incident at the same instant: both kept, in order.

Real OS processes ("spawn") act on the same incident after a common barrier, on SQLite and (with
HALL_TEST_PG_URL) PostgreSQL. Every entry must be there, numbered 1..n without gap or duplicate,
each process's entries in the order it wrote them; and once one process closes the incident, no
action of the other may land after the close.
"""

from __future__ import annotations

from config import HallConfig
from hall import Hall
from hall.clock import FixedClock
from hall.incidents import NewIncident
from models import AuditEvent, IncidentEntry, open_database
from tests import workers
from tests.workers import run_workers

PER_PROCESS = 25


def _incident(db_url: str, config: HallConfig, clock: FixedClock) -> int:
    db = open_database(db_url)
    hall = Hall(db, config, clock)
    incident = hall.incidents.log(NewIncident("gathering", "大厅入口", "二十余人聚集"), "desk01").id
    db.close()
    return incident


def test_two_processes_acting_at_once_are_both_kept_in_order(db_url: str, config: HallConfig,
                                                            clock: FixedClock) -> None:
    incident = _incident(db_url, config, clock)
    outcomes = run_workers(workers.act_many,
                           [(db_url, incident, actor, PER_PROCESS) for actor in ("win01", "win02")],
                           timeout=180)
    assert [o["errors"] for o in outcomes] == [[], []], outcomes
    db = open_database(db_url)
    entries = list(IncidentEntry.select().where(IncidentEntry.incident == incident)
                   .order_by(IncidentEntry.seq))
    total = 1 + 2 * PER_PROCESS
    assert [e.seq for e in entries] == list(range(1, total + 1))  # no gap, no duplicate
    for o in outcomes:
        mine = [e for e in entries if e.actor == o["actor"]]
        assert [e.note for e in mine] == [f"{o['actor']}-{n}" for n in range(PER_PROCESS)]
        assert [e.seq for e in mine] == o["seqs"]  # what each terminal was told is what is kept
    acts = AuditEvent.select().where(AuditEvent.action == "incident.action").count()
    assert acts == 2 * PER_PROCESS
    hall = Hall(db, config, clock)
    assert hall.incidents.list()[0].entries == total
    db.close()


def test_a_close_racing_with_actions_leaves_no_action_after_it(db_url: str, config: HallConfig,
                                                               clock: FixedClock) -> None:
    incident = _incident(db_url, config, clock)
    outcomes = run_workers(workers.act_until_closed,
                           [(db_url, incident, "win01", 0), (db_url, incident, "mgr01", 10)],
                           timeout=180)
    assert [o["errors"] for o in outcomes] == [[], []], outcomes
    actor, closer = outcomes if outcomes[0]["actor"] == "win01" else outcomes[::-1]
    assert actor["refused"] == 1  # it stopped only because the incident was closed
    db = open_database(db_url)
    entries = list(IncidentEntry.select().where(IncidentEntry.incident == incident)
                   .order_by(IncidentEntry.seq))
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert entries[-1].kind == "closed" and entries[-1].seq == closer["closed"]
    assert len(entries) == 1 + len(actor["seqs"]) + 10 + 1
    db.close()
