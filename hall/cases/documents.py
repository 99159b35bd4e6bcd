"""The documents a case gives rise to, as A4 PDF: ``hall.cases.documents``.

    doc = hall.cases.documents.render(case_id, "acceptance", actor="win01")
    Path("受理告知书.pdf").write_bytes(doc.pdf)      # doc.number: 江信〔2026〕第 0137 号-01
    again = hall.cases.documents.render(case_id, "acceptance", "win01", reprint=doc.number)
    rec = hall.cases.documents.render_interview(visit_id, actor="win01")  # before any case

The kinds (:data:`hall.cases.states.DOCUMENT_KINDS`) and what each says:

- ``acceptance`` 受理告知书, ``notice`` 告知单: to the visitor (their full name, ID masked): the
  matter, the handling unit and its time limit; the notice tells the unit's latest reply, else
  what the window answered.
- ``rejection`` 不予受理告知书 / ``not_again`` 不再受理告知书: to the visitor, with the reason and
  the channel of the case's refusal (the case must have been refused that way).
- ``forward`` 转送单, ``assign`` 交办单: to the unit (name, ID masked, phone, so the unit can
  reach the visitor): the matter and request, the acceptance and handling due dates; the 交办单
  adds the latest 交办 note.
- ``urge`` 督办单: to the unit, with the latest urge's note, date and the date it holds the unit to.
- ``register`` 来访登记表（接谈记录）: the opening visit as registered, with the full ID number
  (the visitor signs it), and its latest 接谈记录 (:class:`models.InterviewRecord`), ending with
  「来访人确认签名：____ 日期：____」.

Every document has the hall's name, its title, its number, the case number, its dates, and the
seal line (``cases.seal_line``, else the hall's name) with the date. Rendering needs
``case.handle`` for the case's department (or its 包案 leader's room); a confidential case only
for those who read its matter (its department, managers): anyone else gets :class:`NotAllowed`,
audited as a denial. The number comes from :meth:`Cases.record_document` (an entry on the case
and an audit event); a reprint passes ``reprint=`` the number printed before and prints the
same document, dated as the first print (counted and audited, no new number).

``render_interview`` prints a visit's 接谈记录 before any case exists (the window hands it to the
visitor to confirm). Its number is the visit's and the record's version, 「接谈-20261123-000042-2」
(business day, visit id, version): printing it again gives the same number, and a corrected
record a new one. Each print is audited (``visit.interview.print``); it needs
``visitor.reveal`` for the visit's department (the record carries the full ID number).

The layout (A4, the font, wrapping) is :mod:`hall.printing.pdf`'s; this module decides the text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from hall.cases.states import DOCUMENT_KINDS, STATES
from hall.clock import to_storage
from hall.desk.registration import FormError
from hall.errors import NotAllowed, NotFound, Refused
from hall.printing.pdf import Block, Fields, Heading, Paragraph, PdfDocument, SignLine, render_pdf
from hall.text.masking import mask_id_number
from models import Account, Case, CaseDocument, CaseEntry, InterviewRecord, Visit, Visitor

if TYPE_CHECKING:
    from hall.cases.context import Cases

__all__ = ["CONFIRMATION_LINE", "CaseDocuments", "RenderedDocument"]

CONFIRMATION_LINE = "来访人确认签名：________________    日期：________________"
"""The line the visitor signs on the 来访登记表 / 接谈记录."""

_TO_VISITOR = frozenset({"acceptance", "rejection", "not_again", "notice", "register"})
_REFUSED = {"rejection": "rejected", "not_again": "not_again"}  # kind → the state it needs
_SEX = {"M": "男", "F": "女"}


@dataclass(frozen=True)
class RenderedDocument:
    """A document as printed: its number, kind, title and the PDF's bytes."""

    number: str
    kind: str
    title: str
    pdf: bytes


