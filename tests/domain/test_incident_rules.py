"""Rules of the incident record looked at again (issue 5): what a correction of a correction
shows, and that entry times follow entry order when two terminals write at the same moment.

On SQLite, and PostgreSQL when HALL_TEST_PG_URL is set.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from peewee import OperationalError

from hall import Hall
from hall.clock import FixedClock
from hall.incidents import NewIncident
from hall.incidents.report import report_csv
from models import AuditEvent, Incident, IncidentEntry, is_sqlite, write_transaction


def _logged(hall: Hall) -> int:
    return hall.incidents.log(NewIncident("lingering", "候谈区", "大声吵闹"), "win01").id


def test_a_correction_of_a_correction_is_what_the_record_says(hall: Hall) -> None:
    incident = _logged(hall)
    hall.incidents.correct(incident, 1, "两人大声吵闹", "win01")  # #2 corrects #1
    # #3 corrects the correction
    hall.incidents.correct(incident, 2, "三人大声吵闹，拒不离开", "mgr01")
    detail = hall.incidents.detail(incident, "mgr01")
    assert detail.note == "三人大声吵闹，拒不离开"
    assert [e.note for e in detail.entries] == [  # each entry as written
        "大声吵闹", "两人大声吵闹", "三人大声吵闹，拒不离开"]
    assert (detail.entries[0].corrected_by, detail.entries[1].corrected_by) == ((2,), (3,))
    # The conclusion the same way; a later direct correction of the close wins over older ones.
    hall.incidents.close(incident, "自行离开", "mgr01")  # #4
    hall.incidents.correct(incident, 4, "经劝说离开", "mgr01")  # #5
    hall.incidents.correct(incident, 5, "经劝说后由家属接回", "mgr01")  # #6
    assert hall.incidents.detail(incident, "mgr01").conclusion == "经劝说后由家属接回"
    hall.incidents.correct(incident, 4, "由属地接回", "mgr01")  # #7: the newest word on the close
    report = hall.incidents.report(hall.today(), "mgr01")
    assert report.incidents[0].conclusion == "由属地接回"
    assert report.incidents[0].note == "三人大声吵闹，拒不离开"
    assert "三人大声吵闹，拒不离开" in report_csv(report)


def test_an_entry_waiting_for_the_lock_takes_its_time_after_it(hall: Hall,
                                                               clock: FixedClock) -> None:
    """A terminal that waits for another's write records the moment it got its turn: times go
    forward with the entry numbers (PostgreSQL waits at the row lock, after the transaction
    began; SQLite at BEGIN IMMEDIATE)."""
    incident = _logged(hall)
    done: dict[str, Any] = {}

    def other_terminal() -> None:
        try:
            done["entry"] = hall.incidents.act(incident, "educate", "win02")
        except Exception as exc:  # reported below, never hidden
            done["error"] = exc
        finally:
            hall.db.close()

    with write_transaction(hall.db):
        query = Incident.select().where(Incident.id == incident)
        (query if is_sqlite(hall.db) else query.for_update()).first()  # the lock is ours
        waiting = threading.Thread(target=other_terminal)
        waiting.start()
        time.sleep(0.5)  # the other terminal is now waiting for the lock
        clock.advance(minutes=1)
        # #2, a minute later, while the other waits
        hall.incidents.act(incident, "dissuade", "win01")
    waiting.join(30)
    assert "error" not in done, done
    assert done["entry"].seq == 3
    entries = list(IncidentEntry.select().where(IncidentEntry.incident == incident)
                   .order_by(IncidentEntry.seq))
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[2].at >= entries[1].at, [(e.seq, e.at) for e in entries]
    assert entries[2].at - entries[0].at >= timedelta(minutes=1)


def test_a_log_that_fails_to_read_back_writes_nothing(hall: Hall,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The form says 保存失败，未写入 on any error: then nothing may have been written, or the
    retry that message invites would log the incident twice."""
    def away(rows: object) -> None:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(hall.incidents, "_summaries", away)
    with pytest.raises(OperationalError):
        hall.incidents.log(NewIncident("illness", "候谈区", "晕倒"), "win01")
    monkeypatch.undo()
    assert (Incident.select().count(), IncidentEntry.select().count()) == (0, 0)
    assert AuditEvent.select().where(AuditEvent.action == "incident.log").count() == 0
    assert hall.incidents.log(NewIncident("illness", "候谈区", "晕倒"), "win01").id >= 1
