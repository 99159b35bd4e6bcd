"""The terminals' look and keys: a theme and remapped keys, per hall.

    terminal:
      theme: textual-light            # one of THEMES
      keys:                           # binding id: key(s), several separated by commas
        window.call_next: f1
        window.recall: f6,r

Every key on every screen has a binding id (``window.call_next``, ``desk.issue``...); the ids are
listed in :data:`BINDING_IDS` (tests/screens/test_keymap.py checks the list against the screens,
so a new binding cannot be forgotten here). :func:`terminal_problems` refuses an unknown id or
theme with the nearest valid one, as every other "unknown X, did you mean" of the configuration.
The screens apply both when the app is built (Textual's keymap and themes).
"""

from __future__ import annotations

import re
from difflib import get_close_matches

from config.types import ConfigModel, KeyPath, Problem

BINDING_IDS: frozenset[str] = frozenset("""
app.incident app.palette app.quit board.leave board.leave_escape
booking.cancel booking.cancel_booking booking.move_booking call_number.cancel confirm.cancel
case_document.cancel case_document.pick1 case_document.pick2 case_document.pick3
case_document.pick4 case_document.pick5 case_document.pick6 case_document.pick7
case_document.pick8 case_step.cancel case_step.save
cases.accept cases.approve_extension cases.assign cases.close cases.document cases.extend
cases.followup cases.launcher cases.lead cases.note cases.refuse cases.refuse_extension
cases.reply cases.return cases.review cases.urge cases.view_all cases.view_open
cases.view_overdue cases.view_soon
desk.bookings desk.clear desk.document desk.file_history desk.issue desk.launcher desk.reprint
confirm.no confirm.yes
finish.cancel finish.pick1 finish.pick2 finish.pick3 finish.pick4 finish.pick5 finish.pick6
finish.pick7 finish.pick8 finish.pick9 finish.submit grid.down grid.left grid.right grid.up
incident_action.cancel incident_action.pick1 incident_action.pick2 incident_action.pick3
incident_action.pick4 incident_action.pick5 incident_action.pick6 incident_action.pick7
incident_action.pick8 incident_action.pick9 incident_action.submit incident_correct.cancel
incident_form.cancel incident_form.save incident_report.close incident_report.save
incident_text.cancel incidents.act incidents.close incidents.correct incidents.launcher
incidents.reopen incidents.report
launcher.board launcher.cases launcher.desk launcher.incidents launcher.leaders launcher.open
launcher.stats launcher.switch_staff launcher.window leader_form.cancel leader_form.save
leaders.add_day leaders.book leaders.calendar leaders.cancel_day leaders.edit_day leaders.export
leaders.launcher leaders.list leaders.next_month leaders.plan leaders.prev_month leaders.publish
leaders.roster leaders.rules leaders.today lock.switch login.cancel notice.close password.cancel
reason.cancel roster.add roster.close roster.edit roster.retire rules.add rules.close rules.retire
stats.chart_1 stats.chart_2 stats.chart_3 stats.chart_4 stats.chart_5 stats.chart_6 stats.csv
stats.earlier stats.later stats.launcher stats.leave stats.next_chart stats.period_last_month
stats.period_month stats.period_today stats.period_week stats.period_year stats.previous_chart
stats.range stats.reload stats.report stats.xlsx stats_table.next stats_table.previous
ticket.close ticket.print ticket.save transfer.cancel transfer.down transfer.up
window.call_next window.call_number window.finish window.incident window.launcher
window.no_show window.pause window.recall window.recuse window.resume window.reveal window.start
window.transfer window.interview window.appoint window.print_interview
window_appoint.cancel window_appoint.save window_interview.cancel window_interview.save
window_pick.cancel
""".split())
"""Every binding id of the hall's screens and dialogs (the keys ``terminal.keys`` may remap)."""

THEMES: tuple[str, ...] = (
    "ansi-dark", "ansi-light", "atom-one-dark", "atom-one-light", "catppuccin-frappe",
    "catppuccin-latte", "catppuccin-macchiato", "catppuccin-mocha", "dracula", "flexoki",
    "gruvbox", "monokai", "nord", "rose-pine", "rose-pine-dawn", "rose-pine-moon",
    "solarized-dark", "solarized-light", "textual-dark", "textual-light", "tokyo-night")
"""Textual's built-in themes (tests/screens/test_keymap.py checks them against Textual)."""

_KEY = re.compile(r"((ctrl|shift|alt|super|meta)\+)*([a-z0-9_]+|[^\sA-Z,+])")


class TerminalSettings(ConfigModel):
    """How the staff terminals look and which keys they use."""

    theme: str = "textual-dark"
    """配色主题：Textual 的内置主题名，如 textual-dark（默认）、textual-light、nord、gruvbox。"""
    keys: dict[str, str] = {}
    """按键重映射：绑定编号 → 按键（多个用英文逗号分隔），如 ``window.call_next: f1``。"""


def _areas() -> list[str]:
    return sorted({binding_id.split(".", 1)[0] for binding_id in BINDING_IDS})


def terminal_problems(settings: TerminalSettings) -> list[Problem]:
    """Unknown binding ids and themes (with the nearest valid one) and malformed keys."""
    problems: list[Problem] = []
    if settings.theme not in THEMES:
        near = get_close_matches(settings.theme, THEMES, n=1, cutoff=0.5)
        problems.append((("terminal", "theme"),
                         f"未知的配色主题“{settings.theme}”，应为以下之一：{'、'.join(THEMES)}",
                         near[0] if near else None))
    ids = sorted(BINDING_IDS)
    for binding_id, keys in settings.keys.items():
        path: KeyPath = ("terminal", "keys", binding_id)
        if binding_id not in BINDING_IDS:
            area = binding_id.split(".", 1)[0]
            same_area = [i for i in ids if i.startswith(f"{area}.")]
            near = get_close_matches(binding_id, ids, n=1, cutoff=0.6)
            problems.append((path, f"未知的按键绑定编号“{binding_id}”" + (
                f"，{area} 下可用：{'、'.join(same_area)}" if same_area else
                f"，编号形如 window.call_next，前缀可为：{'、'.join(_areas())}"),
                near[0] if near else None))
        bad = [k for k in keys.split(",") if not _KEY.fullmatch(k.strip())]
        if not keys.strip() or bad:
            problems.append((path, f"按键“{keys}”写法不对：应为 Textual 的按键名，如 f5、"
                             "ctrl+s、escape、pagedown、a，多个用英文逗号分隔", None))
    return problems
