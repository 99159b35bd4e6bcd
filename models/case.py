"""Cases (信访事项) after the window: the case, its append-only timeline, its visits, documents,
the interview record (接谈记录) and follow-up appointments (约谈) (schema v9).

A case is opened when a window finishes a visit with an outcome that opens one (立案交办, 转送 …),
in the same transaction. Its number is unique per year (``case_counter`` taken atomically, a
unique index behind it). From then on nothing in it is deleted: every step is a new numbered
:class:`CaseEntry` (taken under the case's row lock, as incidents do), and the case row keeps only
what lists and alerts filter on (state, unit, leader, the next due date) plus the dates each
step set. A case's visits (the first, and later repeat visits about the same matter) are
:class:`CaseVisit` links; the documents printed for it are :class:`CaseDocument` rows.
"""

from __future__ import annotations

import peewee as pw

from models.base import BaseModel
from models.visitor import Visit, Visitor


class CaseCounter(BaseModel):
    """The last case number taken in a year (one row per year)."""

    year = pw.IntegerField(primary_key=True)
    last = pw.IntegerField(default=0)


class Case(BaseModel):
    """One matter followed from the window to its close."""

    year = pw.IntegerField()
    seq = pw.IntegerField()  # 1, 2, 3 … within the year
    number = pw.CharField(max_length=64, unique=True)  # 江信〔2026〕第 0137 号
    visitor = pw.ForeignKeyField(Visitor, backref="cases", on_delete="RESTRICT")
    visit = pw.ForeignKeyField(Visit, null=True, backref="opened_cases", on_delete="RESTRICT")
    category = pw.CharField(max_length=32)
    matter = pw.TextField()
    request = pw.TextField(default="")
    outcome = pw.CharField(max_length=32, default="")  # the 办理方式 that opened it
    department = pw.CharField(max_length=32, default="")  # 承办单位: a department of the hall …
    outside_unit = pw.CharField(max_length=128, default="")  # … or an outside unit (转送)
    confidential = pw.BooleanField(default=False)  # copied from the category when opened
    state = pw.CharField(max_length=16)  # see hall.cases.states
    open = pw.BooleanField(default=True)  # False once closed (办结, 不予受理, 不再受理)
    opened_on = pw.DateField()  # the hall's local date the case was opened
    opened_at = pw.DateTimeField()
    opened_by = pw.CharField(max_length=32)
    acceptance_due = pw.DateField()
    accepted_on = pw.DateField(null=True)
    handling_due = pw.DateField()
    extension_days = pw.IntegerField(default=0)  # granted; 0 = none
    extension_state = pw.CharField(max_length=16, default="")  # "" / requested / approved / refused
    due_on = pw.DateField(null=True)  # the next date the hall holds the case to; None when closed
    leader = pw.CharField(max_length=32, default="")  # 包案: the leader in charge, if any
    satisfaction = pw.CharField(max_length=8, default="")  # 满意 / 基本满意 / 不满意
    parent = pw.ForeignKeyField("self", null=True, backref="reviews", on_delete="RESTRICT")
    closed_on = pw.DateField(null=True)
    last_seq = pw.IntegerField(default=0)  # the number of its latest entry
    updated_at = pw.DateTimeField()

    class Meta:
        indexes = (
            (("year", "seq"), True),
            # overdue and due soon: open cases by due date
            (("open", "due_on"), False),
            (("state", "due_on"), False),
            (("department", "open", "due_on"), False),
            (("leader", "open"), False),
            (("visitor", "open"), False),
            # schema v10: the statistics take a period's cases by the day they were opened
            (("opened_on",), False),
        )


class CaseEntry(BaseModel):
    """A dated step of a case (opened, accepted, urged, replied …); append-only."""

    case = pw.ForeignKeyField(Case, backref="entries", on_delete="RESTRICT")
    seq = pw.IntegerField()  # 1, 2, 3 … within the case: the timeline's order
    at = pw.DateTimeField()
    actor = pw.CharField(max_length=32)
    kind = pw.CharField(max_length=24)  # the step, see hall.cases.states.STEPS
    state = pw.CharField(max_length=16)  # the case's state after the step
    note = pw.TextField(default="")
    due_on = pw.DateField(null=True)  # a date the step set (urge, extension, acceptance)
    detail = pw.TextField(default="{}")  # JSON: unit, how, satisfaction, reason, channel, days …

    class Meta:
        indexes = ((("case", "seq"), True),)


class CaseVisit(BaseModel):
    """A visit about a case: the one it was opened from, and later repeat visits."""

    case = pw.ForeignKeyField(Case, backref="visit_links", on_delete="RESTRICT")
    visit = pw.ForeignKeyField(Visit, backref="case_links", on_delete="RESTRICT")
    linked_at = pw.DateTimeField()
    linked_by = pw.CharField(max_length=32)

    class Meta:
        indexes = ((("case", "visit"), True), (("visit",), False))


class CaseDocument(BaseModel):
    """A document issued for a case (受理告知书, 交办单 …), with its own number; a reprint is a
    new audit event, not a new row."""

    case = pw.ForeignKeyField(Case, backref="documents", on_delete="RESTRICT")
    kind = pw.CharField(max_length=24)
    number = pw.CharField(max_length=80, unique=True)
    issued_at = pw.DateTimeField()
    issued_by = pw.CharField(max_length=32)
    printed = pw.IntegerField(default=1)  # times rendered (the first and each reprint)


class InterviewRecord(BaseModel):
    """接谈记录 of a visit, written at the window as the interview goes; each save is a new
    version (the latest is the record), so nothing said is lost."""

    visit = pw.ForeignKeyField(Visit, backref="interviews", on_delete="RESTRICT")
    version = pw.IntegerField()
    at = pw.DateTimeField()
    actor = pw.CharField(max_length=32)
    stated = pw.TextField(default="")  # what the visitor stated
    asked = pw.TextField(default="")  # what was asked
    answered = pw.TextField(default="")  # what was answered
    materials = pw.TextField(default="")  # materials received

    class Meta:
        indexes = ((("visit", "version"), True),)


class Appointment(BaseModel):
    """约谈: a follow-up appointment set by a window, on a case (or a visit not yet a case)."""

    case = pw.ForeignKeyField(Case, null=True, backref="appointments", on_delete="RESTRICT")
    visit = pw.ForeignKeyField(Visit, backref="appointments", on_delete="RESTRICT")
    window = pw.IntegerField(null=True)
    department = pw.CharField(max_length=32)
    at = pw.DateTimeField()  # when the visitor is to come (stored UTC, naive)
    note = pw.TextField(default="")  # what to bring, what for
    status = pw.CharField(max_length=12, default="open")  # open / kept / cancelled
    made_at = pw.DateTimeField()
    made_by = pw.CharField(max_length=32)

    class Meta:
        indexes = ((("department", "status", "at"), False), (("window", "status", "at"), False))


CASE_MODELS: list[type[BaseModel]] = [CaseCounter, Case, CaseEntry, CaseVisit, CaseDocument,
                                      InterviewRecord, Appointment]
