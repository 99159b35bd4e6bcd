"""Who may do what: the roles, the acts, and the one table that joins them.

    from hall.accounts.permissions import allowed, ROLES, ACTS
    allowed("window", "window.call")          # True
    allowed("kiosk", "window.call")           # False

Every act of the facade names one entry of :data:`ACTS` and asks the Store
(:meth:`hall.store.Store.permit`) before it writes; a refusal raises
:class:`hall.errors.NotAllowed`, which the CLI turns into exit status 3 and the screens show in
Chinese. The table is data, read by the README's table, the launcher (which screens a role may
open) and the tests (every role against every act, generated from it).

Scope: the roles in :data:`SCOPED` act only for their own department(s): a window clerk of 人社局
calls, finishes and transfers only at windows serving 人社局; a leader or a duty lawyer only in
their own room (the windows of the department ``leader`` or ``lawyer``). Managers act everywhere.
A window serving several departments (3 号窗口: 信访局 and 生态环境局) takes a clerk of any of
them. What an act is scoped by:

- the window acts (call, recall, start, no-show, transfer, finish, pause): the window's
  departments; a transfer by the sending window's, not the receiving department's;
- ``ticket.requeue``: the ticket's department (a clerk puts back only their own queue's no-show);
- ``leader.case`` (包案): the leader's room (a leader's account takes cases of its own room's).
- ``case.view`` and ``case.handle``: the case's department (承办单位 in the hall, or the hall
  department that follows an outside unit's case), or the room of the leader who took it.

Decisions on the table, with the issue's words (issue 11 §3):

- ``incident.close`` (close and reopen), ``incident.view`` (an incident's detail) and
  ``incident.report`` are the managers' alone: "only managers close or reopen one"; managers
  review the incidents. Everyone signed in as a person logs an incident and records its steps and
  corrections (F12 on every staff screen); the kiosk and the board are machines, not people.
- ``leader`` and ``lawyer`` may requeue (``ticket.requeue``) a no-show of their own room: they
  call, recall and mark no-shows there like a window clerk ("their own reception room").
- Cases: the handling staff (window clerks of the case's department, a leader's room for its
  leaders' 包案) and managers read a case and take the handling steps: 受理, 不予受理/不再受理,
  答复, 回访, 申请延期, remarks and documents. Supervising (交办, 督办, 退回, 办结, 复查) and
  approving an extension are the managers' ("a manager urges a case", "approved by a manager").
  The duty lawyer's seat gives legal advice and opens no cases; the desk sees a visitor's open
  cases through the file (``visitor.view``) to link a repeat visit, not the case list.
- Statistics (``stats.read``, ``stats.export``: the figures, their workbook and the monthly
  report) are the managers' ("managers read the statistics and report up"). The visit register
  (``register.export``, 来访登记簿) is kept by the desk and read by managers; a window clerk exports
  their own department's visits only. Who sees which columns in full is the register's rule
  (:mod:`hall.stats.register`).
- The kiosk issues tickets and nothing else (a ticket's status by its query code needs no
  account); the board reads the board and nothing else; the administrator manages accounts,
  tokens, the audit log and the configuration check but does not issue or call (whoever makes
  the accounts does not also work the queue under them).

The README's table (「谁可以做什么 / Roles and permissions」) is :func:`markdown_table`'s text; a
test keeps the two equal.
"""

from __future__ import annotations

ROLES: dict[str, str] = {
    "admin": "管理员",
    "manager": "中心领导",
    "desk": "登记员",
    "window": "窗口",
    "leader": "领导",
    "lawyer": "律师",
    "kiosk": "自助机",
    "board": "叫号屏",
}
"""Role code → what the hall calls it."""

ACTS: dict[str, str] = {
    # the desk
    "ticket.issue": "登记取号",
    "visitor.save": "保存来访人档案",
    "visitor.view": "查看来访人档案",
    "visitor.reveal": "显示完整个人信息",
    # the windows
    "window.call": "叫号",
    "window.recall": "重呼",
    "window.start": "开始接谈",
    "window.no_show": "过号",
    "window.transfer": "转办",
    "window.finish": "办结",
    "window.pause": "暂停或恢复窗口",
    "ticket.requeue": "过号重新排队",
    # reception days
    "leader.day": "增改或取消接待日",
    "leader.plan": "排定与发布接待日",
    "leader.roster": "维护领导名册",
    "leader.case": "领导包案",
    "booking.manage": "预约、改约、取消预约",
    "booking.check_in": "预约签到",
    # special situations
    "incident.log": "登记特殊情况",
    "incident.act": "记录处置经过",
    "incident.correct": "更正处置记录",
    "incident.close": "结束或重新打开特殊情况",
    "incident.view": "查看特殊情况详情",
    "incident.report": "特殊情况日报",
    # cases (信访事项)
    "case.view": "查看案件",
    "case.handle": "办理案件（受理、答复、回访、申请延期、文书）",
    "case.supervise": "督办、交办、退回、办结、复查",
    "case.approve": "批准或不批准延期",
    # statistics and the register
    "stats.read": "查看统计",
    "stats.export": "导出统计与月报",
    "register.export": "导出来访登记簿",
    # the hall
    "board.view": "查看叫号屏",
    "recusal.declare": "申请回避",
    # administration
    "account.manage": "管理账号",
    "token.manage": "管理访问令牌",
    "audit.read": "查阅审计日志",
    "config.check": "检查配置",
}
"""Act → what it is called in a refusal (「无权限：叫号」)."""

