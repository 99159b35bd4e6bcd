"""``hall cases …`` (issue 12 §3), ``hall finish --unit``, ``hall case`` (包案 as a case step) and
the case line of ``hall status``, end to end through ``main.main(argv)``.

One hall is built per module (tickets finished into cases in each state a step needs, and a
confidential one) and copied per test, as the sign-in tests do. Bad input exits 2, a step the
state does not allow exits 2 naming the allowed steps, a role that may not exits 3: each leaves
every row as it was (the audit of the sign-in and of the refusal aside).
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import peewee as pw
import pytest

import main
import models
from config import HallConfig
from hall import Hall
from hall.clock import FixedClock
from models import Account, AuditEvent, Case, CaseEntry, LeaderCase, open_database
from tests.conftest import MORNING
from tests.helpers import TEST_PASSWORD, distinct_id, form, with_passwords

NOW = MORNING + timedelta(hours=1)  # 10:00 on Monday 2026-11-23
CJK = re.compile(r"[\u4e00-\u9fff]")
NUMBER = "江信〔2026〕第 {:04d} 号"


def _build(hall: Hall) -> dict[str, int]:
    """Cases 1–4 at 人社局 (pending; accepted with an extension asked; replied; followed up
    不满意), 5 a confidential one at 纪委监委 (W001); L005 and L006 wait."""
    for n in range(1, 6):
        hall.desk.issue(form(id_number=distinct_id(n)), actor="desk01")
    hall.desk.issue(form(id_number=distinct_id(6), category="report", matter="举报某科长"),
                    actor="desk01")
    hall.desk.issue(form(id_number=distinct_id(7)), actor="desk01")  # L006: waits too
    opened = []
    for _ in range(4):
        hall.windows.call_next(7, actor="win07")
        opened.append(hall.windows.finish_visit(7, "filed", actor="win07").case.case_id)
    hall.windows.call_next(11, actor="win11")
    secret = hall.windows.finish_visit(11, "filed", actor="win11").case.case_id
    pending, extending, replied, followed = opened
    cases = hall.cases
    for case in (extending, replied, followed):
        cases.accept(case, "win07", how="电话告知")
    cases.extend(extending, 20, "需现场核查", "win07")
    for case in (replied, followed):
        cases.reply(case, "已协调支付", "win07")
    cases.followup(followed, "phone", "不满意", "mgr01", note="认为金额不足")
    with_passwords(hall)
    return {"pending": pending, "extending": extending, "replied": replied,
            "followed": followed, "secret": secret}


@pytest.fixture(scope="module")
def built(config: HallConfig, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    folder = tmp_path_factory.mktemp("cases")
    db = open_database(f"sqlite:///{folder / 'hall.db'}")
    try:
        refs = _build(Hall(db, config, FixedClock(MORNING)))
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    yield folder / "hall.db", refs


class Run:
    """``hall`` in-process on the test's copy of the built hall: (status, stdout, stderr)."""

    def __init__(self, url: str, refs: dict[str, int], capsys: Any, monkeypatch: Any) -> None:
        self.url, self.refs, self.capsys, self.monkeypatch = url, refs, capsys, monkeypatch

    def __call__(self, *argv: str, staff: str = "mgr01") -> tuple[int, str, str]:
        self.monkeypatch.setenv("HALL_STAFF", staff)
        self.capsys.readouterr()
        try:
            status = main.main([*argv, "--db", self.url])
        except SystemExit as exc:  # argparse's own errors
            status = exc.code  # type: ignore[assignment]
        out, err = self.capsys.readouterr()
        open_database(self.url)  # read what it left through a connection of the test's
        return status, out, err

    def json(self, *argv: str, staff: str = "mgr01") -> Any:
        status, out, err = self(*argv, "--json", staff=staff)
        assert (status, err) == (0, ""), err
        return json.loads(out)

    def at(self, days: int) -> None:
        self.monkeypatch.setenv("HALL_NOW", (NOW + timedelta(days=days)).isoformat())


