"""Pilot tests of the statistics screen (`hall stats`, launcher key 7): it opens for a manager and
not for a desk operator, the period keys and a filter change the headline figures, the charts
flip, a typed range is checked, a failure is said in Chinese, the exports write their files (the
workbook, the CSV folder, the report as PDF), and at 80x24 nothing that matters is cut. Plus how
``hall stats`` on a terminal opens the screen.

The scene, counted by hand: three visits on Monday 2026-11-23 (two 拖欠工资 for 人社局, one 改革
for 信访局), then one on Wednesday 2026-12-02, the day the screen is opened (its 本月 is December:
1 visit; 上月 November: 3; 人社局 in November: 2).
"""

from __future__ import annotations

import json
import threading
from datetime import datetime
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Label, Static

import main
from hall import Hall
from hall.clock import FixedClock
from models import AuditEvent
from screens.app import HallApp
from screens.launcher.launcher import LauncherScreen
from screens.stats.charts import CHARTS, ChartSpec, _steps
from screens.stats.dialogs import RangeDialog
from screens.stats.screen import StatsScreen
from screens.widgets.picker import Picker
from tests.conftest import CST
from tests.helpers import distinct_id, form, run_async
from tests.screens.test_incident_screens import settle, until
from tests.screens.test_narrow import lines

DECEMBER = datetime(2026, 12, 2, 10, 0, tzinfo=CST)


@pytest.fixture
def scene(hall: Hall, clock: FixedClock) -> Hall:
    """Three visits on 11-23, one on 12-02; the clock left on 12-02 (SQLite, and PostgreSQL
    when ``HALL_TEST_PG_URL`` is set)."""
    for n, category in enumerate(("wages", "wages", "reform"), 1):
        hall.desk.issue(form(id_number=distinct_id(n), category=category), actor="desk01")
    clock.set(DECEMBER)
    hall.desk.issue(form(id_number=distinct_id(4), category="reform"), actor="desk01")
    return hall


def stats(app: HallApp) -> StatsScreen:
    screen = app.screen
    assert isinstance(screen, StatsScreen), screen
    return screen


def headlines(app: HallApp) -> str:
    return str(stats(app).query_one("#stats-headlines", Static).render())


def chart_title(app: HallApp) -> str:
    return str(stats(app).query_one("#stats-chart-title", Label).render())


async def loaded(pilot: Pilot) -> StatsScreen:
    app = pilot.app
    assert isinstance(app, HallApp)
    await until(pilot, lambda: isinstance(app.screen, StatsScreen)
                and app.screen.figures is not None)
    await settle(pilot)
    return stats(app)


async def shows(pilot: Pilot, text: str) -> None:
    await until(pilot, lambda: text in headlines(pilot.app))  # type: ignore[arg-type]


@run_async
async def test_a_manager_opens_it_with_key_7_on_this_month(scene: Hall, tmp_path: Path) -> None:
    app = HallApp(scene, staff="mgr01", start="launcher", data_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LauncherScreen))
        await pilot.press("7")
        screen = await loaded(pilot)
        assert screen.period is not None and screen.period.label == "2026年12月"
        assert "来访人次 1　" in headlines(app)
        assert "2026年12月（12-01至12-31，31天）" in lines(app)[1]
        await pilot.press("escape")  # back where it came from
        await until(pilot, lambda: isinstance(app.screen, LauncherScreen))


