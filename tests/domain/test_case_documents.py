"""The case documents (issue 12 §2): every kind rendered through the facade for a case opened at
the window, its text read back from the PDF by an independent extractor (pypdf), the font
embedded, the number recorded, reprints audited, confidential cases refused, bad kinds refused.

Expected strings are written out by hand (names, masked IDs, dates in Chinese), not derived from
the module's own helpers. pypdf's text is compared with whitespace removed: it places line
breaks where the layout wraps, which a test of the content should not depend on.
"""

from __future__ import annotations

import io
import itertools
import json
import re
from datetime import date

import pypdf
import pytest

from hall import Hall
from hall.cases.base import CASES
from hall.cases.documents import RenderedDocument
from hall.clock import to_storage
from hall.desk.registration import FormError
from hall.errors import NotAllowed, NotFound, Refused
from models import AuditEvent, Case, CaseDocument, CaseEntry, InterviewRecord
from tests.helpers import distinct_id, form, only_changes

HALL_NAME = "江川市联合接访中心"  # config/hall.yaml
PHONE = "13812345678"
_ids = itertools.count(7000)


def text_of(pdf: bytes) -> str:
    """All the PDF's text, whitespace removed."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def fonts_of(pdf: bytes) -> list[tuple[str, bool]]:
    """(font name, embedded) for every font the pages use."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    found = []
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font \
                else font
            descriptor = descendant.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found.append((str(font["/BaseFont"]), embedded))
    return found


def open_case(hall: Hall, window: int = 1, category: str = "policy", outcome: str = "filed",
              unit: str = "", name: str = "李小明") -> tuple[int, str]:
    """A case opened by finishing a visit at ``window`` (the manager calls and finishes);
    (case id, the visitor's ID number)."""
    id_number = distinct_id(next(_ids))
    hall.desk.issue(form(id_number=id_number, name=name, category=category, phone=PHONE,
                         request="补发三个月工资"), actor="desk01")
    hall.windows.call_next(window, "mgr01")
    finished = hall.windows.finish_visit(window, outcome, "mgr01", note="已告知按政策办理",
                                         unit=unit)
    assert finished.case is not None
    return finished.case.case_id, id_number


def masked(id_number: str) -> str:
    return id_number[:6] + "********" + id_number[-4:]


def check_common(doc: RenderedDocument, text: str, case_number: str) -> None:
    assert HALL_NAME in text
    assert re.sub(r"\s+", "", doc.title) in text
    assert re.sub(r"\s+", "", case_number) in text
    assert re.sub(r"\s+", "", doc.number) in text
    assert "2026年11月23日" in text  # the fixed clock's day
    assert fonts_of(doc.pdf) and all(embedded for _, embedded in fonts_of(doc.pdf))


def case_number(hall: Hall, case_id: int) -> str:
    return hall.cases.detail(case_id, viewer="mgr01").summary.number


def test_every_kind_to_the_visitor_and_to_the_unit(hall: Hall) -> None:
    docs = hall.cases.documents
    case_id, id_number = open_case(hall)
    number = case_number(hall, case_id)
    hall.cases.urge(case_id, "请加快办理进度", "mgr01", due=date(2026, 12, 4))

    accept = docs.render(case_id, "acceptance", "win01")
    text = text_of(accept.pdf)
    check_common(accept, text, number)
    assert accept.number == number + "-01" and accept.kind == "acceptance"
    assert "李小明" in text and masked(id_number) in text and id_number not in text
    assert "信访局综合接待" in text  # the handling unit
    assert "2027年1月22日" in text  # handling due: 60 calendar days after 2026-11-23

    notice = docs.render(case_id, "notice", "win01")
    text = text_of(notice.pdf)
    check_common(notice, text, number)
    assert "已告知按政策办理" in text and masked(id_number) in text and id_number not in text

    for kind, title in (("assign", "交办单"), ("urge", "督办单")):
        doc = docs.render(case_id, kind, "win01")
        text = text_of(doc.pdf)
        check_common(doc, text, number)
        assert doc.title == title
        assert "信访局综合接待" in text and "李小明" in text and PHONE in text
        assert masked(id_number) in text and id_number not in text
        assert "2027年1月22日" in text
    assert "请加快办理进度" in text and "2026年12月4日" in text  # the urge's note and date

    register = docs.render(case_id, "register", "win01")
    text = text_of(register.pdf)
    check_common(register, text, number)
    assert id_number in text  # the full ID: the visitor signs it
    assert "来访人确认签名：" in text and "日期：" in text
    assert "工地拖欠工资三个月" in text and "补发三个月工资" in text

    numbers = [d.number for d in CaseDocument.select().where(CaseDocument.case == case_id)
               .order_by(CaseDocument.id)]
    assert numbers == [f"{number}-0{n}" for n in range(1, 6)]


