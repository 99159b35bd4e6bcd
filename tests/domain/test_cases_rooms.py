"""Two leaders' rooms: who may act on a case a leader took (包案), room by room (issue 15).

In the shipped configuration every leader receives in the one room ``leader`` (领导接访室), so
a leader's account always belongs to the room of whichever leader it names, and nothing tells
rooms apart. Here 张伟 receives in a second room, ``leader2`` (第二领导接访室, window 21), and
each room has a leader-role account: 韩秘书 (``room1``, 领导接访室: 李红 and 王舒) and 秦秘书
(``room2``, 第二领导接访室: 张伟).

The rules (hall/accounts/permissions.py): 包案 (``leader.case``) is permitted for the room of the
leader named, not for the case's department nor the account's other leaders; a case a leader took
is handled (``case.handle``: 受理, 不予受理, 答复, 回访, 申请延期, 备注, 文书) and read
(``case.view``) by its department and by that leader's room, not by another room; supervising and
approving (``case.supervise``, ``case.approve``) are the managers' alone, in any room. A refusal
writes nothing but its ``denied`` audit event and says, in Chinese, whose department the case is.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from config import HallConfig
from hall import Hall
from hall.accounts.permissions import ACTS, allowed
from hall.cases import STEPS
from hall.cases.context import Cases
from hall.errors import NotAllowed, Refused
from models import AuditEvent
from tests.domain.test_cases import denied, open_case, row
from tests.helpers import add_account, config_with

ROOM = "  - {code: leader, name: 领导接访室, prefix: D, description: 领导接待日预约接访}\n"
WINDOW = "  - {number: 20, label: 领导接访室, departments: [leader]}\n"
ZHANGWEI = "    portfolio: 城建、征收拆迁、住房保障\n    department: leader\n"


@pytest.fixture
def config() -> HallConfig:
    """The shipped hall with 张伟 in a second leaders' room of its own."""
    return config_with(
        (ROOM, ROOM + "  - {code: leader2, name: 第二领导接访室, prefix: K, "
                      "description: 副市长接访}\n"),
        (WINDOW, WINDOW + "  - {number: 21, label: 第二领导接访室, departments: [leader2]}\n"),
        (ZHANGWEI, ZHANGWEI.replace("department: leader", "department: leader2")),
        ("closed_without_day: [leader, lawyer]", "closed_without_day: [leader, leader2, lawyer]"))


@pytest.fixture
def rooms(hall: Hall) -> Hall:
    """The hall with each room's leader-role account (the shipped roster has none)."""
    add_account("room1", "leader", "leader", name="韩秘书")
    add_account("room2", "leader", "leader2", name="秦秘书")
    return hall


def test_the_configuration_has_two_rooms(config: HallConfig) -> None:
    assert {x.code: x.department for x in config.leaders if x.kind == "leader"} == {
        "zhangwei": "leader2", "lihong": "leader", "wangshu": "leader"}


def step_call(cases: Cases, step: str, case_id: int, actor: str) -> Any:
    """Take ``step`` on the case as ``actor``, with valid arguments (包案: 李红, of 领导接访室)."""
    calls: dict[str, Callable[[], Any]] = {
        "accept": lambda: cases.accept(case_id, actor, how="电话告知"),
        "refuse": lambda: cases.refuse(case_id, "rejected", "属于诉讼事项", "向人民法院起诉",
                                       actor),
        "assign": lambda: cases.assign(case_id, "hrss", actor, note="请人社局办理"),
        "reply": lambda: cases.reply(case_id, "已足额支付拖欠工资", actor),
        "return": lambda: cases.send_back(case_id, "答复未附支付凭证", actor),
        "followup": lambda: cases.followup(case_id, "phone", "不满意", actor, note="仍有异议"),
        "close": lambda: cases.close(case_id, actor),
        "urge": lambda: cases.urge(case_id, "请尽快办理", actor),
        "extend": lambda: cases.extend(case_id, 10, "情况复杂", actor),
        "approve_extension": lambda: cases.approve_extension(case_id, actor, told="电话告知"),
        "refuse_extension": lambda: cases.refuse_extension(case_id, actor, note="理由不足"),
        "lead": lambda: cases.lead(case_id, "lihong", actor),
        "note": lambda: cases.note(case_id, "来电询问进展", actor),
        "review": lambda: cases.review(case_id, actor, note="申请复查"),
    }
    return calls[step]()


