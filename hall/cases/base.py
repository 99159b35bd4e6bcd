"""What the case context's parts share: the texts' checks, the entry machinery, the locks.

:class:`CaseBase` holds the store and the reads; :class:`~hall.cases.opening.Opening` opens cases
on it and :class:`~hall.cases.context.Cases` takes their steps. Every entry goes through
:meth:`CaseBase._append`: the next number under the case's row lock, the row's state and dates,
the audit event.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from hall.cases import deadlines
from hall.cases.reads import CaseReads
from hall.cases.states import CLOSED, STEPS, refusal_text
from hall.desk.registration import FormError
from hall.errors import NotFound, Refused
from hall.text import freetext
from models import Case, CaseEntry
from models import statements as sql
from models.locks import locked_case

if TYPE_CHECKING:
    from config.leaders import Leader
    from hall.accounts.actor import Actor
    from hall.store import Store

CASES = "cases"
"""The change-counter topic of cases (the managers' top bar and the case screen poll it)."""

TEXT_LABELS = {"note": "说明", "reason": "理由", "channel": "告知途径", "unit": "承办单位",
               "how": "方式", "matter": "事由"}
_TEXTS = {"note": (freetext.NOTE, True), "reason": (freetext.REASON, True),
          "channel": (freetext.LINE, False), "unit": (128, False), "how": (freetext.LINE, False),
          "matter": (freetext.TEXT, True)}
MAX_URGE_DAYS = 366
"""An urge's new date at most this far ahead: a far date is a typing error."""


def case_text_errors(**texts: str) -> dict[str, str]:
    """What is wrong with a step's texts, by key; empty when they can be stored (the screens'
    dialogs show these beside their fields before they close)."""
    return freetext.errors_of({k: _TEXTS[k] for k in texts}, texts)


def _texts(**texts: str) -> dict[str, str]:
    return freetext.cleaned_or_raise({k: _TEXTS[k] for k in texts}, texts,
                                     lambda e: FormError(e, TEXT_LABELS))


def _required(**texts: str) -> dict[str, str]:
    """The texts cleaned; each must be non-empty (:class:`FormError` naming the empty ones)."""
    cleaned = _texts(**texts)
    empty = {k: "不能为空" for k, v in cleaned.items() if not v}
    if empty:
        raise FormError(empty, TEXT_LABELS)
    return cleaned


@dataclass(frozen=True)
class Opened:
    """A case opened (or a visit linked to an open one) by finishing a visit."""

    case_id: int
    number: str
    new: bool  # False: the visit was about an open case and became an entry on it


class CaseBase:
    """The store, the configuration, the reads, and the machinery every step uses."""

    def __init__(self, store: Store,
                 leaders: Callable[[], Mapping[str, Leader]] | None = None,
                 active_leader: Callable[[str], Leader] | None = None) -> None:
        self._store = store
        self._config = store.config
        self.reads = CaseReads(store, leaders)
        self._active_leader = active_leader or self._configured_leader
        """A leader who may take a case now (the roster's, refused when retired)."""

    def _configured_leader(self, code: str) -> Leader:
        """Without the roster (a Cases built alone): the configured leader, or NotFound."""
        spec = self._config.leader(code)
        if spec is None:
            valid = "、".join(x.code for x in self._config.leaders) or "无"
            raise NotFound(f"未知的领导“{code}”，应为：{valid}")
        return spec

    def _append(self, row: Case, actor: str, at: datetime, kind: str, state: str, *,
                note: str = "", detail: dict[str, Any] | None = None,
                entry_due: date | None = None, written: bool = False, **fields: Any) -> None:
        """Append the numbered entry and update the case row (its lock is held); ``written``:
        the row was just inserted as the entry leaves it (the opening entry), no update."""
        seq = row.last_seq + 1
        sql.insert_row(self._store.db, CaseEntry, {
            "case": row.id, "seq": seq, "at": at, "actor": actor, "kind": kind, "state": state,
            "note": note, "due_on": entry_due,
            "detail": json.dumps(detail or {}, ensure_ascii=False, default=str)})
        # only the step that closes the case dates its close: a remark, a document or a review
        # on a closed case leaves open/due_on/closed_on as they were
        closing = state in CLOSED and row.state not in CLOSED
        values: dict[str, Any] = {"last_seq": seq, "state": state, "updated_at": at, **fields}
        if closing:
            values.update(open=False, due_on=None, closed_on=self._store.local(at).date())
        if not written:
            Case.update(**values).where(Case.id == row.id).execute()
        row.last_seq = seq
        self._store.audit(actor, f"case.{kind}", "case", row.id, at,
                          {"seq": seq, "state": state, **{k: v for k, v in (detail or {}).items()
                                                          if k not in ("note",)}})

    def _find(self, case_id: int) -> Case:
        row = Case.get_or_none(Case.id == case_id)
        if row is None:
            raise NotFound(f"没有编号为 {case_id} 的案件")
        return row

    def _locked(self, case_id: int) -> Case:
        row = locked_case(self._store.db, case_id)
        if row is None:
            raise NotFound(f"没有编号为 {case_id} 的案件")
        return row

    def _departments(self, row: Case) -> tuple[str, ...]:
        """Who may act on a case, for scoped roles: its department, and its leader's room."""
        room = self.reads._leader_room(row.leader)
        return tuple(d for d in (row.department, room) if d)

    def _permit(self, actor: str, step: str, row: Case, room: str | None = None) -> Actor:
        act = STEPS[step].act
        if room is not None:
            return self._store.permit(actor, act, room)
        return self._store.permit(actor, act, departments=self._departments(row))

    def _check(self, row: Case, step: str) -> None:
        if row.state not in STEPS[step].before:
            raise Refused(refusal_text(step, row.state))

    def _handling_due(self, row: Case) -> date:
        return row.handling_due

    def _requested_days(self, row: Case) -> int:
        if row.extension_state != "requested":
            raise Refused("本案没有待批准的延期申请")
        asked = (CaseEntry.select(CaseEntry.detail)
                 .where((CaseEntry.case == row.id) & (CaseEntry.kind == "extend"))
                 .order_by(CaseEntry.seq.desc()).scalar())
        return int(json.loads(asked or "{}").get("days", 0))

    def _due(self, start: date, days: int) -> tuple[date, bool]:
        return deadlines.due(start, days, self._config.time_limits.counting)
