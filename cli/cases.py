"""``hall cases …``: cases (信访事项) from the command line; ``hall cases`` alone opens the screen.

    hall cases list [--state S] [--overdue] [--due-within DAYS] [--unit D] [--leader CODE]
    hall cases show ID
    hall cases accept ID [--how H] [--note T]              受理告知 (sent how)
    hall cases refuse ID --kind rejected|not_again --reason T --channel T
    hall cases assign ID --unit D [--note T]               交办 (department or outside unit)
    hall cases urge ID --note T [--due YYYY-MM-DD]         督办, with a new date
    hall cases extend ID --days N --reason T               申请延期 (once)
    hall cases approve-extension ID --told T [--note T]    批准延期 (how the visitor is told)
    hall cases refuse-extension ID --note T
    hall cases reply ID --note T                           the unit's reply (答复)
    hall cases return ID --reason T                        退回 a reply that falls short
    hall cases followup ID --how H --satisfaction 满意|基本满意|不满意 [--note T]   回访
    hall cases close ID [--note T]                         办结
    hall cases lead ID --leader CODE [--note T]            领导包案
    hall cases note ID --note T                            a remark on the timeline
    hall cases review ID [--note T]                        复查: a new case linked to this one
    hall cases doc ID --kind KIND --pdf FILE [--reprint NUMBER]   a document, as PDF

Every sub-command takes ``--json`` (the views of :mod:`hall.cases.views` as JSON). ID is the
case's id, its full number (江信〔2026〕第 0137 号) or YEAR-SEQ (2026-137). ``--state`` takes a
state's code or its name (pending / 待受理 …).

Every command needs a signed-in staff member whose role may do it (:mod:`cli.context`; exit 3
without, or for a step the role may not take on that case). Bad input (an unknown state, a bad
or far date, control characters, an over-long text, days out of range, an unknown case) exits 2
and writes nothing; so does a step the case's state does not allow, with the steps it does allow.
The screen (``hall cases`` without a sub-command) is main's.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from cli.context import Context, UsageError, pad, print_form_errors, print_json

FLAGS = {"how": "--how", "note": "--note", "reason": "--reason", "channel": "--channel",
         "unit": "--unit", "kind": "--kind", "satisfaction": "--satisfaction", "days": "--days",
         "due": "--due", "leader": "--leader"}
"""A refused field's key → the flag that gave it (``approve-extension`` says ``--told``)."""

COMMAND_OF_STEP = {"approve_extension": "approve-extension",
                   "refuse_extension": "refuse-extension"}
"""The sub-command of a step whose code is not its name."""

