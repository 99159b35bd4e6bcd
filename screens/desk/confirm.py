"""What the desk asks before it issues against a person's file (issue 9 §3): a name that differs
from the file's (a :class:`~screens.dialogs.ConfirmDialog`, F5 to confirm the rename) and a second
ticket while one waits or is called today (a :class:`~screens.dialogs.ReasonDialog`: the reason
is recorded with the ticket). A mixin of :class:`screens.desk.screen.DeskScreen`.

The hall refuses both with :class:`~hall.desk.registration.NeedsConfirmation`, writing nothing;
the desk asks, then issues the same form again with ``rename`` and ``again_reason`` set. Esc in
either dialog returns to the form with nothing written. The form also says it beforehand: a
name typed over the file's gets a note, and the banner names today's open ticket.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual.widgets import Static

from hall.desk.registration import NeedsConfirmation, Registration

if TYPE_CHECKING:
    from screens.desk.screen import DeskScreen

    _Base = DeskScreen
else:
    _Base = object


class DeskConfirm(_Base):
    """Rename and second-ticket confirmations of the desk."""

    def ask_confirmation(self, asked: NeedsConfirmation, form: Registration) -> None:
        """The hall asked for a confirmation: ask the operator, then issue again."""
        from screens.dialogs.confirm import ConfirmDialog

        self.query_one("#desk-hint", Static).update(
            "[b $warning]未出票：请在对话框中确认，或按 Esc 返回[/]")
        if "name" in asked.errors and not form.rename:
            text = (f"档案姓名：{asked.file_name}\n本次填写：{form.name.strip()}\n\n"
                    "确为同一人改名？原姓名将保留在档案历史中。证件号码输错的，请返回修改号码。")
            self.app.push_screen(
                ConfirmDialog("姓名与档案不同", text, "F5 确认改名并出票　Esc 返回修改"),
                lambda yes: self._renamed(bool(yes), asked, form))
            return
        self._ask_reason(asked, form)

    def _renamed(self, yes: bool, asked: NeedsConfirmation, form: Registration) -> None:
        if not yes:
            self._not_issued("name")
            return
        form = replace(form, rename=True)
        if "again_reason" in asked.errors:
            self._ask_reason(asked, form)
        else:
            self._issue_again(form)

    def _ask_reason(self, asked: NeedsConfirmation, form: Registration) -> None:
        from screens.dialogs.reason import ReasonDialog

        self.app.push_screen(
            ReasonDialog(f"此人今天已有票号 {asked.first}，尚未办结。确需再次取号，请说明原因"
                         "（将记录在案）。", title="再次取号", placeholder="再次取号原因",
                         hint="Enter 确认出票　Esc 返回", empty="请填写再次取号原因"),
            lambda reason: self._reasoned(reason, form))

    def _reasoned(self, reason: str | None, form: Registration) -> None:
        if reason is None:
            self._not_issued(None)
            return
        self._issue_again(replace(form, again_reason=reason))

    def _issue_again(self, form: Registration) -> None:
        staff = self.hall_app.staff
        if not staff:  # signed out meanwhile: nothing is issued without an actor
            self._not_issued(None)
            return
        self._issuing = True
        self.query_one("#desk-hint", Static).update("[b]正在出票…[/]")
        self._issue(form, staff)

    def _not_issued(self, field: str | None) -> None:
        """Esc in a dialog: back to the form, nothing written."""
        from screens.desk.screen import HINT

        self._issuing = False
        self.query_one("#desk-hint", Static).update(HINT)
        self.notify("未出票：已返回登记表", timeout=3)
        if field:
            self._focus_field(field)

    def action_file_history(self) -> None:
        """F8: every earlier name, phone, address and district of the file on screen."""
        from screens.dialogs.notice import NoticeDialog

        file = self._file
        if file is None or not file.history:
            self.notify("此人档案没有变更记录" if file else "请先读取或输入证件号码", timeout=3)
            return
        lines = [f"{c.at}  {c.field_label}：{c.old or '（空）'} → {c.new or '（空）'}  {c.actor}"
                 for c in file.history]
        self.app.push_screen(NoticeDialog(f"档案变更：{file.name}（新的在前）", "\n".join(lines)),
                             lambda _: self._focus_field("id_number" if self._person is None
                                                         else "category"))

    def show_rename_note(self) -> None:
        """Under 姓名: whether what is typed differs from the name on file."""
        file = self._file
        typed = " ".join(self._value("name").split())
        note = ""
        if file is not None and typed and typed != file.name:
            note = f"[b $warning]与档案姓名“{file.name}”不同[/]：出票时须确认改名"
        self.form.show_note("name", note)