def _day(value: date | datetime | None) -> str:
    """2026年11月23日 (the way Chinese documents write a date); "" for none."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


class CaseDocuments:
    """Render a case's documents: ``hall.cases.documents``."""

    def __init__(self, cases: Cases) -> None:
        self._cases = cases
        self._store = cases._store
        self._config = cases._config
        self._reads = cases.reads

    # -- the acts -----------------------------------------------------------------------------

    def render(self, case_id: int, kind: str, actor: str, reprint: str = "") -> RenderedDocument:
        """Number (or reprint) and draw document ``kind`` of the case (see the module's doc)."""
        if kind not in DOCUMENT_KINDS:
            valid = "、".join(f"{k}（{v}）" for k, v in DOCUMENT_KINDS.items())
            raise FormError({"kind": f"应为：{valid}"}, {"kind": "文书类型"})
        row = self._cases._find(case_id)
        who = self._store.permit(actor, "case.handle", departments=self._cases._departments(row))
        if not self._reads.sees_matter(who, row):
            self._deny(actor, row, "保密事项：只有承办部门和中心领导可以出具本案文书")
        issued: datetime | None = None
        if reprint:
            earlier = CaseDocument.get_or_none((CaseDocument.case == row.id)
                                               & (CaseDocument.number == reprint))
            if earlier is None:
                raise NotFound(f"本案没有编号为 {reprint[:80]} 的文书")
            if earlier.kind != kind:
                raise FormError({"kind": f"文书 {reprint} 是{DOCUMENT_KINDS.get(earlier.kind)}"},
                                {"kind": "文书类型"})
            issued = self._store.local(earlier.issued_at)
        blocks = self._content(row, kind)  # checked before anything is written
        number = self._cases.record_document(case_id, kind, actor, reprint_of=reprint)
        when = issued or self._store.now()
        return self._rendered(number, kind, DOCUMENT_KINDS[kind], blocks, when)

    def render_interview(self, visit_id: int, actor: str) -> RenderedDocument:
        """A visit's latest 接谈记录 for the visitor's confirmation (no case needed); numbered
        by the visit and the record's version, each print audited."""
        visit = Visit.get_or_none(Visit.id == visit_id)
        if visit is None:
            raise NotFound(f"没有编号为 {visit_id} 的来访")
        self._store.permit(actor, "visitor.reveal", visit.department)
        record = self._interview(visit.id)
        if record is None:
            raise Refused("该来访还没有接谈记录：请先记录接谈内容，再打印供来访人确认")
        number = f"接谈-{visit.business_day:%Y%m%d}-{visit.id:06d}-{record.version}"
        blocks = self._register(visit, "")
        now = self._store.now()
        with self._store.transaction():
            self._store.audit(actor, "visit.interview.print", "visit", visit.id,
                              to_storage(now), {"number": number, "version": record.version})
        return self._rendered(number, "register", "接谈记录", blocks, now)

    # -- what each document says --------------------------------------------------------------

    def _content(self, row: Case, kind: str) -> tuple[Block, ...]:
        visitor = Visitor.get_by_id(row.visitor_id)
        if kind == "register":
            visit = Visit.get_by_id(row.visit_id) if row.visit_id else None
            if visit is None:
                raise Refused("本案没有来访登记，不能出具来访登记表")
            return self._register(visit, row.number)
        if kind in _TO_VISITOR:
            return self._to_visitor(row, kind, visitor)
        return self._to_unit(row, kind, visitor)

    def _basics(self, row: Case, visitor: Visitor) -> list[tuple[str, str]]:
        return [("案件编号", row.number), ("来访人", visitor.name),
                ("身份证号", mask_id_number(visitor.id_number)),
                ("登记日期", _day(row.opened_on)), ("信访事项", row.matter)]

    def _unit(self, row: Case) -> str:
        return self._reads.unit_label(row.department, row.outside_unit)

    def _to_visitor(self, row: Case, kind: str, visitor: Visitor) -> tuple[Block, ...]:
        name, unit = visitor.name, self._unit(row) or "相关单位"
        opened = _day(row.opened_on)
        rows = self._basics(row, visitor)
        if kind in _REFUSED:
            if row.state != _REFUSED[kind]:
                raise Refused(f"本案当前为“{STATES.get(row.state, row.state)}”，"
                              f"未作{STATES[_REFUSED[kind]]}决定，不能出具{DOCUMENT_KINDS[kind]}")
            entry = self._latest(row, _REFUSED[kind])
            reason = entry.note if entry else ""
            channel = json.loads(entry.detail or "{}").get("channel", "") if entry else ""
            decision = STATES[_REFUSED[kind]]
            return (Fields((*rows, ("理由", reason), ("告知途径", channel))),
                    Paragraph(f"{name}：", indent=False),
                    Paragraph(f"你于{opened}反映的事项（案件编号：{row.number}），经审查，"
                              f"{reason.rstrip('。')}。根据《信访工作条例》的有关规定，"
                              f"本机关决定{decision}。"),
                    Paragraph(f"请你通过以下途径反映或解决：{channel.rstrip('。')}。"),
                    Paragraph("特此告知。", indent=False))
        if row.state in _REFUSED.values():
            raise Refused(f"本案已{STATES[row.state]}，不能出具{DOCUMENT_KINDS[kind]}")
        rows += [("承办单位", unit), ("办理期限", _day(row.handling_due))]
        if kind == "acceptance":
            days = self._config.time_limits.handling_days
            return (Fields(tuple(rows)), Paragraph(f"{name}：", indent=False),
                    Paragraph(f"你于{opened}反映的事项，本机关已依法受理（案件编号："
                              f"{row.number}），由{unit}办理。承办单位将依照《信访工作条例》"
                              f"的规定，自受理之日起 {days} 日内办结并答复你；情况复杂需要"
                              "延长办理期限的，将另行告知。"),
                    Paragraph("你可凭案件编号或排队票据上的查询码查询办理进度。"),
                    Paragraph("特此告知。", indent=False))
        reply = self._latest(row, "reply")
        visit = Visit.get_by_id(row.visit_id) if row.visit_id else None
        told = (reply.note if reply else "") or (visit.outcome_note if visit else "")
        told = told or f"你反映的事项已登记，由{unit}办理，办理期限至{_day(row.handling_due)}。"
        rows.append(("办理状态", STATES.get(row.state, row.state)))
        return (Fields(tuple(rows)), Paragraph(f"{name}：", indent=False),
                Paragraph(f"关于你于{opened}反映的事项（案件编号：{row.number}），现告知如下："),
                Paragraph(told), Paragraph("特此告知。", indent=False))

    def _to_unit(self, row: Case, kind: str, visitor: Visitor) -> tuple[Block, ...]:
        unit = self._unit(row)
        if not unit:
            raise Refused(f"本案尚未确定承办单位，不能出具{DOCUMENT_KINDS[kind]}：请先交办")
        category = self._config.category(row.category)
        rows = [("案件编号", row.number), ("承办单位", unit), ("来访人", visitor.name),
                ("身份证号", mask_id_number(visitor.id_number)),
                ("联系电话", visitor.phone or "未留"),
                ("事项类别", category.name if category else row.category),
                ("信访事项", row.matter), ("具体诉求", row.request or "无"),
                ("登记日期", _day(row.opened_on))]
        name, handling = visitor.name, _day(row.handling_due)
        if kind == "urge":
            entry = self._latest(row, "urge")
            if entry is None:
                raise Refused("本案还没有督办记录，不能出具督办单：请先督办")
            due = _day(entry.due_on or row.handling_due)
            rows += [("办理期限", handling), ("督办日期", _day(self._store.local(entry.at))),
                     ("督办意见", entry.note), ("督办期限", due)]
            return (Fields(tuple(rows)), Paragraph(f"{unit}：", indent=False),
                    Paragraph(f"{name}反映的事项（案件编号：{row.number}）已交由你单位办理，"
                              f"办理期限为{handling}。督办意见：{entry.note.rstrip('。')}。"),
                    Paragraph(f"请于{due}前办结，并将办理情况书面报告本机关。"))
        verb = "转送" if kind == "forward" else "交办"
        rows += [("受理告知期限", _day(row.acceptance_due)), ("办理期限", handling)]
        blocks: list[Block] = [Fields(tuple(rows)), Paragraph(f"{unit}：", indent=False),
                               Paragraph(f"现将{name}反映的事项{verb}你单位，请依照《信访工作条例》"
                                         f"的规定处理：于{_day(row.acceptance_due)}前告知来访人"
                                         f"是否受理，于{handling}前办结，将处理结果答复来访人，"
                                         "并书面报告本机关。")]
        if kind == "assign":
            entry = self._latest(row, "assign")
            visit = Visit.get_by_id(row.visit_id) if row.visit_id else None
            opinion = (entry.note if entry else "") or (visit.outcome_note if visit else "")
            blocks.append(Paragraph(f"交办意见：{opinion or '请依法依规处理。'}"))
        return tuple(blocks)

    def _register(self, visit: Visit, case_number: str) -> tuple[Block, ...]:
        visitor = Visitor.get_by_id(visit.visitor_id)
        cfg = self._config
        category, department = cfg.category(visit.category), cfg.department(visit.department)
        district = cfg.district(visit.district) if visit.district else None
        channels = [cfg.cases.channels.get(c, c) for c in visit.other_channels.split(",") if c]
        rows = [("来访时间", self._store.local(visit.registered_at).strftime("%Y-%m-%d %H:%M")),
                ("姓名", visitor.name), ("性别", _SEX.get(visitor.sex, "")),
                ("出生日期", _day(visitor.birth_date)), ("身份证号", visitor.id_number),
                ("联系电话", visitor.phone), ("住址", visitor.address),
                ("属地", district.name if district else visit.district),
                ("来访人数", str(visit.people)),
                ("初访/重复访", "重复访" if visit.is_repeat else "初访"),
                ("事项类别", category.name if category else visit.category),
                ("接谈部门", department.name if department else visit.department),
                ("信访事项", visit.matter), ("具体诉求", visit.request or "无"),
                ("其他反映渠道", "、".join(channels) or "无"),
                ("原处理意见", visit.earlier_opinion or "无")]
        if case_number:
            rows.insert(0, ("案件编号", case_number))
        record = self._interview(visit.id)
        talk: list[tuple[str, str]] = []
        if record is not None:
            who = Account.get_or_none(Account.login == record.actor)
            talk = [("接谈时间", self._store.local(record.at).strftime("%Y-%m-%d %H:%M")),
                    ("接谈人", who.name if who else record.actor)]
        talk += [("来访人陈述", record.stated if record else ""),
                 ("询问情况", record.asked if record else ""),
                 ("答复意见", (record.answered if record else "") or visit.outcome_note),
                 ("接收材料", (record.materials if record else "") or "无")]
        return (Fields(tuple(rows)), Heading("接谈记录"), Fields(tuple(talk)),
                Paragraph("以上记录已经来访人阅读（或向来访人宣读），确认无误。", indent=False),
                SignLine(CONFIRMATION_LINE), SignLine("接谈人签名：________________"))

    # -- helpers ------------------------------------------------------------------------------

    def _latest(self, row: Case, kind: str) -> CaseEntry | None:
        return (CaseEntry.select().where((CaseEntry.case == row.id) & (CaseEntry.kind == kind))
                .order_by(CaseEntry.seq.desc()).first())

    def _interview(self, visit_id: int) -> InterviewRecord | None:
        return (InterviewRecord.select().where(InterviewRecord.visit == visit_id)
                .order_by(InterviewRecord.version.desc()).first())

    def _deny(self, actor: str, row: Case, reason: str) -> None:
        """Refuse as :meth:`Store.permit` does: the denial audited, nothing else written."""
        with self._store.transaction():
            self._store.audit(actor, "denied", "act", "case.document",
                              to_storage(self._store.now()), {"case": row.id, "reason": reason})
        raise NotAllowed(reason)

    def _rendered(self, number: str, kind: str, title: str, blocks: tuple[Block, ...],
                  when: datetime) -> RenderedDocument:
        cfg = self._config
        local = when.astimezone(self._store.tz)
        doc = PdfDocument(hall_name=cfg.hall.name, title=title, number=number, blocks=blocks,
                          seal_line=cfg.cases.seal_line or cfg.hall.name, date=_day(local),
                          created=when)
        return RenderedDocument(number=number, kind=kind, title=title, pdf=render_pdf(doc))