MAX_LIST_DAYS = 366  # --due-within: a year ahead at most (a typo otherwise)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``hall cases …`` to ``hall``'s sub-command parser. No ``func`` on ``cases`` itself:
    ``hall cases`` alone opens the case screen (main)."""
    parser = sub.add_parser("cases", parents=[common],
                            help="信访事项：列表、查看、受理、交办、督办、答复、回访、办结、文书"
                                 "（不带子命令则打开案件界面）")
    acts = parser.add_subparsers(dest="case_command", parser_class=type(parser), metavar="动作")

    def act(name: str, text: str, func: Any, *, case: bool = True) -> argparse.ArgumentParser:
        p = acts.add_parser(name, parents=[common], help=text)
        if case:
            p.add_argument("id", metavar="ID", help="案件编号、序号或 年份-序号（如 2026-137）")
        p.add_argument("--json", action="store_true")
        p.set_defaults(func=func)
        return p

    p = act("list", "列出案件（默认按期限排序）", cmd_list, case=False)
    p.add_argument("--state", help="状态代码或名称，如 pending / 待受理")
    p.add_argument("--overdue", action="store_true", help="只列已逾期的")
    p.add_argument("--due-within", metavar="DAYS", help="只列 DAYS 天内到期的")
    p.add_argument("--unit", help="承办单位：部门代码或外单位名称")
    p.add_argument("--leader", help="包案领导代码")
    act("show", "查看案件及其经过", cmd_show)
    p = act("accept", "受理告知", cmd_step)
    p.add_argument("--how", default="", help="告知方式，如 电话告知、书面告知")
    p.add_argument("--note", default="")
    p = act("refuse", "不予受理 / 不再受理（即时办结）", cmd_step)
    p.add_argument("--kind", required=True, help="rejected（不予受理）或 not_again（不再受理）")
    p.add_argument("--reason", required=True)
    p.add_argument("--channel", required=True, help="告知来访人的法定途径")
    p = act("assign", "交办：指定承办单位", cmd_step)
    p.add_argument("--unit", required=True, help="部门代码，或外单位名称（转送）")
    p.add_argument("--note", default="")
    p = act("urge", "督办 / 催办", cmd_step)
    p.add_argument("--note", required=True)
    p.add_argument("--due", help="要求承办单位办结的日期 YYYY-MM-DD"
                                 "（案件期限取此日与法定期限中较早者）")
    p = act("extend", "申请延期（仅一次）", cmd_step)
    p.add_argument("--days", required=True, help="延期天数")
    p.add_argument("--reason", required=True)
    p = act("approve-extension", "批准延期", cmd_step)
    p.add_argument("--told", required=True, help="如何、何时告知来访人")
    p.add_argument("--note", default="")
    p = act("refuse-extension", "不批准延期", cmd_step)
    p.add_argument("--note", required=True)
    p = act("reply", "记录承办单位的答复", cmd_step)
    p.add_argument("--note", required=True)
    p = act("return", "退回答复（重新办理）", cmd_step)
    p.add_argument("--reason", required=True)
    p = act("followup", "回访并记录满意度", cmd_step)
    p.add_argument("--how", required=True, help="回访方式代码（见 hall check-config）")
    p.add_argument("--satisfaction", required=True, help="满意、基本满意或不满意")
    p.add_argument("--note", default="")
    p = act("close", "办结", cmd_step)
    p.add_argument("--note", default="")
    p = act("lead", "领导包案", cmd_step)
    p.add_argument("--leader", required=True, help="领导代码")
    p.add_argument("--note", default="")
    p = act("note", "在经过中添加备注", cmd_step)
    p.add_argument("--note", required=True)
    p = act("review", "复查（回访不满意时，另立关联案件）", cmd_step)
    p.add_argument("--note", default="")
    p = act("doc", "出具文书（PDF）", cmd_doc)
    p.add_argument("--kind", required=True, help="文书类型，如 acceptance、assign、urge")
    p.add_argument("--pdf", required=True, metavar="FILE", help="保存的 PDF 文件")
    p.add_argument("--reprint", default="", metavar="NUMBER", help="补打已出具的文书（其编号）")


# -- input checked before signing in ----------------------------------------------------------


def _ref(text: str) -> str:
    """A case reference as typed: refused when it cannot be one (controls, far too long)."""
    cleaned = text.strip()
    if not cleaned or not cleaned.isprintable() or len(cleaned) > 64:
        raise UsageError("ID 应为案件编号、序号或 年份-序号（如 2026-137）")
    return cleaned


def _line(text: str | None, flag: str, limit: int = 128) -> str:
    """A short filter value: printable, at most ``limit`` characters."""
    value = (text or "").strip()
    if not value.isprintable() or len(value) > limit:
        raise UsageError(f"{flag} 应为不含控制字符、不超过 {limit} 个字的文字")
    return value


def _whole(text: str | None, flag: str, low: int, high: int) -> int | None:
    """A whole number from ``low`` to ``high`` (None stays None)."""
    if text is None:
        return None
    value = text.strip()
    if not (value.isascii() and value.isdigit() and len(value) <= 6) or \
            not low <= int(value) <= high:
        raise UsageError(f"{flag} 应为 {low} 至 {high} 的整数，实际为“{value[:20]}”")
    return int(value)


def _state(text: str | None) -> str | None:
    """A state's code from its code or name; :class:`UsageError` naming them otherwise."""
    if text is None:
        return None
    from hall.cases import STATES

    value = text.strip()
    code = value if value in STATES else next((c for c, n in STATES.items() if n == value), None)
    if code is None:
        valid = "、".join(f"{c}（{n}）" for c, n in STATES.items())
        raise UsageError(f"--state 应为：{valid}")
    return code


# -- the commands -----------------------------------------------------------------------------


def cmd_list(ctx: Context) -> int:
    """The cases the signed-in staff member may see, filtered."""
    args = ctx.args
    state = _state(args.state)
    within = _whole(args.due_within, "--due-within", 0, MAX_LIST_DAYS)
    unit = _line(args.unit, "--unit") or None
    leader = _line(args.leader, "--leader", 32) or None
    hall, actor = ctx.acting()
    rows = hall.cases.list(actor, state=state, overdue=args.overdue, due_within=within,
                           unit=unit, leader=leader)
    if args.json:
        print_json({"count": len(rows), "cases": [asdict(s) for s in rows]})
        return 0
    if not rows:
        print("没有符合条件的案件")
    else:
        print(LIST_HEADER)
    for s in rows:
        print(summary_line(s))
    return 0