@pytest.fixture
def run(built: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> Run:
    source, refs = built
    shutil.copy(source, tmp_path / "hall.db")
    for name in ("HALL_CONFIG", "HALL_DB", "HALL_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HALL_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("HALL_NOW", NOW.isoformat())
    monkeypatch.setenv("HALL_PASSWORD", TEST_PASSWORD)
    url = f"sqlite:///{tmp_path / 'hall.db'}"
    open_database(url)
    return Run(url, refs, capsys, monkeypatch)


def rows() -> dict[str, Counter[tuple[Any, ...]]]:
    """Every row of every table but the accounts (a sign-in touches its account), and the audit
    log but for sign-ins and refusals."""
    found = {}
    for name in models.__all__:
        model = getattr(models, name)
        if isinstance(model, type) and issubclass(model, pw.Model) and model not in (
                Account, AuditEvent):
            found[model._meta.table_name] = Counter(model.select().tuples())
    found["audit"] = Counter(AuditEvent.select(AuditEvent.id, AuditEvent.action).where(
        AuditEvent.action.not_in(["account.sign_in", "denied"])).tuples())
    return found


def refused(run: Run, *argv: str, status: int = 2, staff: str = "mgr01") -> str:
    """A command that must be refused with ``status``: Chinese on stderr, nothing written."""
    before = rows()
    got, out, err = run(*argv, staff=staff)
    assert got == status, (argv, out, err)
    assert out == "" and CJK.search(err) and "Traceback" not in err, (out, err)
    assert rows() == before, argv
    return err


def entries(case: int) -> list[tuple[str, str]]:
    return [(e.kind, e.state) for e in CaseEntry.select().where(CaseEntry.case == case)
            .order_by(CaseEntry.seq)]


# -- the steps, end to end --------------------------------------------------------------------


def test_a_case_from_pending_to_review_through_every_step(run: Run) -> None:
    case = run.refs["pending"]
    ref = f"2026-{case}"  # YEAR-SEQ: the built hall's cases are numbered as their ids
    accepted = run.json("cases", "accept", ref, "--how", "电话告知", staff="win07")
    assert (accepted["state"], accepted["due_on"]) == ("accepted", "2027-01-22")  # 10:00 + 60
    assert set(accepted) >= {"id", "number", "state_label", "unit", "days_left", "overdue"}
    run.json("cases", "assign", str(case), "--unit", "housing", "--note", "涉及住建")
    run.json("cases", "assign", str(case), "--unit", "hrss")
    run.json("cases", "lead", ref, "--leader", "lihong", "--note", "领导关注")
    urged = run.json("cases", "urge", ref, "--note", "请本周答复", "--due", "2026-11-30")
    assert urged["due_on"] == "2026-11-30"
    run.json("cases", "extend", ref, "--days", "10", "--reason", "需调取材料", staff="win07")
    approved = run.json("cases", "approve-extension", ref, "--told", "11月24日电话告知")
    assert (approved["extension_state"], approved["due_on"]) == ("approved", "2027-02-01")
    run.json("cases", "note", NUMBER.format(case), "--note", "来访人来电询问", staff="win07")
    run.json("cases", "reply", ref, "--note", "已责成企业支付", staff="win07")
    back = run.json("cases", "return", ref, "--reason", "答复未写明期限")
    assert back["state"] == "handling"
    run.json("cases", "reply", ref, "--note", "12月5日前支付", staff="win07")
    followed = run.json("cases", "followup", ref, "--how", "phone", "--satisfaction", "不满意",
                        "--note", "嫌慢", staff="win07")
    assert (followed["state"], followed["satisfaction"]) == ("followed", "不满意")
    status, out, _ = run("cases", "close", ref, "--note", "办结")
    assert status == 0 and out.startswith(NUMBER.format(case) + "：已办结")
    review = run.json("cases", "review", ref, "--note", "申请复查")
    assert review["state"] == "pending" and review["id"] != case
    assert Case.get_by_id(review["id"]).parent_id == case
    assert entries(case) == [
        ("opened", "pending"), ("accept", "accepted"), ("assign", "handling"),
        ("assign", "handling"), ("lead", "handling"), ("urge", "handling"),
        ("extend", "handling"), ("approve_extension", "handling"), ("note", "handling"),
        ("reply", "replied"), ("return", "handling"), ("reply", "replied"),
        ("followup", "followed"), ("close", "closed"), ("review", "closed")]
    row = Case.get_by_id(case)
    assert (row.leader, row.department, row.open) == ("lihong", "hrss", False)


def test_refusals_close_at_once_and_an_extension_can_be_refused(run: Run) -> None:
    refs = run.refs
    closed = run.json("cases", "refuse", str(refs["pending"]), "--kind", "not_again",
                      "--reason", "已复核终结", "--channel", "无", staff="win07")
    assert (closed["state"], closed["state_label"], closed["due_on"]) == (
        "not_again", "不再受理", "")
    status, out, _ = run("cases", "refuse-extension", str(refs["extending"]), "--note", "理由不足")
    assert status == 0 and "未批准延期" in out
    assert Case.get_by_id(refs["extending"]).extension_state == "refused"
    assert entries(refs["extending"])[-1] == ("refuse_extension", "accepted")


def test_a_step_the_state_does_not_allow_says_which_are(run: Run) -> None:
    err = refused(run, "cases", "close", str(run.refs["pending"]))
    assert "案件当前为“待受理”，不能办结" in err
    assert "可进行的操作：受理告知、不予受理/不再受理、交办、督办、领导包案、备注" in err
    err = refused(run, "cases", "approve-extension", str(run.refs["replied"]), "--told", "电话")
    assert "可进行的操作：退回、回访、督办、领导包案、备注" in err


# -- reading ----------------------------------------------------------------------------------


def test_show_by_id_number_and_year_seq_alike(run: Run) -> None:
    case = run.refs["extending"]
    shown = [run.json("cases", "show", ref) for ref in (
        str(case), NUMBER.format(case), f"2026-{case}", f" 2026-{case} ")]
    assert all(s == shown[0] for s in shown)
    detail = shown[0]
    assert set(detail) >= {"summary", "entries", "visits", "allowed", "documents",
                           "handling_due", "acceptance_due"}
    assert detail["summary"]["visitor"] == "张*"  # masked, even for a manager
    assert [e["kind"] for e in detail["entries"]] == ["opened", "accept", "extend"]
    assert "approve_extension" in detail["allowed"]
    status, out, _ = run("cases", "show", str(case))
    assert status == 0
    assert "可进行的操作：" in out and "批准延期（approve-extension）" in out
    assert distinct_id(2) not in out and "张三" not in out
    assert AuditEvent.select().where(AuditEvent.action == "case.view").count() == 5


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_list_filters_and_lines_up(run: Run) -> None:
    refs = run.refs
    every = run.json("cases", "list")
    assert every["count"] == 5 and len(every["cases"]) == 5
    ids = {c["id"] for c in run.json("cases", "list", "--state", "已受理")["cases"]}
    assert ids == {refs["extending"]}
    assert {c["id"] for c in run.json("cases", "list", "--state", "replied")["cases"]} == {
        refs["replied"]}
    assert run.json("cases", "list", "--unit", "housing")["count"] == 0
    assert run.json("cases", "list", "--unit", "discipline")["count"] == 1
    assert run.json("cases", "list", "--leader", "lihong")["count"] == 0
    # The acceptance notices are due 2026-12-08: 15 days ahead, then past.
    assert run.json("cases", "list", "--due-within", "14")["count"] == 0
    assert run.json("cases", "list", "--due-within", "15")["count"] == 2  # pending and secret
    run.at(16)
    overdue = run.json("cases", "list", "--overdue")["cases"]
    assert {c["id"] for c in overdue} == {refs["pending"], refs["secret"]}
    assert all(c["overdue"] and c["days_left"] == -1 for c in overdue)
    # A window clerk sees their department's cases; the confidential one stays the hall's.
    mine = run.json("cases", "list", staff="win07")["cases"]
    assert refs["secret"] not in {c["id"] for c in mine} and len(mine) == 4
    out = run("cases", "list")[1]
    head, *lines = out.splitlines()
    assert len(lines) == 5 and "逾期 1 天" in out
    # Columns line up in terminal cells: the state column starts at the same cell everywhere,
    # under its head.
    starts = {width(line[:line.index(c["state_label"], 10)]) for line, c in zip(
        lines, run.json("cases", "list")["cases"], strict=True)}
    assert starts == {width(head[:head.index("状态")])}


# -- bad input, refusals, permissions ---------------------------------------------------------


@pytest.mark.parametrize(("argv", "words"), [
    (["cases", "list", "--state", "done"], "--state 应为"),
    (["cases", "list", "--due-within", "400"], "--due-within 应为 0 至 366"),
    (["cases", "list", "--due-within", "9" * 5000], "--due-within 应为"),
    (["cases", "list", "--unit", "hrss\x1b[2J"], "控制字符"),
    (["cases", "show", "999"], "没有案件 999"),
    (["cases", "show", "2026-\x00"], "ID 应为"),
    (["cases", "show", "x" * 65], "ID 应为"),
    (["cases", "urge", "{pending}", "--note", "催", "--due", "2026-13-01"], "--due 应为"),
    (["cases", "urge", "{pending}", "--note", "催", "--due", "2099-01-01"], "366 天内"),
    (["cases", "urge", "{pending}", "--note", "催\x1b[2J"], "--note（说明）"),
    (["cases", "urge", "{pending}", "--note", "字" * 40_000], "最多"),
    (["cases", "extend", "{extending}", "--days", "31", "--reason", "x"], "1 至 30 天"),
    (["cases", "extend", "{extending}", "--days", "99999999999999", "--reason", "x"], "--days"),
    (["cases", "extend", "{extending}", "--days", "-3", "--reason", "x"], "--days"),
    (["cases", "approve-extension", "{extending}", "--told", " "], "--told（方式）：不能为空"),
    (["cases", "refuse", "{pending}", "--kind", "maybe", "--reason", "r", "--channel", "c"],
     "rejected（不予受理）"),
    (["cases", "followup", "{replied}", "--how", "phone", "--satisfaction", "还行"],
     "满意、基本满意、不满意"),
    (["cases", "followup", "{replied}", "--how", "pigeon", "--satisfaction", "满意"], "电话"),
    (["cases", "lead", "{pending}", "--leader", "nobody"], "未知的领导“nobody”"),
    (["cases", "assign", "{pending}", "--unit", ""], "不能为空"),
    (["cases", "doc", "{pending}", "--kind", "poster", "--pdf", "x.pdf"], "--kind 应为"),
    (["cases", "extend", "{extending}", "--days", "5", "--reason", "再次"], "延期只能申请一次"),
    (["cases", "urge", "{pending}", "--note", "催"], None),  # sanity: the same line succeeds
])
def test_bad_input_exits_2_and_writes_nothing(run: Run, argv: list[str],
                                              words: str | None) -> None:
    line = [a.format(**run.refs) for a in argv]
    if words is None:
        assert run(*line)[0] == 0
        return
    assert words in refused(run, *line)


@pytest.mark.parametrize(("staff", "argv"), [
    ("board01", ["cases", "list"]),
    ("kiosk01", ["cases", "show", "{pending}"]),
    ("desk01", ["cases", "accept", "{pending}"]),
    ("win08", ["cases", "accept", "{pending}"]),  # another department's clerk
    ("win07", ["cases", "show", "{secret}"]),  # the confidential case is 纪委监委's
    ("win07", ["cases", "urge", "{pending}", "--note", "催"]),  # managers supervise
    ("win07", ["cases", "approve-extension", "{extending}", "--told", "电话"]),
    ("win07", ["cases", "lead", "{pending}", "--leader", "lihong"]),
])
def test_a_role_that_may_not_exits_3_and_writes_nothing(run: Run, staff: str,
                                                         argv: list[str]) -> None:
    assert "无权限" in refused(run, *[a.format(**run.refs) for a in argv], status=3, staff=staff)
    assert AuditEvent.select().order_by(AuditEvent.id.desc()).get().action == "denied"


def test_without_credentials_exit_3(run: Run) -> None:
    run.monkeypatch.delenv("HALL_PASSWORD")
    assert "HALL_PASSWORD" in refused(run, "cases", "list", status=3, staff="")


def test_hall_cases_alone_is_the_screen_and_help_works(
        capsys: pytest.CaptureFixture[str]) -> None:
    args = main.parse_args(["cases"])
    assert (args.command, args.case_command, getattr(args, "func", None)) == (
        "cases", None, None)
    with pytest.raises(SystemExit) as done:
        main.parse_args(["cases", "--help"])
    assert done.value.code == 0
    assert "approve-extension" in capsys.readouterr().out


def test_a_document_is_saved_as_pdf(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "notice.pdf"
    made = run.json("cases", "doc", str(run.refs["pending"]), "--kind", "acceptance", "--pdf",
                    str(target), staff="win07")
    assert target.read_bytes().startswith(b"%PDF") and made["number"]
    again = run.json("cases", "doc", str(run.refs["pending"]), "--kind", "acceptance", "--pdf",
                     str(target), "--reprint", made["number"], staff="win07")
    assert again["number"] == made["number"] and again["reprint"]
    refused(run, "cases", "doc", str(run.refs["pending"]), "--kind", "acceptance", "--pdf",
            str(tmp_path / "missing" / "x.pdf"))


# -- the window, 包案 and the visitor's lookup ---------------------------------------------------


def test_finish_names_the_unit_and_prints_the_case(run: Run) -> None:
    run("call", "--window", "7", staff="win07")  # L005
    err = refused(run, "finish", "--window", "7", "--outcome", "forward", staff="win07")
    assert "须写明转送的承办单位" in err
    done = run.json("finish", "--window", "7", "--outcome", "forward", "--unit", "市公积金中心",
                    staff="win07")
    assert done == {"number": "L005", "outcome": "forward",
                    "case": {"id": 6, "number": NUMBER.format(6), "new": True}}
    row = Case.get_by_id(6)
    assert (row.outside_unit, row.department, row.state) == ("市公积金中心", "hrss", "pending")


def test_status_shows_the_case_but_never_a_confidential_one(run: Run) -> None:
    status = run.json("status", "L001")
    assert status["case"] == {"number": NUMBER.format(1), "state": "pending",
                              "state_label": "待受理", "due_on": "2026-12-08"}
    assert set(status) == {"number", "business_day", "department", "department_name", "status",
                           "status_label", "ahead", "window", "case"}
    code, out, _ = run("status", "L003")
    assert code == 0 and f"信访事项 {NUMBER.format(3)}  已答复" in out
    assert "张" not in out and "工资" not in out
    assert run.json("status", "L005")["case"] is None  # waiting: no case yet
    # 纪委监委's confidential case: the lookup shows exactly what it showed before cases.
    secret = run.json("status", "W001")
    assert secret["case"] is None and secret["status"] == "done"
    code, out, _ = run("status", "W001")
    assert code == 0 and len(out.splitlines()) == 1 and "信访" not in out


def test_status_state_names_agree_with_the_case_table() -> None:
    from hall.cases import STATES
    from hall.desk.codes import CASE_STATES

    assert CASE_STATES == STATES


def test_a_leaders_case_opens_or_leads_a_case(run: Run) -> None:
    person = distinct_id(1)
    made = run.json("case", "--id-number", person, "--leader", "lihong", "--matter", "欠薪积案")
    assert (made["number"], made["state"], made["leader_label"], made["due_on"]) == (
        NUMBER.format(6), "pending", "李红市信访局局长", "2026-12-08")
    row = Case.get_by_id(made["case_id"])
    # The visitor's latest visit's category; the leader's room answers until a manager assigns.
    assert (row.category, row.department, row.leader, row.matter) == (
        "wages", "leader", "lihong", "欠薪积案")
    assert entries(row.id) == [("opened", "pending"), ("lead", "pending")]
    led = run.json("case", "--id-number", person, "--leader", "lihong", "--case", "2026-1")
    assert (led["case_id"], led["number"], led["leader"]) == (1, NUMBER.format(1), "lihong")
    assert Case.get_by_id(1).leader == "lihong"
    err = refused(run, "case", "--id-number", person, "--leader", "lihong", "--case",
                  str(run.refs["replied"]))
    assert "不是该来访人的案件" in err
    refused(run, "case", "--id-number", person, "--leader", "lihong")  # no matter, no case
    refused(run, "case", "--id-number", person, "--leader", "lihong", "--matter", "x",
            "--category", "astrology")
    status, out, _ = run("case", "--id-number", distinct_id(2), "--leader", "zhangwei",
                         "--matter", "复核", "--category", "policy")
    assert status == 0 and f"已记录包案：{NUMBER.format(7)}（待受理，下一期限 2026-12-08）" in out
    assert Case.get_by_id(7).category == "policy"
    assert LeaderCase.select().count() == 0


def test_the_visitors_file_lists_old_and_new_leaders_cases(run: Run, config: HallConfig) -> None:
    hall = Hall(open_database(run.url), config, FixedClock(NOW))
    person = distinct_id(1)
    visitor = models.Visitor.get(models.Visitor.id_number == person)
    older = LeaderCase.create(visitor=visitor.id, leader="zhangwei", taken_on="2025-03-01",
                              matter="旧包案", created_at=MORNING, created_by="mgr01")
    hall.cases.lead(1, "lihong", "mgr01")
    file = hall.desk.visitor_file(person, viewer="mgr01")
    assert file is not None
    assert [(c.case_id, c.date, c.leader, c.number, c.state_label, c.due_on, c.matter)
            for c in file.cases] == [
        (1, "2026-11-23", "lihong", NUMBER.format(1), "待受理", "2026-12-08", "工地拖欠工资三个月"),
        (older.id, "2025-03-01", "zhangwei", "", "", "", "旧包案")]
    # A confidential case's matter is not shown in the file the desk reads.
    secret = Case.get_by_id(run.refs["secret"])
    hall.cases.lead(secret.id, "lihong", "mgr01")
    cases = hall.leaders.cases_of(secret.visitor_id)
    assert [(c.number, c.matter) for c in cases] == [(secret.number, "保密事项")]
