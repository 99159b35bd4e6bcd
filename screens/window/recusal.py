"""F11 at a window: 回避, the staff member must not handle the current visitor.

    class WindowScreen(RecusalKey, ..., Screen[None]):
        BINDINGS = [..., Binding("f11", "recuse", "回避", id="window.recuse", show=False)]

F11 asks for the reason (:class:`~screens.dialogs.ReasonDialog`, the reason rule of
:mod:`hall.text.freetext`, checked before it closes), then :meth:`hall.accounts.recusal.Recusals
.hand_back` records the recusal and puts the ticket back in its queue at its original place, for
another window (a transfer keeps the place the same way; a requeue is for no-shows only). When
the staff member already recused themselves from this visitor (the panel shows 「已回避」), F11
only asks to confirm sending the visitor back. From then on this staff member's F5 passes over
that visitor, and F4 refuses their number.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hall.accounts.recusal import NEED_REASON
from hall.text.masking import mask_name
from screens.dialogs.reason import ReasonDialog
from screens.window.dialogs import ConfirmDialog

if TYPE_CHECKING:
    from hall.views import CurrentVisit


class RecusalKey:
    """The window screen's F11 (a mixin of :class:`screens.window.screen.WindowScreen`)."""

    view: Any
    hall_app: Any
    _act: Any
    _ask: Any
    _need_current: Any

    def action_recuse(self) -> None:
        """Recuse from the current visitor and send them back to the queue."""
        if not self._need_current("回避"):
            return
        current: CurrentVisit = self.view.current
        if current.recused:
            message = (f"您已申请回避 {current.number} 的来访人。\n"
                       "将其退回队列（保留原排队顺序），由其他窗口接待？")
            self._ask(ConfirmDialog("回避", message, "退回队列"),
                      lambda yes: self._recuse("") if yes else None)
            return
        what = (f"{current.number}　{mask_name(current.name)}\n"
                "回避后退回队列、保留原排队顺序，由其他窗口接待。")
        self._ask(ReasonDialog(what, title="申请回避", empty=NEED_REASON,
                               placeholder="回避理由（如：来访人系本人亲属）",
                               hint="Enter 确认回避　Esc 返回"),
                  lambda reason: self._recuse(reason) if reason is not None else None)

    def _recuse(self, reason: str) -> None:
        hall = self.hall_app.hall

        def hand_back(window: int, *, actor: str) -> str:
            return str(hall.recusals.hand_back(window, reason, actor))

        self._act(hand_back, done=lambda number: f"已回避：{number} 已退回队列，由其他窗口接待")
