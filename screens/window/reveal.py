"""「显示完整」 on the window: the current visitor's masked ID number, phone and address in full.

The window shows the visitor's ID number, phone and address masked (110105********002X,
138****5678); **Ctrl+R** (binding ``window.reveal``, remappable) shows them in full in a dialog
that Esc or Enter closes, for a staff member whose role allows it (``visitor.reveal``: the
window's own department, managers) — every reveal is written to the audit log by the hall
(:meth:`hall.windows.Windows.reveal`), a refusal too. The desk has no such key: its clerk typed or
read the ID number and sees the file unmasked to register the visit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.binding import Binding, BindingType
from textual.screen import Screen

from screens.dialogs.notice import NoticeDialog
from screens.work import Failed

if TYPE_CHECKING:
    from hall.windows.view import Revealed


class RevealKey(Screen[None]):
    """The window screen's reveal key (a base of :class:`screens.window.screen.WindowScreen`,
    which provides ``number``, ``hall_app``, ``run_call`` and ``show_failure``)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "reveal", "显示完整", id="window.reveal", show=False),
    ]

    def action_reveal(self) -> None:
        """Ask the hall for the current visitor's masked fields in full (audited)."""
        screen: Any = self  # the window screen: its number, app and worker
        number, app = screen.number, screen.hall_app
        if number is None:
            return
        viewer = app.staff or ""
        screen.run_call("reveal", lambda: app.hall.windows.reveal(number, viewer=viewer))

    def reveal_done(self, shown: Revealed) -> None:
        lines = [f"身份证　{shown.id_number}", f"电　话　{shown.phone or '—'}",
                 f"住　址　{shown.address or '—'}"]
        lines += [f"代　表　{line}" for line in shown.representatives]
        lines.append("\n（本次查看已记入审计日志）")
        self.app.push_screen(NoticeDialog(f"{shown.number} 完整信息", "\n".join(lines)))

    def reveal_failed(self, failure: Failed) -> None:
        text = str(failure.error) if isinstance(failure.error, PermissionError) else failure.text
        self.notify(text, severity="warning", markup=False)