def test_forward_names_the_outside_unit(hall: Hall) -> None:
    case_id, id_number = open_case(hall, outcome="forward", unit="江北区住房保障中心")
    doc = hall.cases.documents.render(case_id, "forward", "win01")
    text = text_of(doc.pdf)
    check_common(doc, text, case_number(hall, case_id))
    assert "江北区住房保障中心" in text and "转送" in text and PHONE in text
    assert "2026年12月8日" in text  # acceptance notice due: 15 days
    assert masked(id_number) in text and id_number not in text


@pytest.mark.parametrize(("kind", "state", "title"), [("rejection", "rejected", "不予受理告知书"),
                                                      ("not_again", "not_again", "不再受理告知书")])
def test_refusal_notices_carry_the_reason_and_channel(sqlite_hall: Hall, kind: str, state: str,
                                                      title: str) -> None:
    hall = sqlite_hall
    case_id, id_number = open_case(hall)
    with pytest.raises(Refused):  # not refused yet: nothing to tell
        hall.cases.documents.render(case_id, kind, "win01")
    hall.cases.refuse(case_id, state, "属于劳动争议仲裁范围",
                      "向江川市劳动人事争议仲裁委员会申请仲裁", "mgr01")
    doc = hall.cases.documents.render(case_id, kind, "win01")
    text = text_of(doc.pdf)
    check_common(doc, text, case_number(hall, case_id))
    assert doc.title == title
    assert "属于劳动争议仲裁范围" in text and "向江川市劳动人事争议仲裁委员会申请仲裁" in text
    assert "李小明" in text and masked(id_number) in text and id_number not in text
    with pytest.raises(Refused):  # a refused case has no acceptance notice
        hall.cases.documents.render(case_id, "acceptance", "win01")


def test_reprint_keeps_the_number_and_is_audited(hall: Hall) -> None:
    case_id, _ = open_case(hall)
    first = hall.cases.documents.render(case_id, "acceptance", "win01")
    audits = AuditEvent.select().where(AuditEvent.action == "case.document.reprint").count()
    with only_changes(CaseDocument, CaseDocument.get(CaseDocument.number == first.number).id), \
            only_changes(CaseEntry):
        again = hall.cases.documents.render(case_id, "acceptance", "win02",
                                            reprint=first.number)
    assert again.number == first.number
    assert text_of(again.pdf) == text_of(first.pdf)
    assert CaseDocument.get(CaseDocument.number == first.number).printed == 2
    events = list(AuditEvent.select().where(AuditEvent.action == "case.document.reprint"))
    assert len(events) == audits + 1 and events[-1].actor == "win02"
    with pytest.raises(FormError):  # the earlier number is of another kind
        hall.cases.documents.render(case_id, "notice", "win01", reprint=first.number)
    with pytest.raises(NotFound):
        hall.cases.documents.render(case_id, "acceptance", "win01", reprint="没有这个编号")


def test_a_reprint_counts_on_the_document_asked_for_not_the_cases_first(hall: Hall) -> None:
    """Mutation testing (stop 24): the reprint's lookup without its condition found the table's
    first document, which the one-document test above could not tell apart."""
    case_id, _ = open_case(hall)
    hall.cases.documents.render(case_id, "acceptance", "win01")
    second = hall.cases.documents.render(case_id, "acceptance", "win01")
    with only_changes(CaseDocument, CaseDocument.get(CaseDocument.number == second.number).id):
        again = hall.cases.documents.render(case_id, "acceptance", "win02", reprint=second.number)
    assert again.number == second.number
    assert CaseDocument.get(CaseDocument.number == second.number).printed == 2
    event = AuditEvent.select().where(AuditEvent.action == "case.document.reprint").get()
    assert json.loads(event.detail)["document"] == second.number


