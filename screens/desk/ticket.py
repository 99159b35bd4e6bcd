"""The issued ticket, shown large for the visitor across the counter, with its QR code.

Opened by the desk after a successful issue. The number is drawn in block letters
(:mod:`screens.widgets.bignumber`), then the department, the window(s), how many people are
ahead and the query code; the QR code (drawn with half blocks by :func:`hall.ticketimage.qr_text`)
can be scanned straight off the screen. F6 or S saves the slip as PNG or SVG (``tickets.
image_format``) into ``tickets.output_dir`` and says where (in a browser, ``hall serve``, it is
sent to the browser as a download instead); with a receipt printer configured
(``tickets.printer``) F4 or P prints the slip (again), and the status line says how printing went
(:mod:`screens.desk.printing`, which also prints on issue). Enter or Esc closes it, and the desk
is ready for the next visitor. It fits 80x24: a typical QR payload is 41x21 cells.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from hall.printing import qr_text
from hall.views import IssuedTicket
from screens.widgets.bignumber import BigNumber, big_width
from screens.widgets.footer import KeyFooter
from screens.work import Failed, HallWork

if TYPE_CHECKING:
    from screens.app import HallApp


class TicketScreen(HallWork, ModalScreen[None]):
    """One issued ticket: number, where to go, people ahead, query code and QR code."""

    CSS_PATH = "ticket.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f6,s", "save", "保存票据", id="ticket.save"),
        Binding("f4,p", "print", "打印", id="ticket.print"),
        Binding("enter,escape", "close", "完成·下一位", id="ticket.close"),
    ]

    def __init__(self, ticket: IssuedTicket,
                 printer: Callable[[IssuedTicket], None] | None = None) -> None:
        """``printer``: prints the slip (the desk's worker); None: no printer, no print key."""
        super().__init__()
        self.ticket = ticket
        self.printer = printer
        self._saving = False
        self._tags: list[str] = []

    @property
    def hall_app(self) -> HallApp:
        return cast("HallApp", self.app)

    def compose(self) -> ComposeResult:
        t = self.ticket
        app = self.hall_app
        fmt = app.hall.config.tickets.image_format.upper()
        tags = self._tags = []
        if t.priority_name:
            tags.append(f"[b $success]{t.priority_name}优先[/]")
        if t.people > 1:
            tags.append(f"{t.people}人来访")
        if t.repeat:
            counted = sum(not v.masked for v in t.visits)  # 保密事项 never counts
            tags.append(f"[$warning]重复访（第{counted}次）[/]")
        with Horizontal(id="ticket"):
            with Vertical(id="ticket-info"):
                yield Label(app.hall.config.hall.name, id="ticket-hall")
                yield Label("排队号", classes="caption")
                yield BigNumber(t.number, id="ticket-number")
                yield Label(t.department_name, id="ticket-dept")
                yield Label(f"请到 [b]{'、'.join(t.windows)}[/] 等候叫号", id="ticket-windows")
                yield Label(f"前面还有 [b]{t.ahead}[/] 人", id="ticket-ahead")
                yield Label("　".join(tags), id="ticket-tags")
                yield Label(f"查询码 [b]{t.query_code}[/]", id="ticket-code")
                yield Label(f"取号时间 {t.issued_at}", id="ticket-time")
                yield Label(id="ticket-saved")
                printing = "[b]F4[/] 打印　" if self.printer is not None else ""
                yield Label(f"{printing}[b]F6[/]/[b]S[/] 保存{fmt}　[b]Enter[/] 完成，下一位",
                            id="ticket-keys")
            yield Static(qr_text(t.qr), id="ticket-qr")
        yield KeyFooter()

    def on_mount(self) -> None:
        if not self.query("#ticket-tags"):  # closed by an Enter typed ahead before it mounted
            return
        self.query_one("#ticket-tags", Label).display = bool(self._tags)
        self.query_one("#ticket-saved", Label).display = False
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """Roomy terminals get a framed slip and double-width digits; 80x24 gets every cell."""
        roomy = self.size.width >= 110 and self.size.height >= 32
        self.set_class(roomy, "-roomy")
        if not self.query(BigNumber):  # closed before it mounted (see on_mount)
            return
        number = self.query_one(BigNumber)
        number.scale = 2 if roomy and big_width(number.text, 2) <= 46 else 1

    def action_close(self) -> None:
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The print key exists only with a printer configured."""
        return self.printer is not None if action == "print" else True

    def action_print(self) -> None:
        if self.printer is not None:
            self.printer(self.ticket)

    def show_status(self, text: str) -> None:
        """Say on the status line how printing (or saving) went (Rich markup)."""
        if self.query("#ticket-saved"):  # not when closed before it mounted
            self._show_saved(text)

    def action_save(self) -> None:
        if self._saving:
            return
        self._saving = True
        self._show_saved("正在保存…")
        self._save()

    def _save(self) -> None:
        app = self.hall_app
        t = self.ticket
        fmt = app.hall.config.tickets.image_format

        name = f"{t.business_day}-{t.number}.{fmt}"

        def save() -> Path:
            from config.paths import private_dir
            from hall.printing import save_ticket

            folder = private_dir(app.tickets_dir())  # slips hold names: owner only
            return save_ticket(app.hall.desk.print_view(t), folder / name, fmt)

        def download() -> tuple[str, bytes]:
            from hall.printing import render_png, render_svg

            slip = app.hall.desk.print_view(t)
            if fmt == "svg":
                return name, render_svg(slip).encode("utf-8")
            if fmt != "png":
                raise ValueError(f"不支持的票据格式“{fmt}”：只能保存为 PNG 或 SVG")
            return name, render_png(slip)

        # In a browser (hall serve) the slip goes to the browser as a download, not to a file
        # on the server.
        self.run_call("save", download if app.is_web else save)

    def save_done(self, result: Path | tuple[str, bytes]) -> None:
        self._saving = False
        if isinstance(result, tuple):
            import io

            name, data = result
            mime = "image/svg+xml" if name.endswith(".svg") else "image/png"
            self.app.deliver_binary(io.BytesIO(data), save_filename=name, mime_type=mime)
            self._show_saved(f"[$success]已发送到浏览器下载[/] {name}")
            return
        self._show_saved(f"[$success]已保存[/] {result}")

    def save_failed(self, failure: Failed) -> None:
        self._saving = False
        error = failure.error
        text = str(error) if isinstance(error, OSError | ValueError | RuntimeError) \
            else failure.text
        self._show_saved(f"[b $error]保存失败[/]：{text}")
        self.notify(text, title="票据保存失败", severity="error")

    def _show_saved(self, text: str) -> None:
        label = self.query_one("#ticket-saved", Label)
        label.update(text)
        label.display = True