def refusal(act: Callable[[], Any], login: str, what: str) -> str:
    """Run ``act``, refused to ``login`` for ``what`` (nothing written but the ``denied``
    event, which records the same words); the refusal's words."""
    denied(act, login, what)
    last = AuditEvent.select().order_by(AuditEvent.id.desc()).get()
    return str(json.loads(last.detail)["reason"])


def outside(act: str, who: str, where: str) -> str:
    """The refusal of ``act`` to ``who`` for a case or room outside theirs (``where``)."""
    return f"无权限{ACTS[act]}：{who}不属于{where}，只能办理本部门的事项"


# -- 包案: the leader's room, not the account's ---------------------------------------------------


def test_a_leaders_room_takes_cases_for_its_own_leaders_only(rooms: Hall) -> None:
    """秦秘书 (第二领导接访室) may not make 李红 (领导接访室) take a case, nor 韩秘书 张伟: each
    refusal names the leader's room and writes only its ``denied`` event; each may for their
    own room's leader. The room's window clerk (win20, a window role) takes no case at all.
    Kills ``_permit`` asking for no room: ``permit(actor, act, None)`` and the room argument
    dropped (``_permit__mutmut_5``, ``_8``: they passed while every leader shared one room), and
    the room swapped for the case's scope (``_2``)."""
    hall = rooms
    case_id = open_case(hall)
    assert row(case_id).department == "hrss"
    assert refusal(lambda: hall.cases.lead(case_id, "lihong", "room2"), "room2",
                   "leader.case") == (
        "无权限领导包案：秦秘书（room2）不属于领导接访室，只能办理本部门的事项")
    assert refusal(lambda: hall.cases.lead(case_id, "zhangwei", "room1"), "room1",
                   "leader.case") == (
        "无权限领导包案：韩秘书（room1）不属于第二领导接访室，只能办理本部门的事项")
    assert refusal(lambda: hall.cases.lead(case_id, "lihong", "win20"), "win20",
                   "leader.case") == "无权限领导包案：窗口（win20）不能领导包案"
    assert row(case_id).leader == ""

    assert hall.cases.lead(case_id, "zhangwei", "room2").leader == "zhangwei"
    other = open_case(hall)
    assert hall.cases.lead(other, "lihong", "room1").leader == "lihong"
    # a leader who took a case does not tie it to his room: the other room's leader may take it
    # over for their own room (the permission follows the leader named, not the one before)
    assert hall.cases.lead(other, "zhangwei", "room2").leader == "zhangwei"
    assert hall.cases.lead(other, "wangshu", "room1").leader == "wangshu"


# -- every act on a led case, room by room --------------------------------------------------------