def test_confidential_case_refused_to_another_department(hall: Hall) -> None:
    case_id, _ = open_case(hall, window=11, category="report", name="王举报")
    with only_changes(CaseDocument), only_changes(CaseEntry):
        with pytest.raises(NotAllowed):
            hall.cases.documents.render(case_id, "register", "win01")  # 信访局's clerk
    denied = AuditEvent.select().where(AuditEvent.action == "denied").order_by(
        AuditEvent.id.desc()).first()
    assert denied is not None and denied.actor == "win01"
    doc = hall.cases.documents.render(case_id, "register", "win11")  # 纪委监委's own clerk
    assert "王举报" in text_of(doc.pdf)


def test_bad_kind_and_unknown_case_write_nothing(sqlite_hall: Hall) -> None:
    case_id, _ = open_case(sqlite_hall)
    with only_changes(CaseDocument), only_changes(CaseEntry):
        with pytest.raises(FormError) as bad:
            sqlite_hall.cases.documents.render(case_id, "certificate", "win01")
        assert "acceptance" in str(bad.value)
        with pytest.raises(NotFound):
            sqlite_hall.cases.documents.render(999_999, "acceptance", "win01")
        with pytest.raises(Refused):  # no urge yet
            sqlite_hall.cases.documents.render(case_id, "urge", "win01")


def test_register_and_interview_print_the_latest_record(sqlite_hall: Hall) -> None:
    hall = sqlite_hall
    case_id, id_number = open_case(hall)
    visit_id = _visit_of(case_id)
    with pytest.raises(Refused):  # nothing recorded yet: nothing to confirm
        hall.cases.documents.render_interview(visit_id, "win01")
    # hall.cases.interviews (another part of issue 12) records these; written straight here.
    for version, stated in ((1, "初稿"), (2, "老板拖欠三个月工资共一万二千元")):
        InterviewRecord.create(visit=visit_id, version=version, at=to_storage(hall.store.now()),
                               actor="win01", stated=stated, asked="是否签订劳动合同",
                               answered="已告知可申请劳动仲裁", materials="工资条复印件")
    doc = hall.cases.documents.render_interview(visit_id, "win01")
    text = text_of(doc.pdf)
    assert doc.number.endswith("-2") and re.sub(r"\s+", "", doc.number) in text
    assert "老板拖欠三个月工资共一万二千元" in text and "初稿" not in text
    assert "工资条复印件" in text and "刘建国" in text and id_number in text
    assert "来访人确认签名：" in text
    assert AuditEvent.select().where(AuditEvent.action == "visit.interview.print").count() == 1
    assert hall.cases.documents.render_interview(visit_id, "win01").number == doc.number
    with pytest.raises(NotAllowed):  # 法院's clerk: not their visit
        hall.cases.documents.render_interview(visit_id, "win04")
    register = hall.cases.documents.render(case_id, "register", "win01")
    assert "老板拖欠三个月工资共一万二千元" in text_of(register.pdf)


def _visit_of(case_id: int) -> int:
    from models import Case

    return int(Case.get_by_id(case_id).visit_id)