def cmd_show(ctx: Context) -> int:
    """A case, its dates, visits, documents and timeline (the view is audited)."""
    args = ctx.args
    ref = _ref(args.id)
    hall, actor = ctx.acting()
    detail = hall.cases.detail(hall.cases.find(ref), actor)
    if args.json:
        print_json(asdict(detail))
        return 0
    print("\n".join(detail_lines(detail)))
    return 0


def cmd_step(ctx: Context) -> int:
    """One step on a case; the sub-command's name says which."""
    from hall.desk.registration import FormError

    args = ctx.args
    step = args.case_command
    ref = _ref(args.id)
    days = _whole(args.days, "--days", 1, 9999) if step == "extend" else None
    due = ctx.date(args.due, "--due") if step == "urge" else None
    hall, actor = ctx.acting()
    cases = hall.cases
    case_id = cases.find(ref)
    calls = {
        "accept": lambda: cases.accept(case_id, actor, how=args.how, note=args.note),
        "refuse": lambda: cases.refuse(case_id, args.kind, args.reason, args.channel, actor),
        "assign": lambda: cases.assign(case_id, args.unit, actor, note=args.note),
        "urge": lambda: cases.urge(case_id, args.note, actor, due=due),
        "extend": lambda: cases.extend(case_id, days, args.reason, actor),
        "approve-extension": lambda: cases.approve_extension(case_id, actor, args.told,
                                                             note=args.note),
        "refuse-extension": lambda: cases.refuse_extension(case_id, actor, args.note),
        "reply": lambda: cases.reply(case_id, args.note, actor),
        "return": lambda: cases.send_back(case_id, args.reason, actor),
        "followup": lambda: cases.followup(case_id, args.how, args.satisfaction, actor,
                                           note=args.note),
        "close": lambda: cases.close(case_id, actor, note=args.note),
        "lead": lambda: cases.lead(case_id, args.leader, actor, note=args.note),
        "note": lambda: cases.note(case_id, args.note, actor),
        "review": lambda: cases.review(case_id, actor, note=args.note),
    }
    try:
        summary = calls[step]()
    except FormError as exc:
        flags = {**FLAGS, "how": "--told"} if step == "approve-extension" else FLAGS
        return print_form_errors(exc.errors, exc.labels, flags)
    if args.json:
        print_json(asdict(summary))
        return 0
    if step == "review":
        print(f"已立复查案件：{summary.number}（原案件 {ref}）")
    else:
        print(f"{summary.number}：{_DONE.get(step, step)}，当前状态 {summary.state_label}"
              + (f"，下一期限 {summary.due_on}" if summary.due_on else ""))
    return 0


_DONE = {"accept": "已受理告知", "refuse": "已办结（不予受理/不再受理）", "assign": "已交办",
         "urge": "已督办", "extend": "已申请延期（待批准）", "approve-extension": "已批准延期",
         "refuse-extension": "未批准延期", "reply": "已记录答复", "return": "已退回重办",
         "followup": "已回访", "close": "已办结", "lead": "已记录领导包案", "note": "已备注"}


def cmd_doc(ctx: Context) -> int:
    """Render a document of the case as PDF (numbered and recorded on the case)."""
    from hall.cases.states import DOCUMENT_KINDS

    args = ctx.args
    ref = _ref(args.id)
    if args.kind not in DOCUMENT_KINDS:
        valid = "、".join(f"{k}（{v}）" for k, v in DOCUMENT_KINDS.items())
        raise UsageError(f"--kind 应为：{valid}")
    reprint = _line(args.reprint, "--reprint", 80)
    target = _pdf_target(args.pdf)
    hall, actor = ctx.acting("case.view")  # who may see no case is refused before rendering
    case_id = hall.cases.find(ref)
    doc = hall.cases.documents.render(case_id, args.kind, actor, reprint=reprint)
    try:
        target.write_bytes(doc.pdf)
    except OSError as exc:  # checked above; a full disk or a race can still fail here
        raise UsageError(f"无法写入 {target}：{exc.strerror or exc}") from None
    if args.json:
        print_json({"case": case_id, "kind": args.kind, "number": doc.number,
                    "reprint": bool(reprint), "pdf": str(target)})
        return 0
    print(f"{'已补打' if reprint else '已出具'}{DOCUMENT_KINDS[args.kind]} {doc.number}：{target}")
    return 0


