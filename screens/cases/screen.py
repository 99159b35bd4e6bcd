"""The case screen (`hall cases`, launcher key 6): follow every case (信访事项) to its end.

Who uses it: the hall's managers (督办: every case, several times a day), the handling staff at
the windows (their department's cases: accept, reply, follow up) and a leader's room (the cases
its leaders took, 包案). What they do most often, and what it costs:

* **Look at the overdue cases** — one key, ``1`` (逾期). The screen opens on the open cases by
  due date, so the overdue ones (in red) are already at the top; ``2`` 即将到期 (due within
  ``time_limits.due_soon_days``), ``3`` 在办 (every open case), ``4`` 全部 (closed too). Tab
  reaches the filters beside them: 状态, 承办单位, 包案领导 (typed in Chinese or pinyin
  initials); a filter applies as soon as it changes and combines with the view.
* **Open a case's timeline** — ↑↓ to it, **Enter** (one key on the highlighted row): its dates,
  the visits about it with what each window said (口径一致), its documents, and every step in
  order. Each opening is written to the audit log.
* **Take the next step** — its one key (:data:`hall.cases.states.STEPS`: ``a`` 受理告知, ``n``
  不予受理/不再受理, ``s`` 交办, ``r`` 答复, ``b`` 退回, ``f`` 回访, ``c`` 办结, ``u`` 督办,
  ``e`` 申请延期, ``p`` 批准延期, ``x`` 不批准延期, ``l`` 领导包案, ``m`` 备注, ``v`` 复查), then
  the small dialog (Enter through its fields). The footer offers only the steps the open case's
  state allows and the signed-in person's role may take; the timeline grows as soon as it is
  saved.
* ``d`` prints a document (受理告知书, 交办单, 督办单 …) as PDF into the data folder's
  ``exports/`` and says its number and where it was saved. F10: the launcher.

A :class:`screens.work.Poller` reads the ``cases`` change counter every second and reloads the
list when it moved, and when the local date changes (a case becomes overdue by time passing, not
by a write); the open case is reloaded when its row in the list changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Label, Static

from hall.cases.states import DOCUMENT_KINDS, STATES, STEPS
from screens.cases.dialogs import DocumentDialog, StepDialog
from screens.cases.texts import detail_text, fill_table, list_cells
from screens.dialogs import NoticeDialog
from screens.widgets.footer import KeyFooter
from screens.widgets.picker import Choice, Picker
from screens.widgets.rowlist import RowList
from screens.widgets.saving import save_pdf
from screens.widgets.topbar import TopBar
from screens.work import Failed, HallWork, Poller

if TYPE_CHECKING:
    from hall.cases.views import CaseDetail, CaseSummary
    from screens.app import HallApp

VIEWS: dict[str, tuple[str, str]] = {"overdue": ("1", "逾期"), "soon": ("2", "即将到期"),
                                     "open": ("3", "在办"), "all": ("4", "全部")}
"""View → (its key, its name)."""

Filters = tuple[str, str, str, str]  # view, state, unit, leader


class CasesScreen(RowList, HallWork, Screen[None]):
    """Cases: the overdue first, a case's timeline, its steps each on one key, documents."""

    fill = staticmethod(fill_table)  # sizes the list's columns (RowList)
    CSS_PATH = "cases.tcss"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [
        (0, "-narrow"), (120, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(key, f"view('{view}')", name, show=False, id=f"cases.view_{view}")
          for view, (key, name) in VIEWS.items()),
        *(Binding(step.key, f"step('{code}')", step.key_label, id=f"cases.{code}")
          for code, step in STEPS.items()),
        Binding("d", "document", "文书", id="cases.document"),
        Binding("f10", "app.switch_mode('launcher')", "工作台", id="cases.launcher"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[CaseSummary] = []
        self.detail: CaseDetail | None = None
        self.view = "open"
        self._filters: Filters = ("open", "", "", "")
        self.poller = Poller(self, self._read_list, topics=("cases",), name="cases",
                             key=self._poll_key)
        self._cells: list[tuple[str | Text, ...]] = []

    @property
    def hall_app(self) -> HallApp:
        return cast("HallApp", self.app)

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        config = self.hall_app.hall.config
        yield TopBar("案件办理")
        with Horizontal(id="case-filters"):
            yield Label(id="case-views")
            yield Picker([Choice(code, name, keys=(code,)) for code, name in STATES.items()],
                         placeholder="状态", id="case-state")
            yield Picker([Choice(d.code, d.name, keys=(d.code,)) for d in config.departments],
                         placeholder="承办单位", id="case-unit")
            yield Picker([Choice(x.code, x.label, keys=(x.code,)) for x in config.leaders
                          if x.kind == "leader"], placeholder="包案领导", id="case-leader")
        with Horizontal(id="case-body"):
            with Vertical(id="case-list-box"):
                yield DataTable(id="case-list", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="case-detail-box"):
                yield Static(id="case-detail")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#case-list-box").border_title = "案件"
        self._show_views()
        self._show_detail(None)
        self.query_one(DataTable).focus()
        self.poller.start()

    def _show_views(self) -> None:
        text = Text()
        for view, (key, name) in VIEWS.items():
            style = "bold reverse" if view == self.view else ""
            text.append(f" {key} {name} ", style=style)
        self.query_one("#case-views", Label).update(text)

    # -- filters and polling -------------------------------------------------------------------

    def filters(self) -> Filters:
        """(view, state, unit, leader) as chosen."""
        return (self.view, self.query_one("#case-state", Picker).value,
                self.query_one("#case-unit", Picker).value,
                self.query_one("#case-leader", Picker).value)

    def action_view(self, view: str) -> None:
        self.view = view
        self._show_views()
        self.poll(force=True)

    @on(Picker.Changed)
    def _filters_changed(self) -> None:
        self.poll(force=True)

    def poll(self, force: bool = False) -> None:
        """Reload the list in a thread when the counter or the date moved, or filters changed."""
        self._filters = self.filters()
        self.poller.poll(force)

    def _poll_key(self) -> object:
        """Besides the ``cases`` counter: the filters and the local date (a case falls overdue
        at midnight without anyone writing)."""
        return self._filters, self.hall_app.hall.cases.reads.local_today()

    def _read_list(self) -> tuple[Filters, list[CaseSummary]]:
        """The cases the view and filters ask for (in the poller's thread)."""
        filters = self._filters
        view, state, unit, leader = filters
        hall, viewer = self.hall_app.hall, self.hall_app.staff or ""
        if not viewer:
            return filters, []
        kwargs: dict[str, Any] = {"state": state or None, "unit": unit or None,
                                  "leader": leader or None}
        if view == "overdue":
            kwargs["overdue"] = True
        elif view == "soon":
            kwargs["due_within"] = hall.config.time_limits.due_soon_days
        elif view == "open":
            kwargs["open_only"] = True
        return filters, hall.cases.list(viewer, **kwargs)

    def on_poller_trouble(self, message: Poller.Trouble) -> None:
        if message.error is not None:
            self.notify(f"读取失败：{message.text}", markup=False, severity="error", timeout=8)

    def on_poller_changed(self, message: Poller.Changed) -> None:
        filters, rows = message.data
        if filters != self.filters():
            return  # the filters changed meanwhile; a newer read is coming
        keep = self._highlighted_id()
        changed = None
        if self.detail is not None:
            mine = next((r for r in rows if r.id == self.detail.summary.id), None)
            if mine is not None and mine != self.detail.summary:
                changed = mine.id
        self.rows = rows
        self._cells = list_cells(rows)
        self._fill_table(keep)
        overdue = sum(r.overdue for r in rows)
        title = f"{VIEWS[filters[0]][1]} {len(rows)} 件"
        self.query_one("#case-list-box").border_title = (
            title + (f" · 逾期 {overdue}" if overdue and filters[0] != "overdue" else ""))
        if changed is not None:
            self._open(changed)  # someone took a step on the open case

    # -- the open case -------------------------------------------------------------------------

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self._open(int(event.row_key.value))

    def _open(self, case_id: int, text: str = "") -> None:
        viewer = self.hall_app.staff
        if not viewer:
            self.hall_app.action_switch_staff()
            return
        hall = self.hall_app.hall
        self.run_call("open", lambda: (hall.cases.detail(case_id, viewer), text),
                      exclusive=True)

    def open_done(self, done: tuple[CaseDetail, str]) -> None:
        """A case's detail (the view was audited), with what was just done."""
        detail, text = done
        self._show_detail(detail)
        if text:
            self.notify(text, markup=False, timeout=4)

    def open_failed(self, failure: Failed) -> None:
        self.show_failure(failure, breakdown="读取失败：")

    def steps(self) -> list[str]:
        """The steps the open case's state allows and the signed-in person's role may take."""
        actor = self.hall_app.actor
        if self.detail is None or actor is None:
            return []
        return [s for s in self.detail.allowed if actor.may(STEPS[s].act)]

    def _show_detail(self, detail: CaseDetail | None) -> None:
        self.detail = detail
        box = self.query_one("#case-detail-box")
        static = self.query_one("#case-detail", Static)
        self.refresh_bindings()
        if detail is None:
            box.border_title = "案件详情"
            static.update(Text("↑↓ 选择案件，Enter 查看时间线（查看记入审计日志）。\n"
                               "1 逾期　2 即将到期　3 在办　4 全部；Tab 按状态、单位、领导筛选。",
                               style="dim"))
            return
        s = detail.summary
        box.border_title = f"{s.number} · {s.state_label}"
        static.update(detail_text(detail, self.steps()))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "step":
            return parameters[0] in self.steps()  # hidden unless the case allows it now
        if action == "document":
            actor = self.hall_app.actor
            return (self.detail is not None and actor is not None
                    and actor.may("case.handle"))
        return True

    # -- steps ---------------------------------------------------------------------------------

    def action_step(self, step: str) -> None:
        actor = self.hall_app.staff
        if self.detail is None or not actor or step not in self.steps():
            return
        s = self.detail.summary
        self.app.clear_notifications()
        self.app.push_screen(StepDialog(s.id, s.number, step, actor),
                             lambda done: self._stepped(step, done))

    def _stepped(self, step: str, summary: CaseSummary | None) -> None:
        if summary is None:
            return
        self._open(summary.id, f"已{STEPS[step].label}：{summary.number}（{summary.state_label}）")
        self.poll(force=True)
        watch = getattr(self.hall_app, "case_watch", None)
        if watch is not None:
            watch.poll()

    # -- documents -----------------------------------------------------------------------------

    def action_document(self) -> None:
        if self.detail is None or not self.hall_app.staff:
            return
        s = self.detail.summary
        self.app.push_screen(DocumentDialog(s.number), lambda kind: kind and self._print(kind))

    def _print(self, kind: str) -> None:
        from config.paths import exports_dir

        assert self.detail is not None
        case_id, actor = self.detail.summary.id, self.hall_app.staff or ""
        hall, folder = self.hall_app.hall, exports_dir(self.hall_app.data_dir)
        self.run_call("document", save_document, hall, case_id, kind, actor, folder)

    def document_done(self, done: tuple[str, str, Path]) -> None:
        kind, number, path = done
        assert self.detail is not None
        self._open(self.detail.summary.id)
        self.app.push_screen(NoticeDialog(
            f"已出具{DOCUMENT_KINDS.get(kind, kind)}",
            f"文书编号：{number}\n已保存：{path}\n（打印后交来访人或承办单位签收；"
            "再次打印记入审计日志）"))

    def document_failed(self, failure: Failed) -> None:
        error = failure.error
        text = (f"无法写入：{error.strerror or error}" if isinstance(error, OSError)
                else failure.text)
        self.notify(f"出具文书失败：{text}", severity="error", markup=False, timeout=8)


def save_document(hall: Any, case_id: int, kind: str, actor: str,
                  folder: Path) -> tuple[str, str, Path]:
    """Render the document (numbered and recorded on the case) and save its PDF in ``folder``;
    (kind, number, path). Runs in a worker."""
    rendered = hall.cases.documents.render(case_id, kind, actor)
    return kind, str(rendered.number), save_pdf(rendered, folder)