@run_async
async def test_a_desk_operator_may_not_open_it(scene: Hall, tmp_path: Path) -> None:
    app = HallApp(scene, staff="desk01", start="stats", data_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert not any(isinstance(s, StatsScreen) for s in app.screen_stack)
        assert isinstance(app.screen_stack[0], LauncherScreen), app.screen_stack
        offered = [o.id for o in _options(app)]
        assert "desk" in offered and "stats" not in offered
        await pilot.press("escape")  # the refusal's offer to hand over: no
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        assert not any(isinstance(s, StatsScreen) for s in app.screen_stack)


def _options(app: HallApp) -> list:  # type: ignore[type-arg]
    from textual.widgets import OptionList

    roles = app.screen_stack[0].query_one("#roles", OptionList)
    return [roles.get_option_at_index(i) for i in range(roles.option_count)]


@run_async
async def test_the_period_keys_and_a_filter_change_the_figures(scene: Hall,
                                                                tmp_path: Path) -> None:
    app = HallApp(scene, staff="mgr01", start="stats", data_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        await shows(pilot, "来访人次 1　")
        await pilot.press("l")  # 上月
        await shows(pilot, "来访人次 3　")
        assert screen.period is not None and screen.period.label == "2026年11月"
        table = screen.query_one(DataTable)
        day = next(i for i in range(table.row_count) if table.get_row_at(i)[0] == "2026-11-23")
        assert str(table.get_row_at(day)[1]) == "3"  # the chart's table: 3 on Monday 11-23
        screen.query_one("#stats-department", Picker).choose("hrss")
        await shows(pilot, "来访人次 2　")  # 人社局's two wage claims
        await pilot.press("t")  # 今天 (still 人社局): nothing
        await shows(pilot, "来访人次 0　")
        await pilot.press("left_square_bracket")  # the day before: 12-01, nothing either
        await until(pilot, lambda: screen.period is not None
                    and screen.period.label == "2026年12月1日")
        screen.query_one("#stats-department", Picker).choose("")
        await pilot.press("y")
        await shows(pilot, "来访人次 4　")


@run_async
async def test_the_charts_flip_with_the_arrows_and_the_digits(scene: Hall,
                                                              tmp_path: Path) -> None:
    app = HallApp(scene, staff="mgr01", start="stats", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        assert chart_title(app).startswith("每日来访人次")
        shown = screen.available()
        assert shown[:2] == [0, 1]  # the visits' charts are always there
        await pilot.press("right")
        await pilot.pause()
        assert chart_title(app).startswith("来访时段分布")
        assert str(screen.query_one(DataTable).get_row_at(0)[0]).endswith("时")
        await pilot.press("left")
        await pilot.pause()
        assert chart_title(app).startswith("每日来访人次")
        await pilot.press("2")
        await pilot.pause()
        assert chart_title(app).startswith("来访时段分布")
        for _ in shown:  # all the way round
            await pilot.press("right")
        await pilot.pause()
        assert chart_title(app).startswith("来访时段分布")


@run_async
async def test_a_typed_range_is_checked_and_shown(scene: Hall, tmp_path: Path) -> None:
    app = HallApp(scene, staff="mgr01", start="stats", data_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, RangeDialog))
        dialog = app.screen
        dialog.query_one("#start", Input).value = "2026-11-40"
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = str(dialog.query_one("#error-start", Label).render())
        assert "不是日期" in error and app.screen is dialog
        dialog.query_one("#start", Input).value = "2026-11-20"
        dialog.query_one("#end", Input).value = "20261202"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is screen)
        await shows(pilot, "来访人次 4　")
        assert "2026年11月20日至12月2日" in lines(app)[1]
        await pilot.press("left_square_bracket")  # the 13 days before
        await shows(pilot, "来访人次 0　")
        assert "2026年11月7日至11月19日" in lines(app)[1]


@run_async
async def test_a_failure_is_said_in_chinese_and_the_screen_stays(
        scene: Hall, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = HallApp(scene, staff="mgr01", start="stats", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)

        def broken(*args: object, **kwargs: object) -> None:
            raise OSError("磁盘已满")

        monkeypatch.setattr(scene.stats, "figures", broken)
        await pilot.press("l")
        await until(pilot, lambda: "统计失败" in headlines(app))
        assert "磁盘已满" in headlines(app)
        assert not stats(app).query_one("#stats-body").loading
        monkeypatch.undo()
        await pilot.press("f5")
        await shows(pilot, "来访人次 3　")


@run_async
async def test_at_80x24_nothing_that_matters_is_cut(scene: Hall, tmp_path: Path) -> None:
    app = HallApp(scene, staff="mgr01", start="stats", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        # The chart draws itself at its own size once laid out: wait for its axis.
        await until(pilot, lambda: "12-02" in lines(app)[-3])
        shown = lines(app)
        assert " · 统计 " in shown[0]
        assert shown[1].rstrip().endswith("2026年12月（12-01至12-31，31天）"), shown[1]
        assert "来访人次 1" in shown[3]
        heading = next(line for line in shown if "每日来访人次" in line)
        assert "1/" in heading, heading
        assert "12-01" in shown[-3] and "12-02" in shown[-3]  # the axis: the month so far
        footer = shown[-1]
        for key in ("←→ 换图", "x 导出Excel", "c 导出CSV", "p 报告PDF", "f10 工作台", "^q 退出",
                    "f12 特殊情况"):
            assert key in footer, footer


@pytest.mark.parametrize("width", [80, 120, 160])
@run_async
async def test_each_charts_heading_is_whole_at_80_120_and_160_columns(
        scene: Hall, tmp_path: Path, width: int) -> None:
    """The Chinese title, the colours' legend and 「n/6」 above each chart, read off the screen
    as drawn: whole, within the frame (two cells a Chinese character); at 80 columns the two
    long titles were cut (「各部门等候时间中位数（分钟）　序号见右表」 lost its 「3/6」, the
    cases' heading its hint and number): their short forms are shown instead."""
    app = HallApp(scene, staff="mgr01", start="stats", data_dir=tmp_path)
    async with app.run_test(size=(width, 24 if width == 80 else 40)) as pilot:
        screen = await loaded(pilot)
        assert screen.available() == list(range(len(CHARTS)))
        headings = []
        for n in range(1, len(CHARTS) + 1):
            await pilot.press(str(n))
            await until(pilot, lambda n=n: chart_title(app).endswith(f"{n}/6"))
            label = screen.query_one("#stats-chart-title", Label)
            region = label.content_region
            strip = app.screen._compositor.render_strips()[region.y]
            shown = strip.crop(region.x, region.right).text.rstrip()
            drawn = strip.crop(region.x, region.right + 1).text  # and the frame after it
            heading = chart_title(app)
            assert shown == heading and drawn.endswith("│"), (width, drawn)
            assert cell_len(heading) <= region.width and "…" not in heading, heading
            headings.append(heading)
    for n, (spec, heading) in enumerate(zip(CHARTS, headings, strict=True), 1):
        assert heading.startswith(spec.title if width > 80 else (spec.short or spec.title))
        assert all(name in heading for name in spec.series) if spec.kind == "stacked" \
            else "■" not in heading
        assert ("序号见右表" in heading) == (spec.numbered and (width > 80 or n != 5))


def test_a_heading_gives_way_to_its_short_title_then_drops_the_hint() -> None:
    queue, cases = CHARTS[2], CHARTS[4]
    assert queue.heading(3, 6).plain == "各部门等候时间中位数（分钟）　序号见右表　3/6"
    assert queue.heading(3, 6, 39).plain == "等候中位数（分钟）　序号见右表　3/6"
    assert queue.heading(3, 6, 33).plain == "各部门等候时间中位数（分钟）　3/6"
    assert queue.heading(3, 6, 32).plain == "等候中位数（分钟）　3/6"
    assert cases.heading(5, 6, 39).plain == "案件时效（件）　■ 按时　■ 超时　5/6"
    assert CHARTS[0].heading(1, 6, 17).plain == "每日来访人次　1/6"
    tight = cases.heading(5, 6, 20).plain
    assert tight.endswith("…") and cell_len(tight) <= 20


@run_async
async def test_the_exports_write_the_workbook_and_the_csv_files(scene: Hall,
                                                                 tmp_path: Path) -> None:
    from openpyxl import load_workbook

    app = HallApp(scene, staff="mgr01", start="stats", data_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("l")
        await shows(pilot, "来访人次 3　")
        await pilot.press("x")
        workbook = tmp_path / "exports" / "统计-20261101-20261130.xlsx"
        await until(pilot, lambda: workbook.exists())
        await settle(pilot)
        assert any(str(workbook) in n.message for n in app._notifications)
        sheets = load_workbook(workbook).sheetnames
        assert len(sheets) >= 2
        await pilot.press("c")
        folder = tmp_path / "exports" / "统计-20261101-20261130"
        await until(pilot, lambda: (folder / "visits_by_day.csv").exists())
        text = (folder / "visits_by_day.csv").read_bytes().decode("utf-8-sig")
        assert "2026-11-23,3," in text
        with scene.connection():
            audited = [(e.actor, e.entity_id, json.loads(e.detail)["file"]) for e in
                       AuditEvent.select().where(AuditEvent.action == "export")
                       .order_by(AuditEvent.id)]
        assert audited == [("mgr01", "stats.xlsx", workbook.name),
                           ("mgr01", "stats.csv", folder.name)]


@run_async
async def test_the_export_keys_show_once_the_figures_arrive(
        scene: Hall, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    figures = scene.stats.figures

    def slow(*args: object, **kwargs: object) -> object:  # a big month: the footer is up first
        assert release.wait(30)
        return figures(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(scene.stats, "figures", slow)
    app = HallApp(scene, staff="mgr01", start="stats", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, StatsScreen)
                    and "f10 工作台" in lines(app)[-1])
        await pilot.pause()
        assert "导出" not in lines(app)[-1]  # nothing to export yet
        release.set()
        await loaded(pilot)
        await until(pilot, lambda: "p 报告PDF" in lines(app)[-1])
        assert "x 导出Excel" in lines(app)[-1] and "c 导出CSV" in lines(app)[-1]


def _audited_exports(hall: Hall) -> list[tuple[str, str, dict[str, object]]]:
    with hall.connection():
        return [(e.actor, e.entity_id, json.loads(e.detail)) for e in
                AuditEvent.select().where(AuditEvent.action == "export").order_by(AuditEvent.id)]


@run_async
async def test_p_saves_the_report_of_the_period_and_filters_shown_as_pdf(
        scene: Hall, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pypdf

    from screens.stats import screen as screen_module
    from screens.stats.saving import save_report

    release = threading.Event()

    def held(*args: object) -> Path:  # the real report, once the test has seen the wait
        assert release.wait(30)
        return save_report(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(screen_module, "save_report", held)
    app = HallApp(scene, staff="mgr01", start="stats", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("l")
        await shows(pilot, "来访人次 3　")
        screen.query_one("#stats-department", Picker).choose("hrss")
        await shows(pilot, "来访人次 2　")
        await pilot.press("p")
        await pilot.pause()
        box = screen.query_one("#stats-chart-box")
        assert box.border_title == "正在生成统计报告…"
        assert screen.check_action("export", ("pdf",)) is None  # p waits (shown dimmed)
        assert screen.check_action("export", ("xlsx",)) is True
        release.set()
        pdf = tmp_path / "exports" / "统计报告-20261101-20261130-hrss.pdf"
        await until(pilot, lambda: not screen.reporting, timeout=60)
        await settle(pilot)
        assert pdf.exists() and pdf.stat().st_mode & 0o777 == 0o600
        assert box.border_title == "" and screen.check_action("export", ("pdf",)) is True
        assert any(str(pdf) in n.message for n in app._notifications)
        text = "".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
        flat = "".join(text.split())
        assert f"{scene.config.hall.name}2026年11月信访工作统计报告" in flat
        assert "统计时段：2026年11月1日至2026年11月30日" in flat
        assert "本期共接待群众来访2人次" in flat  # 人社局's two, as on the screen
        assert "市人社局" in flat.split("统计时段")[1].split("生成时间")[0]  # 统计范围 names it
    assert _audited_exports(scene) == [
        ("mgr01", "report.pdf", {"period": {"start": "2026-11-01", "end": "2026-11-30",
                                            "kind": "month", "label": "2026年11月"},
                                 "filters": {"department": "hrss"}, "file": pdf.name})]


@run_async
async def test_a_report_that_fails_is_said_in_chinese_and_p_works_again(
        scene: Hall, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> bytes:
        raise ValueError("字体缺失")

    monkeypatch.setattr("hall.stats.report.monthly_report", broken)
    app = HallApp(scene, staff="mgr01", start="stats", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("p")
        await until(pilot, lambda: any("统计报告生成失败" in n.message
                                       for n in app._notifications), timeout=30)
        message = next(n.message for n in app._notifications if "统计报告生成失败" in n.message)
        assert "字体缺失" in message
        assert not screen.reporting and screen.check_action("export", ("pdf",)) is True
        assert screen.query_one("#stats-chart-box").border_title == ""
        assert not list((tmp_path / "exports").glob("*.pdf"))


def test_the_charts_keep_chinese_out_of_the_plot() -> None:
    from hall.stats import Table

    spec = ChartSpec("t", "各部门", ("人次",))
    table = Table("t", "各部门", ("部门", "人次"), (("市人社局", 3), ("信访局综合接待", 1)))
    assert spec.labels(table.rows) == ["1", "2"]
    assert ChartSpec("d", "", ("n",), "line", "day").labels((("2026-11-01", 1),)) == ["11-01"]
    assert ChartSpec("h", "", ("n",), "bar", "hour").labels((("09时", 1),)) == ["09"]
    assert spec.columns(Table("q", "", ("部门", "a", "等候", "b"), ())) == [0, 1, 2, 3]
    queue = ChartSpec("q", "", ("等候",))
    assert queue.columns(Table("q", "", ("部门", "a", "等候", "b"), ())) == [0, 2, 1, 3]
    assert [c.key for c in CHARTS] == ["visits_by_day", "visits_by_hour",
                                       "queues_by_department", "outcomes",
                                       "cases_timeliness", "satisfaction"]
    assert _steps(47) == [0, 10, 20, 30, 40, 50]
    assert _steps(30) == [0, 10, 20, 30]
    assert _steps(3) == [0, 1, 2, 3]
    assert _steps(0.4) == [0, 1]
    assert _steps(1.4, whole=False) == [0, 0.5, 1, 1.5]
    assert _steps(0.3, whole=False) == [0, 0.1, 0.2, 0.3]
    assert _steps(12.5, whole=False) == [0, 5, 10, 15]


@pytest.mark.parametrize(("argv", "tty", "screen"), [
    (["stats"], True, True),
    (["--db", "x.db", "stats", "--staff", "mgr01"], True, True),
    (["--staff=mgr01", "stats"], True, True),
    (["stats"], False, False),                     # piped: the CLI prints
    (["stats", "--json"], True, False),
    (["stats", "--period", "last-month"], True, False),
    (["cases"], True, False),                       # the case screen opens its own way
])
def test_hall_stats_alone_on_a_terminal_opens_the_screen(
        monkeypatch: pytest.MonkeyPatch, argv: list[str], tty: bool, screen: bool) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: tty)
    monkeypatch.setattr("sys.stdout.isatty", lambda: tty)
    assert main.bare_screen(argv) is screen
    if argv == ["stats"]:
        assert main.parse_args(argv).command == "stats"