_HUMAN = {"incident.log", "incident.act", "incident.correct", "board.view", "recusal.declare"}
_WINDOW = {"window.call", "window.recall", "window.start", "window.no_show", "window.transfer",
           "window.finish", "window.pause"}
_LEADERS = {"leader.day", "leader.plan", "leader.roster", "leader.case", "booking.manage",
            "booking.check_in"}
_INCIDENTS = {"incident.close", "incident.view", "incident.report"}
_CASES = {"case.view", "case.handle"}

PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset({"account.manage", "token.manage", "audit.read", "config.check",
                        "incident.log", "board.view"}),
    "manager": frozenset(_HUMAN | _WINDOW | _LEADERS | _INCIDENTS | _CASES
                         | {"case.supervise", "case.approve", "ticket.issue", "visitor.save",
                            "visitor.view", "visitor.reveal", "ticket.requeue", "audit.read",
                            "config.check", "stats.read", "stats.export", "register.export"}),
    "desk": frozenset(_HUMAN | {"ticket.issue", "visitor.save", "visitor.view", "visitor.reveal",
                                "ticket.requeue", "booking.manage", "booking.check_in",
                                "register.export"}),
    "window": frozenset(_HUMAN | _WINDOW | _CASES
                        | {"visitor.view", "visitor.reveal", "ticket.requeue",
                           "register.export"}),
    "leader": frozenset(_HUMAN | _WINDOW | _CASES
                        | {"visitor.view", "visitor.reveal", "ticket.requeue", "leader.case"}),
    "lawyer": frozenset(_HUMAN | _WINDOW | {"visitor.view", "visitor.reveal", "ticket.requeue"}),
    "kiosk": frozenset({"ticket.issue"}),
    "board": frozenset({"board.view"}),
}
"""Role → the acts it may do. Checking a ticket's status by its query code needs no account (the
QR code on the visitor's slip is the key), so it is not an act here."""

SCOPED: frozenset[str] = frozenset({"window", "leader", "lawyer"})
"""Roles that act only for their own department(s) (see the module's docstring)."""

SEES_EVERYTHING: frozenset[str] = frozenset({"manager"})
"""Roles that see every confidential matter, whatever department it routes to."""

SCREENS: dict[str, frozenset[str]] = {
    "desk": frozenset({"manager", "desk"}),
    "window": frozenset({"manager", "window", "leader", "lawyer"}),
    "board": frozenset({"manager", "admin", "desk", "window", "leader", "lawyer", "board"}),
    "leaders": frozenset({"manager"}),
    "incidents": frozenset({"manager"}),
    "cases": frozenset({"manager", "window", "leader"}),
    "stats": frozenset({"manager"}),
}
"""Screen (the launcher's modes) → the roles that may open it."""


def allowed(role: str, act: str) -> bool:
    """Whether ``role`` may do ``act`` (an unknown role or act: no)."""
    return act in PERMISSIONS.get(role, frozenset())


def may_open(role: str, screen: str) -> bool:
    """Whether ``role`` may open ``screen`` (a launcher mode)."""
    return role in SCREENS.get(screen, frozenset())


def markdown_table() -> str:
    """The table as Markdown, one row per act, one column per role (✓: allowed; a role marked
    * acts only for its own department(s)): the README's 「谁可以做什么」."""
    head = ["操作", "代码", *(f"{name}{'*' if role in SCOPED else ''}<br>`{role}`"
                              for role, name in ROLES.items())]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for act, name in ACTS.items():
        cells = ["✓" if allowed(role, act) else "" for role in ROLES]
        lines.append("| " + " | ".join([name, f"`{act}`", *cells]) + " |")
    return "\n".join(lines) + "\n"
