"""Cases (信访事项): opened, on time or late, overdue now, extended, urged, followed up, rated.

The cases of a period are those **opened** in it (``Case.opened_on``, the hall's local date);
every figure of this section is about those cases, whenever their later steps were taken (a
cohort: November's report tells what became of November's cases so far).

- 承办单位: the handling unit, a department of the hall by its name, or the outside unit's name
  for a case forwarded (转送) or assigned outside; 「未指定」 when none is named yet.
- 新立案: cases opened.
- 按时受理告知: accepted (the acceptance notice sent, 受理告知) on or before its limit
  (``accepted_on <= acceptance_due``). In :data:`cases_timeliness` the row 受理告知 counts as
  超时 a notice sent after its limit **and** a case still pending past it; a case refused
  (不予受理 / 不再受理) is in neither.
- 按时答复: the unit's answer stands (the case is 已答复, 已回访 or 办结; a reply sent back with
  退回 is not an answer until the next one) and its latest reply was given, by the hall's local
  date, on or before the handling limit, **including an approved extension** (the case row's
  ``handling_due`` moves on when the extension is approved). 超时: a reply after the limit, or a
  case in hand (已受理 / 办理中) whose limit has passed.
- 当前逾期: of the period's cases, those open and past their due date **today** (the hall's
  local date, whatever the period): the overdue list's rule (:func:`hall.cases.reads.
  overdue_cases`). The top-bar alert counts every case; this counts the period's.
- 延期: cases with an approved extension. 督办: cases urged at least once (督办 entries).
- 回访: follow-ups done (回访 entries: a case followed up twice counts twice).
- 满意 / 基本满意 / 不满意: each case's latest follow-up (``Case.satisfaction``); 满意率 =
  (满意 + 基本满意) / cases rated, in percent.

Filters: the department filter is the case's department (``Case.department``, the unit after
交办); category and district follow the visit the case was opened from (its category and the
visitor's district at registration, whatever the visit's business day), so a case opened
without a visit (复查, a 包案 opened by a leader) is left out when one of them is set.

Confidential cases count in every total: figures hold no personal data.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import peewee as pw
from peewee import fn

from hall.cases.reads import CaseReads, overdue_cases
from hall.cases.states import SATISFACTION
from hall.stats.query import Query, Section
from hall.stats.views import Chart, Headline, Table, share
from models import Case, CaseEntry, Visit
from models.figures import shifted_date

__all__ = ["ANSWERED", "case_condition", "section"]

ANSWERED = ("replied", "followed", "closed")
"""The states in which a unit's answer stands."""
IN_HAND = ("accepted", "handling")
"""The states in which the unit still owes its answer."""
UNIT_COLUMNS = ("承办单位", "新立案", "按时受理告知", "按时答复", "当前逾期", "延期", "督办",
                "回访", "满意", "基本满意", "不满意", "满意率（%）")


def case_condition(q: Query, model: type[Case] = Case) -> pw.Expression:
    """Cases opened in the period under the filters (the department on the case; category
    and district on the visit it was opened from)."""
    cond = (model.opened_on >= q.start) & (model.opened_on <= q.end)  # its index (schema v10)
    f = q.filters
    if f.department:
        cond &= model.department == f.department
    if f.category or f.district:
        # the visit by its key, case by case: the period's cases are few, the visits many
        visit = Visit.select(Visit.id).where(Visit.id == model.visit)
        if f.category:
            visit = visit.where(Visit.category == f.category)
        if f.district:
            visit = visit.where(Visit.district == f.district)
        cond &= fn.EXISTS(visit)
    return cond


def hall_today(q: Query) -> date:
    """The hall's local date now, as the case lists take it."""
    return CaseReads(q.store).local_today()


def _offset_seconds(q: Query) -> int:
    """The zone's offset from UTC on the period's last day (Asia/Shanghai: +8 h all year)."""
    from datetime import UTC, datetime, time

    offset = datetime.combine(q.end, time(12), tzinfo=UTC).astimezone(q.tz).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def _flag(cond: pw.Expression) -> pw.Node:
    return fn.SUM(pw.Case(None, [(cond, 1)], 0))