def test_a_document_is_recorded_as_one_entry_that_leaves_the_case_as_it_was(hall: Hall,
                                                                            clock) -> None:
    """What numbering a document writes, field by field, against values written out by hand:
    the document row (kind, number, when, by whom, printed once), one ``document`` entry named
    by the kind's title on paper with the state unchanged and no due date, the audit event, the
    cases' change counter advanced once; the case's state, dates and other cases untouched. The
    tenth document of a case is -10. Kills the record's fields dropped or changed (mutation
    testing, stop 25)."""
    case_id, _ = open_case(hall)
    other_id, _ = open_case(hall)
    hall.cases.documents.render(other_id, "notice", "win01")  # another case's: not counted
    before = Case.get_by_id(case_id)
    version = hall.store.change_version(CASES)
    entries = CaseEntry.select().where(CaseEntry.case == case_id).count()
    with only_changes(Case, case_id) as changed, only_changes(InterviewRecord):
        doc = hall.cases.documents.render(case_id, "acceptance", "win01")
    assert set(changed.changed[case_id]) <= {"last_seq", "updated_at"}
    now = to_storage(clock.now())
    number = before.number + "-01"
    row = CaseDocument.get(CaseDocument.case == case_id)
    assert (row.kind, row.number, row.issued_by, row.printed) == (
        "acceptance", number, "win01", 1)
    assert row.issued_at == now
    entry = CaseEntry.select().where(CaseEntry.case == case_id).order_by(
        CaseEntry.seq.desc()).get()
    assert CaseEntry.select().where(CaseEntry.case == case_id).count() == entries + 1
    assert (entry.seq, entry.kind, entry.state, entry.note, entry.due_on, entry.actor) == (
        before.last_seq + 1, "document", before.state, "受理告知书", None, "win01")
    assert json.loads(entry.detail) == {"document": number, "kind": "acceptance"}
    after = Case.get_by_id(case_id)
    assert (after.state, after.open, after.due_on, after.last_seq) == (
        before.state, before.open, before.due_on, before.last_seq + 1)
    event = AuditEvent.select().where((AuditEvent.action == "case.document")
                                      & (AuditEvent.entity_id == str(case_id))).get()
    assert (event.actor, event.entity, event.at) == ("win01", "case", now)
    assert json.loads(event.detail) == {"seq": before.last_seq + 1, "state": before.state,
                                        "document": number, "kind": "acceptance"}
    assert hall.store.change_version(CASES) == version + 1
    assert CaseDocument.select().where(CaseDocument.case == other_id).count() == 1

    for _ in range(9):
        hall.cases.documents.render(case_id, "notice", "win01")
    assert doc.number == number
    assert CaseDocument.select(CaseDocument.number).where(CaseDocument.case == case_id).order_by(
        CaseDocument.id.desc()).scalar() == before.number + "-10"


def test_a_reprint_is_audited_with_its_document_and_writes_no_entry(hall: Hall, clock) -> None:
    """A reprint's audit event names the document and its kind, at the reprint's time, on the
    case; no entry, no new number, the cases' counter unchanged (a reprint changes no case).
    Kills the reprint's audit fields dropped (mutation testing, stop 25)."""
    case_id, _ = open_case(hall)
    first = hall.cases.documents.render(case_id, "notice", "win01")
    clock.advance(hours=2)
    version = hall.store.change_version(CASES)
    with only_changes(CaseEntry), only_changes(Case):
        hall.cases.documents.render(case_id, "notice", "win02", reprint=first.number)
    event = AuditEvent.select().where(AuditEvent.action == "case.document.reprint").get()
    assert (event.actor, event.entity, event.entity_id, event.at) == (
        "win02", "case", str(case_id), to_storage(clock.now()))
    assert json.loads(event.detail) == {"document": first.number, "kind": "notice"}
    assert hall.store.change_version(CASES) == version


def test_numbering_a_document_directly_keeps_its_own_guards(hall: Hall) -> None:
    """``Cases.record_document`` is public on the facade: called without the document screen's
    checks it still refuses another department's clerk (and audits the denial), and a reprint
    of a number that is not this case's, another case's included, in its own words; nothing is
    written. Kills its permission check and its reprint lookup's case condition."""
    case_id, _ = open_case(hall, window=11, category="report", name="王举报")  # 纪委监委's
    other_id, _ = open_case(hall)
    others = hall.cases.documents.render(other_id, "notice", "win01")
    with only_changes(CaseDocument), only_changes(CaseEntry), only_changes(Case):
        with pytest.raises(NotAllowed):
            hall.cases.record_document(case_id, "register", "win01")  # 信访局's clerk
        with pytest.raises(NotFound) as missing:
            hall.cases.record_document(case_id, "notice", "win11", reprint_of=others.number)
    assert str(missing.value) == f"本案没有编号为 {others.number} 的文书"
    assert CaseDocument.get(CaseDocument.number == others.number).printed == 1
