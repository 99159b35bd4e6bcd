"""回避 (recusal): a staff member with an interest in a visitor's matter does not handle it.

    hall.recusals.declare("11010519491231002X", "", "来访人系本人亲属", actor="win07")
    hall.recusals.of_actor("win07")                   # recusals in force, newest first
    hall.recusals.is_recused("win07", visitor_id)     # one indexed read
    hall.recusals.recused_from("win07")               # the visitors' ids, for a window's view
    hall.recusals.withdraw("11010519491231002X", "", actor="win07")
    hall.recusals.hand_back(7, "来访人系本人亲属", actor="win07")   # at the window: see below

A staff member recuses *themselves* (act ``recusal.declare``) from a visitor's file, found by its
document type and number (the mainland ID card by default), with a reason (required; checked by
:mod:`hall.text.freetext` like every reason, at most 500 characters). From then on:

- their window's call of the next ticket passes over that visitor's tickets, inside the one atomic
  claim (:func:`models.statements.claim_next`): another window of the same department calls them;
- calling that visitor's ticket by its number is refused (:meth:`hall.windows.Windows.call_number`);
- the window's view (``hall.windows.view(n, viewer=login)``) flags the current visitor
  (「已回避」) and marks them in the waiting list (回避) when the viewer is recused from them.

:meth:`hand_back` is the window's key: the current visitor turns out to be someone the staff
member must not handle. In one transaction it records the recusal (unless one is in force) and
puts the ticket back in its queue *at its original place*, exactly as a transfer keeps it (the
issue time and the priority rank stay; only the state, window, call time and recalls are reset),
and frees the window. Neither existing act fits: ``requeue`` takes only no-show tickets (a
recusal is not a no-show, and would be recorded as one), and ``transfer`` refuses the ticket's own
department, which is where it must stay. The ticket's history gets a ``recused`` event.

A withdrawn recusal stays in the table (``withdrawn_at``, ``withdrawn_by``): nothing is deleted.
Every declaration, withdrawal and hand-back is audited and bumps the ``tickets`` change counter,
so window terminals redraw their flag and queue within a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from hall.clock import to_storage
from hall.desk.registration import FormError
from hall.errors import NotFound, Refused
from hall.store import TICKETS
from hall.text import freetext
from hall.text.documents import ID_CARD, document_type, parse_document
from hall.text.idnumber import IdNumberError
from hall.text.masking import mask_id_number, mask_name
from models import Account, Recusal, Ticket, TicketEvent, Visitor
from models import statements as sql
from models.locks import locked_account

if TYPE_CHECKING:
    from hall.store import Store

LABELS = {"id_number": "证件号码", "document_type": "证件类型", "reason": "回避理由"}
"""The fields of a declaration, by the key a :class:`FormError` names them."""

NEED_REASON = "请填写回避理由（如：来访人系本人亲属、与本人有利害关系）"


@dataclass(frozen=True)
class RecusalView:
    """One recusal as a staff member sees their own: the visitor masked, the reason as typed."""

    id: int
    visitor_id: int
    name_masked: str
    id_number_masked: str
    doc_type: str
    reason: str
    at: str  # local time, 「2026-11-23 09:30」
    withdrawn_at: str = ""  # local time, "" while in force


def reason_errors(reason: str) -> dict[str, str]:
    """What is wrong with a recusal's reason (empty when it can be stored): the dialogs show it
    beside the field before they close."""
    errors: dict[str, str] = {}
    freetext.field(errors, "reason", reason, freetext.REASON, lines=True, required=NEED_REASON)
    return errors


class Recusals:
    """Declaring, withdrawing and reading recusals over one hall's Store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- acts -----------------------------------------------------------------------------------

    def declare(self, id_number: str, doc_type: str, reason: str, actor: str) -> RecusalView:
        """``actor`` recuses themselves from the file of (``doc_type``, ``id_number``).

        :class:`FormError` for a bad number or document type or a missing reason;
        :class:`NotFound` when no such file exists; :class:`Refused` when a recusal is already
        in force. One transaction: the recusal, its audit event, the change counter."""
        self.store.permit(actor, "recusal.declare")
        kind, number = self._document(id_number, doc_type, reason)
        cleaned = freetext.clean(reason, freetext.REASON, lines=True)
        with self.store.transaction():
            at = to_storage(self.store.now())
            visitor = self._visitor(kind, number)
            account = self._account(actor)
            if self._active(account.id, visitor.id) is not None:
                raise Refused(f"您已对来访人{mask_name(visitor.name)}"
                              f"（{mask_id_number(visitor.id_number)}）申请回避，无需重复申请")
            row = self._insert(account.id, visitor.id, cleaned, at, actor)
            return self._view(row, visitor)

    def withdraw(self, id_number: str, doc_type: str, actor: str) -> RecusalView:
        """Withdraw ``actor``'s recusal in force from that file (the row stays, marked withdrawn).

        :class:`Refused` when there is none."""
        self.store.permit(actor, "recusal.declare")
        kind, number = self._document(id_number, doc_type)
        with self.store.transaction():
            at = to_storage(self.store.now())
            visitor = self._visitor(kind, number)
            account = self._account(actor)
            row = self._active(account.id, visitor.id)
            if row is None:
                raise Refused(f"您未对来访人{mask_name(visitor.name)}"
                              f"（{mask_id_number(visitor.id_number)}）申请回避，无可撤回")
            Recusal.update(withdrawn_at=at, withdrawn_by=actor).where(
                (Recusal.id == row.id) & Recusal.withdrawn_at.is_null()).execute()
            self.store.audit(actor, "recusal.withdraw", "visitor", visitor.id, at,
                             {"recusal": row.id})
            self.store.bump(TICKETS)
            return self._view(Recusal.get_by_id(row.id), visitor)

    def hand_back(self, window: int, reason: str, actor: str) -> str:
        """At ``window``: ``actor`` recuses themselves from the current visitor, whose ticket goes
        back to its queue at its original place for another window; the window is free. ``reason``
        is needed unless a recusal is already in force. Returns the ticket's number."""
        spec = self.store.config.window(window)
        if spec is None:
            raise NotFound(f"没有 {window} 号窗口")
        signed = self.store.permit(actor, "recusal.declare")
        home = next((d for d in spec.departments if signed.may("window.call", d)),
                    spec.departments[0])
        self.store.permit(actor, "window.call", home)  # a window act: the window's staff only
        given = reason_errors(reason) if reason.strip() else {}
        if given:
            raise FormError(given, LABELS)
        cleaned = freetext.clean(reason, freetext.REASON, lines=True)
        with self.store.transaction():
            at = to_storage(self.store.now())
            _, _, current = sql.lock_window(self.store.db, window=spec.number, at=at)
            if current is None:
                raise Refused(f"{spec.title}当前没有来访，无法回避")
            ticket = Ticket.get_by_id(current)
            visitor = ticket.visit.visitor
            account = self._account(actor)
            if self._active(account.id, visitor.id) is None:
                if not cleaned:
                    raise FormError({"reason": NEED_REASON}, LABELS)
                self._insert(account.id, visitor.id, cleaned, at, actor)
            # issued_at and priority_rank stay: the visitor keeps the original place (一票到底).
            Ticket.update(status="waiting", window=None, called_at=None, recalls=0).where(
                Ticket.id == ticket.id).execute()
            sql.set_current(self.store.db, window=spec.number, ticket_id=None, actor=actor,
                            at=at)
            sql.insert_row(self.store.db, TicketEvent, {
                "ticket": ticket.id, "at": at, "actor": actor, "kind": "recused",
                "department": ticket.department, "window": spec.number, "note": "回避"})
            self.store.audit(actor, "ticket.recused", "ticket", ticket.id, at,
                             {"number": ticket.number, "window": spec.number})
            self.store.bump(TICKETS)
            return str(ticket.number)

    # -- reads ----------------------------------------------------------------------------------

    def of_actor(self, login: str, *, withdrawn: bool = False) -> tuple[RecusalView, ...]:
        """``login``'s recusals in force, newest first (``withdrawn``: the withdrawn ones too)."""
        query = (Recusal.select(Recusal, Visitor).join(Visitor)
                 .switch(Recusal).join(Account)
                 .where(Account.login == login)
                 .order_by(Recusal.at.desc(), Recusal.id.desc()))
        if not withdrawn:
            query = query.where(Recusal.withdrawn_at.is_null())
        return freetext.shown_in(tuple(self._view(r, r.visitor) for r in query))

    def recused_from(self, login: str) -> frozenset[int]:
        """The ids of the visitors ``login`` has a recusal in force from (one indexed read; a
        window's view marks them, calling one by number is refused)."""
        return frozenset(r for (r,) in Recusal.select(Recusal.visitor).join(Account)
                         .where((Account.login == login) & Recusal.withdrawn_at.is_null())
                         .tuples())

    def is_recused(self, login: str, visitor_id: int) -> bool:
        """Whether ``login`` has a recusal in force from the visitor ``visitor_id``."""
        return (Recusal.select(Recusal.id).join(Account)
                .where((Recusal.visitor == visitor_id) & (Account.login == login)
                       & Recusal.withdrawn_at.is_null())
                .exists())

    # -- helpers --------------------------------------------------------------------------------

    def _document(self, id_number: str, doc_type: str, reason: str | None = None
                  ) -> tuple[str, str]:
        """(document type, normalised number), or :class:`FormError` naming every bad field
        (the reason too, when given: ``declare`` checks all before writing anything)."""
        errors = {} if reason is None else reason_errors(reason)
        kind = doc_type or ID_CARD
        number = ""
        if document_type(kind) is None:
            errors["document_type"] = f"未知的证件类型“{freetext.shown(kind)}”"
        else:
            try:
                number = parse_document(kind, id_number, today=self.store.today()).value
            except IdNumberError as exc:
                errors["id_number"] = str(exc)
        if errors:
            raise FormError(errors, LABELS)
        return kind, number

    def _account(self, login: str) -> Account:
        """The actor's account row, locked for this transaction (PostgreSQL): two terminals of
        one staff member declaring the same recusal at once make one row, not two."""
        return locked_account(self.store.db, Account.get(Account.login == login).id)

    @staticmethod
    def _visitor(kind: str, number: str) -> Any:
        visitor = Visitor.get_or_none((Visitor.doc_type == kind) & (Visitor.id_number == number))
        if visitor is None:
            raise NotFound(f"没有证件号码为 {mask_id_number(number)} 的来访人档案："
                           "来访人登记后才能申请回避")
        return visitor

    @staticmethod
    def _active(account_id: int, visitor_id: int) -> Recusal | None:
        return (Recusal.select()
                .where((Recusal.visitor == visitor_id) & (Recusal.account == account_id)
                       & Recusal.withdrawn_at.is_null())
                .first())

    def _insert(self, account_id: int, visitor_id: int, reason: str, at: datetime,
                actor: str) -> Recusal:
        row: Recusal = Recusal.create(account=account_id, visitor=visitor_id, reason=reason,
                                      at=at, actor=actor)
        # The reason stays in the recusal row; the audit log says who, whom and when.
        self.store.audit(actor, "recusal.declare", "visitor", visitor_id, at, {"recusal": row.id})
        self.store.bump(TICKETS)
        return row

    def _view(self, row: Recusal, visitor: Any) -> RecusalView:
        def local(at: datetime | None) -> str:
            return self.store.local(at).strftime("%Y-%m-%d %H:%M") if at else ""

        return RecusalView(id=row.id, visitor_id=visitor.id, name_masked=mask_name(visitor.name),
                           id_number_masked=mask_id_number(visitor.id_number),
                           doc_type=visitor.doc_type, reason=row.reason, at=local(row.at),
                           withdrawn_at=local(row.withdrawn_at))