def _per_unit(q: Query, where: pw.Expression, today: date) -> list[tuple]:
    """Per (department, outside unit): opened, accepted on time / late, answered on time /
    late, overdue now, extended, 满意, 基本满意, 不满意.

    Two levels: the inner query reads the period's cases once (each case's latest reply by the
    entries' index on the case, its flags), the outer adds them up by unit; the reply is
    compared with the handling limit column to column."""
    last_reply = (CaseEntry.select(fn.MAX(CaseEntry.at))
                  .where((CaseEntry.case == Case.id) & (CaseEntry.kind == "reply")))
    pending = (Case.open == True) & (Case.state == "pending")  # noqa: E712
    flags = {
        "accepted_ok": Case.accepted_on <= Case.acceptance_due,
        "accepted_late": (Case.accepted_on > Case.acceptance_due)
        | (pending & (Case.acceptance_due < today)),
        "answered": Case.state.in_(ANSWERED),
        "owed_late": Case.state.in_(IN_HAND) & (Case.handling_due < today),
        "overdue": overdue_cases(today),
        "extended": Case.extension_state == "approved",
        **{f"rated{i}": Case.satisfaction == s for i, s in enumerate(SATISFACTION)},
    }
    inner = (Case.select(Case.department, Case.outside_unit, Case.handling_due,
                         shifted_date(q.db, last_reply, _offset_seconds(q)).alias("replied_on"),
                         *(pw.Case(None, [(cond, 1)], 0).alias(name)
                           for name, cond in flags.items()))
             .where(where).alias("per_case"))
    c = inner.c
    answered = (c.answered == 1) & c.replied_on.is_null(False)
    columns = [c.department, c.outside_unit, fn.COUNT(c.handling_due), fn.SUM(c.accepted_ok),
               fn.SUM(c.accepted_late),
               _flag(answered & (c.replied_on <= c.handling_due)),
               _flag((answered & (c.replied_on > c.handling_due)) | (c.owed_late == 1)),
               fn.SUM(c.overdue), fn.SUM(c.extended), fn.SUM(c.rated0), fn.SUM(c.rated1),
               fn.SUM(c.rated2)]
    return list(pw.Select([inner], columns).group_by(c.department, c.outside_unit)
                .bind(q.db).tuples())


def section(q: Query) -> Section:
    """The cases' headlines and tables."""
    today = hall_today(q)
    where = case_condition(q)
    rows = _per_unit(q, where, today)

    entries: dict[tuple[str, str, str], tuple[int, int]] = {}
    for dept, outside, kind, count, cases in (
            CaseEntry.select(Case.department, Case.outside_unit, CaseEntry.kind,
                             fn.COUNT(CaseEntry.id), fn.COUNT(fn.DISTINCT(CaseEntry.case)))
            .join(Case, on=(CaseEntry.case == Case.id))
            .where(where & CaseEntry.kind.in_(("urge", "followup")))
            .group_by(Case.department, Case.outside_unit, CaseEntry.kind).tuples()):
        entries[(dept, outside, kind)] = (int(count), int(cases))

    # one line per unit (a department and an outside unit of the same name are one unit)
    units: dict[str, list[int]] = defaultdict(lambda: [0] * 12)
    for dept, outside, *figures in rows:
        unit = _unit(q, dept, outside)
        line = units[unit]
        urged = entries.get((dept, outside, "urge"), (0, 0))[1]
        followups = entries.get((dept, outside, "followup"), (0, 0))[0]
        for i, value in enumerate([*figures, urged, followups]):
            line[i] += int(value or 0)
    # line: opened, acc ok, acc late, ans ok, ans late, overdue, extended, 满意, 基本满意, 不满意,
    #       urged, followups
    table = []
    for unit, v in sorted(units.items(), key=lambda kv: (-kv[1][0], kv[0])):
        rated = v[7] + v[8] + v[9]
        table.append((unit, v[0], v[1], v[3], v[5], v[6], v[10], v[11], v[7], v[8], v[9],
                      share(v[7] + v[8], rated)))
    total = [sum(v[i] for v in units.values()) for i in range(12)]
    opened, acc_ok, acc_late, ans_ok, ans_late, overdue, extended = total[:7]
    satisfied, basic, unsatisfied, urged, followups = total[7:12]
    rated = satisfied + basic + unsatisfied

    out = Section()
    out.headlines += [
        Headline("cases_opened", "新立案", opened, "件"),
        Headline("cases_accepted_on_time", "按时受理告知", acc_ok, "件"),
        Headline("cases_answered_on_time", "按时答复", ans_ok, "件"),
        Headline("cases_overdue", "本期立案中当前逾期", overdue, "件"),
        Headline("cases_extended", "延期", extended, "件"),
        Headline("cases_urged", "督办", urged, "件"),
        Headline("followups", "回访", followups, "次"),
        Headline("satisfied_rate", "满意率", share(satisfied + basic, rated), "%"),
    ]
    out.tables.append(Table(
        "cases_by_unit", "各承办单位案件", UNIT_COLUMNS, tuple(table),
        Chart("bar", 0, (2, 3, 4)),
        f"本期立案的案件（按立案日）；当前逾期按今天（{today}）计；督办按件、回访按次计；"
        "满意率 = （满意 + 基本满意）/ 已评价件数；保密案件计入合计"))
    out.tables.append(Table(
        "cases_timeliness", "案件办理时效", ("环节", "按时", "超时", "按时率（%）"),
        (("受理告知", acc_ok, acc_late, share(acc_ok, acc_ok + acc_late)),
         ("答复", ans_ok, ans_late, share(ans_ok, ans_ok + ans_late))),
        Chart("bar", 0, (1, 2), stacked=True),
        "超时含已过期限仍未受理告知或未答复的案件；答复期限含批准的延期"))
    out.tables.append(Table(
        "satisfaction", "回访满意度", ("评价", "件数", "占比（%）"),
        tuple((name, n, share(n, rated))
              for name, n in zip(SATISFACTION, (satisfied, basic, unsatisfied), strict=True)),
        Chart("bar"), "本期立案且已回访的案件，以最近一次回访的评价计"))
    return out


def _unit(q: Query, department: str, outside: str) -> str:
    if outside:
        return outside
    return q.department_name(department) if department else "未指定"