def test_only_the_leaders_room_acts_on_a_case_he_took(rooms: Hall) -> None:
    """李红 (领导接访室) took a 人社局 case. For every step of the case table, 秦秘书 of the other
    room is refused before the state is looked at, naming the case's department and the room
    that may (or, for the managers' steps, that a leader may not do them at all); so are the
    detail and a document. 韩秘书 of 李红's room is refused only the managers' steps: the
    handling steps pass the permission (taken, or refused by the state with its own words),
    and 韩秘书 handles the case from 受理 to 回访, reads it and numbers a document; 秦秘书 lists
    none of it. Kills ``_permit``'s room dropped (``_permit__mutmut_5``, ``_8``), the case's
    scope dropped (any room acts: ``_14``), the room asked for the handling steps instead of
    the case's scope (``_2``), the leader's room left out of ``_departments``."""
    hall = rooms
    case_id = open_case(hall)
    hall.cases.lead(case_id, "lihong", "mgr01")
    where = "市人社局、领导接访室"
    for step in STEPS:
        act = STEPS[step].act
        what = ACTS[act]
        message = refusal(lambda step=step: step_call(hall.cases, step, case_id, "room2"),
                          "room2", act)
        if not allowed("leader", act):
            assert message == f"无权限{what}：领导（room2）不能{what}", step
            assert refusal(lambda step=step: step_call(hall.cases, step, case_id, "room1"),
                           "room1", act) == f"无权限{what}：领导（room1）不能{what}", step
        else:  # 包案 asks the named leader's room (李红: 领导接访室), the rest the case's scope
            room = "领导接访室" if step == "lead" else where
            assert message == outside(act, "秦秘书（room2）", room), step
    handling = [s for s in STEPS if STEPS[s].act == "case.handle"]
    assert sorted(handling) == ["accept", "extend", "followup", "note", "refuse", "reply"]
    for step in (*handling, "lead"):  # passes the permission: taken or refused by the state
        try:
            step_call(hall.cases, step, case_id, "room1")
        except Refused:
            pass
        except NotAllowed as e:
            pytest.fail(f"{step}: {e}")
    assert refusal(lambda: hall.cases.detail(case_id, "room2"), "room2", "case.view") == (
        outside("case.view", "秦秘书（room2）", where))
    assert refusal(lambda: hall.cases.record_document(case_id, "notice", "room2"), "room2",
                   "case.handle") == outside("case.handle", "秦秘书（room2）", where)
    assert hall.cases.list("room2") == []

    # 韩秘书 takes the handling steps through, reads the case and numbers a document
    fresh = open_case(hall)
    hall.cases.lead(fresh, "lihong", "room1")
    hall.cases.accept(fresh, "room1", how="电话告知")
    hall.cases.extend(fresh, 10, "情况复杂", "room1")
    hall.cases.note(fresh, "来电询问进展", "room1")
    hall.cases.reply(fresh, "已足额支付拖欠工资", "room1")
    hall.cases.followup(fresh, "phone", "满意", "room1")
    assert row(fresh).state == "followed"
    assert hall.cases.record_document(fresh, "notice", "room1").endswith("-01")
    assert [e.kind for e in hall.cases.detail(fresh, "room1").entries] == [
        "opened", "lead", "accept", "extend", "note", "reply", "followup", "document"]
    assert {c.id for c in hall.cases.list("room1")} == {case_id, fresh}
    assert hall.cases.list("room2") == []


def test_a_case_taken_over_by_the_other_rooms_leader_changes_room(rooms: Hall) -> None:
    """A case 李红 took, then taken over by 张伟 (第二领导接访室): 秦秘书 now handles it, 韩秘书
    no longer may; the 人社局 clerk may throughout. Kills: a case's scope read from its first
    leader, or from the account's room rather than the case's leader."""
    hall = rooms
    case_id = open_case(hall)
    hall.cases.lead(case_id, "lihong", "room1")
    hall.cases.accept(case_id, "room1", how="电话告知")
    hall.cases.lead(case_id, "zhangwei", "room2")
    assert refusal(lambda: hall.cases.note(case_id, "越权备注", "room1"), "room1",
                   "case.handle") == (
        "无权限办理案件（受理、答复、回访、申请延期、文书）：韩秘书（room1）不属于市人社局、"
        "第二领导接访室，只能办理本部门的事项")
    hall.cases.note(case_id, "张伟副市长已阅", "room2")
    hall.cases.reply(case_id, "已足额支付拖欠工资", "win07")
    assert (row(case_id).leader, row(case_id).state) == ("zhangwei", "replied")
    assert [c.id for c in hall.cases.list("room2")] == [case_id]
    assert hall.cases.list("room1") == []