def _pdf_target(text: str) -> Path:
    """The --pdf file, refused when it cannot be written (a folder, a missing folder)."""
    path = Path(_line(text, "--pdf", 4096)).expanduser()
    if path.is_dir():
        raise UsageError(f"--pdf 应为文件名，“{text}”是一个目录")
    if not path.parent.is_dir():
        raise UsageError(f"无法写入 {text}：目录 {path.parent} 不存在")
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UsageError(f"无法写入 {text}：没有写权限")
    return path


# -- printing ---------------------------------------------------------------------------------


def _due(s: Any) -> str:
    if not s.due_on:
        return pad("—", 22)
    if s.overdue:
        mark = f"逾期 {-(s.days_left or 0)} 天"
    elif s.days_left == 0:
        mark = "今日到期"
    else:
        mark = f"剩 {s.days_left} 天"
    return pad(f"{s.due_on} {mark}", 22)


def summary_line(s: Any) -> str:
    """One case on one line, columns aligned (id, number, state, due, unit, leader, matter)."""
    flag = "!" if s.overdue else ("~" if s.due_soon else " ")
    return (f"{s.id:>5} {flag} {pad(s.number, 26)} {pad(s.state_label, 8)} {_due(s)} "
            f"{pad(s.unit, 14)} {pad(s.leader_label or '—', 16)} {pad(s.matter, 30).rstrip()}")


LIST_HEADER = (f"{'序号':>3}   {pad('编号', 26)} {pad('状态', 8)} {pad('下一期限', 22)} "
               f"{pad('承办单位', 14)} {pad('包案领导', 16)} 事由")
"""The list's column heads (``!`` overdue, ``~`` due soon)."""



def detail_lines(d: Any) -> list[str]:
    """A case's detail as ``hall cases show`` prints it."""
    from hall.cases.states import DETAIL_LABELS, DOCUMENT_KINDS, STEPS

    s = d.summary
    lines = [f"{s.number}（#{s.id}）  {s.state_label}" + ("  [保密]" if s.confidential else ""),
             f"  来访人 {s.visitor or '—'}  类别 {s.category_name}  承办单位 {s.unit}"
             + (f"  包案 {s.leader_label}" if s.leader else ""),
             f"  事由：{s.matter}"]
    if d.request:
        lines.append(f"  诉求：{d.request}")
    extension = {"requested": "已申请", "approved": f"已批准 {d.extension_days} 天",
                 "refused": "未批准"}.get(s.extension_state, "无")
    lines.append(f"  立案 {s.opened_on}  受理告知期限 {d.acceptance_due}  受理 "
                 f"{d.accepted_on or '—'}  办理期限 {d.handling_due}  延期 {extension}")
    if s.due_on:
        lines.append(f"  下一期限 {_due(s).rstrip()}")
    if s.satisfaction:
        lines.append(f"  满意度 {s.satisfaction}")
    if d.parent:
        lines.append(f"  复查自 {d.parent}")
    for number in d.reviews:
        lines.append(f"  复查案件 {number}")
    for v in d.visits:
        extra = "".join(f"  {x}" for x in (v.note, v.reason, v.channel) if x)
        lines.append(f"  来访 {v.date}  {v.department_name}  {v.outcome_name}{extra}")
    lines.append("  经过：")
    for e in d.entries:
        detail = "  ".join(f"{DETAIL_LABELS[k]} {v}" for k, v in e.detail.items()
                           if k in DETAIL_LABELS and v not in ("", None))
        lines.append(f"  #{e.seq:<3} {e.at}  {pad(e.actor_name, 10)} {pad(e.kind_label, 16)}"
                     f"{e.note}" + (f"  {detail}" if detail else "")
                     + (f"  期限 {e.due_on}" if e.due_on else ""))
    for kind, number, at in d.documents:
        lines.append(f"  文书 {number}  {DOCUMENT_KINDS.get(kind, kind)}  {at}")
    steps = "、".join(f"{STEPS[c].label}（{COMMAND_OF_STEP.get(c, c)}）" for c in d.allowed)
    lines.append(f"  可进行的操作：{steps or '无'}")
    return lines
