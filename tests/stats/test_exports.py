"""The statistics and the register as files (hall/export/figures.py, hall/export/register.py).

Every file is read back: workbooks with openpyxl (values, sheet names, charts and their series,
frozen panes, cell types), CSV with the csv module (BOM, CRLF, the Chinese header). The figures
are built by hand here, not computed: these tests are about the files.
"""

from __future__ import annotations

import csv
import io
import stat
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from openpyxl.chart import BarChart, LineChart

from hall.export import figures_csv, figures_xlsx, register_csv, register_xlsx, save_csv_dir
from hall.export.figures import safe_text, sheet_title, text_width
from hall.stats.period import Period
from hall.stats.views import Chart, Figures, Filters, Headline, Table

NOV = Period(date(2026, 11, 1), date(2026, 11, 30), "month")
AT = datetime(2026, 12, 6, 9, 30, 5, tzinfo=ZoneInfo("Asia/Shanghai"))
HALL = "江川市联合接访中心"

BY_DAY = Table("visits_by_day", "每日来访", ("日期", "人次", "人数"),
               (("2026-11-01", 3, 5), ("2026-11-02", 0, 0), ("2026-11-03", 7, 9)),
               chart=Chart("line", 0, (1, 2)), note="按营业日计（凌晨3点前算前一日）")
BY_DEPT = Table("queues_by_department", "各部门排队", ("部门", "取号", "办结", "等候中位（分）"),
                (("市人社局", 12, 10, 4.5), ("市自然资源局规划和用地审批综合窗口", 3, 3, None)),
                chart=Chart("bar", 0, (1, 2), stacked=True))
OUTCOMES = Table("outcomes", "办理方式", ("办理方式", "人次", "占比（%）"),
                 (("当场答复", 8, 80.0), ("=HYPERLINK(\"http://x\")", 2, 20.0)),
                 chart=Chart("bar", 0, (1,)))
EMPTY = Table("incidents_by_kind", "特殊情况", ("类型", "一般", "合计"), (),
              chart=Chart("bar", 0, (1, 2), stacked=True))
ODD = Table("odd", "满意度/回访[按单位]: 这是一个非常非常非常非常长的表格标题需要截断的",
            ("单位", "件数"), (("a\x01b\x1fc", 1),))
SAME = Table("odd2", "满意度/回访[按单位]: 这是一个非常非常非常非常长的表格标题需要截断的",
             ("单位", "件数"), (("b", 2),))
CLASH = Table("summary_like", "概要", ("项", "值"), (("x", 1),))

HEADLINES = (Headline("visits", "来访人次", 10, "人次"),
             Headline("wait_median", "等候中位", 4.5, "分钟"),
             Headline("satisfied_rate", "满意率", None, "%"))


def figures(*tables: Table, filters: Filters | None = None) -> Figures:
    return Figures(period=NOV, filters=filters or Filters(), generated_at=AT,
                   generated_by="mgr01", headlines=HEADLINES,
                   tables=tables or (BY_DAY, BY_DEPT, OUTCOMES, EMPTY))


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def title_text(chart: BarChart | LineChart) -> str:
    return "".join(r.t for p in chart.title.tx.rich.p for r in (p.r or []))


def summary_map(ws) -> dict[str, object]:
    return {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0] is not None}


# ---------------------------------------------------------------- the figures' workbook


def test_workbook_opens_on_the_summary_then_one_sheet_per_table() -> None:
    wb = load(figures_xlsx(figures(), HALL))
    assert wb.sheetnames == ["概要", "每日来访", "各部门排队", "办理方式", "特殊情况"]
    info = summary_map(wb["概要"])
    assert info["大厅"] == HALL
    assert info["统计时段"] == "2026年11月"
    assert info["起止日期"] == "2026-11-01 至 2026-11-30"
    assert info["天数"] == 30
    assert info["筛选：部门"] == info["筛选：类别"] == info["筛选：属地"] == "全部"
    assert info["生成时间"] == "2026-12-06 09:30:05"
    assert info["生成人"] == "mgr01"


def test_summary_lists_every_headline_with_its_value_and_unit() -> None:
    ws = load(figures_xlsx(figures(), HALL))["概要"]
    rows = list(ws.iter_rows(values_only=True))
    start = rows.index(("指标", "数值", "单位"))
    assert rows[start + 1:] == [("来访人次", 10, "人次"), ("等候中位", 4.5, "分钟"),
                                ("满意率", None, "%")]
    assert ws.cell(start + 1, 1).font.b
    assert isinstance(ws.cell(start + 2, 2).value, int)
    assert ws.cell(start + 3, 2).number_format == "0.0"


def test_summary_names_the_filters_by_the_configuration(config) -> None:
    chosen = figures(filters=Filters(department="hrss", category="labour", district="linhe"))
    named = summary_map(load(figures_xlsx(chosen, HALL, config=config))["概要"])
    assert (named["筛选：部门"], named["筛选：类别"], named["筛选：属地"]) == (
        "市人社局", "劳动争议与社保", "临河县")
    bare = summary_map(load(figures_xlsx(chosen, HALL))["概要"])
    assert (bare["筛选：部门"], bare["筛选：类别"], bare["筛选：属地"]) == (
        "hrss", "labour", "linhe")


def test_table_sheet_has_a_bold_frozen_header_numbers_as_numbers_and_its_note() -> None:
    wb = load(figures_xlsx(figures(), HALL))
    ws = wb["每日来访"]
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]] == ["日期", "人次", "人数"]
    assert all(c.font.b for c in ws[1])
    assert [[c.value for c in r] for r in ws.iter_rows(min_row=2, max_row=4)] == [
        ["2026-11-01", 3, 5], ["2026-11-02", 0, 0], ["2026-11-03", 7, 9]]
    assert ws.cell(2, 2).data_type == "n"
    assert ws.cell(6, 1).value == "按营业日计（凌晨3点前算前一日）"
    dept = wb["各部门排队"]
    assert dept.cell(2, 4).value == 4.5 and dept.cell(2, 4).number_format == "0.0"
    assert dept.cell(3, 4).value is None
    assert not dept.cell(3, 4).font.b


def test_column_widths_count_chinese_double() -> None:
    ws = load(figures_xlsx(figures(), HALL))["各部门排队"]
    # 「市自然资源局规划和用地审批综合窗口」: 17 wide characters = 34 columns, plus a margin
    assert ws.column_dimensions["A"].width == 36
    assert ws.column_dimensions["B"].width == 6  # 「取号」 is 4 wide: the minimum
    assert ws.column_dimensions["D"].width == 16  # 「等候中位（分）」 7 wide characters
    assert text_width("ab中文") == 6 and text_width(4.5) == 3 and text_width(None) == 0


def test_each_charted_table_gets_a_native_chart_beside_it() -> None:
    wb = load(figures_xlsx(figures(), HALL))
    line = wb["每日来访"]._charts
    assert len(line) == 1 and isinstance(line[0], LineChart)
    assert title_text(line[0]) == "每日来访"
    assert len(line[0].series) == 2
    assert [s.tx.strRef.f for s in line[0].series] == ["'每日来访'!B1", "'每日来访'!C1"]
    assert line[0].series[0].val.numRef.f == "'每日来访'!$B$2:$B$4"
    assert [s.cat.strRef.f for s in line[0].series] == ["'每日来访'!$A$2:$A$4"] * 2
    assert line[0].anchor._from.col == 4  # column E: the table's three, one empty, then it

    stacked = wb["各部门排队"]._charts
    assert len(stacked) == 1 and isinstance(stacked[0], BarChart)
    assert stacked[0].series[1].cat.strRef.f == "'各部门排队'!$A$2:$A$3"
    assert stacked[0].grouping == "stacked" and stacked[0].overlap == 100
    assert title_text(stacked[0]) == "各部门排队" and len(stacked[0].series) == 2
    assert [s.tx.strRef.f for s in stacked[0].series] == ["'各部门排队'!B1",
                                                         "'各部门排队'!C1"]

    single = wb["办理方式"]._charts
    assert len(single) == 1 and isinstance(single[0], BarChart)
    assert single[0].grouping == "clustered" and len(single[0].series) == 1


def test_an_empty_table_gets_its_sheet_with_the_header_and_no_chart() -> None:
    ws = load(figures_xlsx(figures(), HALL))["特殊情况"]
    assert [[c.value for c in r] for r in ws.iter_rows()] == [["类型", "一般", "合计"]]
    assert ws._charts == []
    assert ws.freeze_panes == "A2"


def test_a_table_without_a_chart_or_with_a_chart_naming_no_column_draws_none() -> None:
    broken = Table("x", "坏图", ("a", "b"), (("x", 1),), chart=Chart("bar", 0, (5,)))
    wb = load(figures_xlsx(figures(ODD, broken), HALL))
    assert wb["坏图"]._charts == []
    assert all(ws._charts == [] for ws in wb.worksheets)


def test_sheet_titles_are_cut_cleaned_and_unique() -> None:
    wb = load(figures_xlsx(figures(CLASH, ODD, SAME), HALL))
    names = wb.sheetnames
    assert names[0] == "概要" and names[1] == "概要（2）"
    assert all(len(n) <= 31 for n in names)
    assert not any(ch in n for n in names for ch in "[]:*?/\\")
    assert len({n.casefold() for n in names}) == len(names) == 4
    assert names[2] == "满意度_回访_按单位__ 这是一个非常非常非常非常长的表格标题需要截断的"[:31]
    assert names[3].endswith("（2）") and len(names[3]) == 31
    used = {"history"}
    assert sheet_title("'History'", used) == "History（2）"
    assert sheet_title("", used) == "表"


def test_text_cells_are_made_safe_in_the_workbook() -> None:
    wb = load(figures_xlsx(figures(OUTCOMES, ODD), HALL))
    cell = wb["办理方式"].cell(3, 1)
    assert cell.value == "'=HYPERLINK(\"http://x\")" and cell.data_type == "s"
    odd = next(ws for ws in wb.worksheets if ws.title.startswith("满意度"))
    assert odd.cell(2, 1).value == "abc"


# ---------------------------------------------------------------- the figures' CSV


def read_csv(data: bytes) -> list[list[str]]:
    """The rows of a CSV file, checked: a BOM, CRLF after every record (a bare LF only inside
    a quoted cell)."""
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert text.endswith("\r\n") and text.count("\r\n") == len(rows)
    inside = sum(cell.count("\n") for row in rows for cell in row)
    assert text.count("\n") == len(rows) + inside
    return rows


def test_one_csv_per_table_and_the_headlines() -> None:
    files = figures_csv(figures())
    assert sorted(files) == ["headlines.csv", "incidents_by_kind.csv", "outcomes.csv",
                             "queues_by_department.csv", "visits_by_day.csv"]
    assert read_csv(files["visits_by_day.csv"]) == [
        ["日期", "人次", "人数"], ["2026-11-01", "3", "5"], ["2026-11-02", "0", "0"],
        ["2026-11-03", "7", "9"]]
    assert read_csv(files["queues_by_department.csv"])[2] == ["市自然资源局规划和用地审批综合窗口",
                                                              "3", "3", ""]
    assert read_csv(files["incidents_by_kind.csv"]) == [["类型", "一般", "合计"]]
    assert read_csv(files["headlines.csv"]) == [
        ["指标", "数值", "单位"], ["来访人次", "10", "人次"], ["等候中位", "4.5", "分钟"],
        ["满意率", "", "%"]]
    assert read_csv(files["outcomes.csv"])[2][0] == "'=HYPERLINK(\"http://x\")"


def test_save_csv_dir_writes_private_files(tmp_path) -> None:
    folder = tmp_path / "exports" / "11月统计"
    paths = save_csv_dir(figures(), folder)
    assert sorted(p.name for p in paths) == sorted(figures_csv(figures()))
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for p in paths:
        assert p.parent == folder
        assert stat.S_IMODE(p.stat().st_mode) == 0o600
        assert p.read_bytes() == figures_csv(figures())[p.name]
    loose = folder / "headlines.csv"
    loose.chmod(0o644)
    save_csv_dir(figures(), folder)
    assert stat.S_IMODE(loose.stat().st_mode) == 0o600


# ---------------------------------------------------------------- safe text


@pytest.mark.parametrize(("raw", "shown"), [
    ("=1+1", "'=1+1"), ("+8613800000000", "'+8613800000000"), ("-3", "'-3"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("a=b", "a=b"), ("欠薪-三个月", "欠薪-三个月"),
    ("\x00\x07=cmd", "'=cmd"), ("第一行\n第二行", "第一行\n第二行"), ("x\x0by\x7f", "xy"), ("", ""),
])
def test_safe_text(raw: str, shown: str) -> None:
    assert safe_text(raw) == shown


# ---------------------------------------------------------------- the register

COLUMNS = ("日期时间", "号码", "姓名", "性别", "证件号码", "联系电话", "属地", "人数", "类别",
           "事由", "诉求", "初访/重访", "部门", "窗口", "办理方式", "案号", "状态")


@dataclass(frozen=True)
class FakeRegister:
    """What hall.stats.register hands back, as the writers read it."""

    table: Table
    masked: bool
    period: Period
    department: str = ""


def visit(i: int, **over: object) -> tuple:
    row = {"日期时间": f"2026-11-{i % 30 + 1:02d} 09:{i % 60:02d}", "号码": f"L{i % 1000:03d}",
           "姓名": "张三", "性别": "男", "证件号码": "110101199003071234",
           "联系电话": "01088886666", "属地": "江北区", "人数": 1, "类别": "劳动争议与社保",
           "事由": "欠薪", "诉求": "支付工资", "初访/重访": "初访", "部门": "市人社局",
           "窗口": 5, "办理方式": "当场答复", "案号": "", "状态": "已办结"}
    row.update(over)
    return tuple(row[c] for c in COLUMNS)


def as_read(row: tuple) -> tuple:
    """A row as a workbook gives it back: empty text is an empty cell."""
    return tuple(None if v == "" else v for v in row)


def register(rows: list[tuple], masked: bool = True, department: str = "") -> FakeRegister:
    return FakeRegister(Table("register", "来访登记簿", COLUMNS, tuple(rows)), masked, NOV,
                        department)


def test_register_workbook_title_header_and_rows(config) -> None:
    rows = [visit(1), visit(2, 姓名="李*", 证件号码="1101**********1234", 联系电话="138****0000")]
    wb = load(register_xlsx(register(rows, department="hrss"), HALL, config=config))
    assert wb.sheetnames == ["来访登记簿"]
    ws = wb["来访登记簿"]
    assert ws["A1"].value == (f"{HALL} 来访登记簿 2026年11月（2026-11-01 至 2026-11-30） 市人社局 "
                              "已脱敏 共 2 条")
    assert ws["A1"].font.b
    assert tuple(c.value for c in ws[2]) == COLUMNS and all(c.font.b for c in ws[2])
    assert ws.freeze_panes == "A3"
    assert tuple(c.value for c in ws[3]) == as_read(visit(1))
    assert tuple(c.value for c in ws[4])[:6] == ("2026-11-03 09:02", "L002", "李*", "男",
                                                 "1101**********1234", "138****0000")
    assert ws.max_row == 4
    assert ws.column_dimensions["A"].width == 18  # 「2026-11-02 09:01」 16 + 2
    assert ws.column_dimensions["J"].width == 6
    assert ws.column_dimensions["E"].width == 20


def test_register_title_says_full_or_masked_and_all_departments() -> None:
    full = load(register_xlsx(register([visit(1)], masked=False), HALL))["来访登记簿"]["A1"].value
    assert full.endswith(" 全部部门 含完整个人信息 共 1 条")
    coded = load(register_xlsx(register([], department="hrss"), HALL))["来访登记簿"]["A1"].value
    assert coded.endswith(" hrss 已脱敏 共 0 条")


def test_register_keeps_id_and_phone_numbers_as_text_even_when_given_as_numbers() -> None:
    row = visit(1, 证件号码=110101199003071234, 联系电话=13800000000, 号码=7,
                日期时间=datetime(2026, 11, 2, 9, 5))
    ws = load(register_xlsx(register([row], masked=False), HALL))["来访登记簿"]
    by_name = {c: ws.cell(3, i + 1) for i, c in enumerate(COLUMNS)}
    for name, text in (("证件号码", "110101199003071234"), ("联系电话", "13800000000"),
                       ("号码", "7"), ("日期时间", "2026-11-02 09:05:00")):
        assert by_name[name].value == text and by_name[name].data_type == "s"
        assert by_name[name].number_format == "@"
    assert by_name["人数"].value == 1 and by_name["人数"].data_type == "n"
    assert by_name["窗口"].value == 5
    assert by_name["案号"].value is None  # empty text: an empty cell


def test_register_neutralises_formulas_and_drops_control_characters() -> None:
    rows = [visit(1, 事由="=HYPERLINK(\"http://evil\",\"点此\")", 诉求="+1-2", 姓名="@张三",
                  属地="-江北区"),
            visit(2, 事由="工资\x00拖欠\x1b三个月", 诉求="第一条\n第二条\t完")]
    data = register_xlsx(register(rows), HALL)
    ws = load(data)["来访登记簿"]
    j, k = COLUMNS.index("事由") + 1, COLUMNS.index("诉求") + 1
    assert ws.cell(3, j).value == "'=HYPERLINK(\"http://evil\",\"点此\")"
    assert ws.cell(3, j).data_type == "s"
    assert ws.cell(3, k).value == "'+1-2"
    assert ws.cell(3, COLUMNS.index("姓名") + 1).value == "'@张三"
    assert ws.cell(3, COLUMNS.index("属地") + 1).value == "'-江北区"
    assert ws.cell(4, j).value == "工资拖欠三个月"
    assert ws.cell(4, k).value == "第一条\n第二条\t完"
    lines = read_csv(register_csv(register(rows)))
    assert lines[0] == list(COLUMNS)
    assert lines[1][j - 1] == "'=HYPERLINK(\"http://evil\",\"点此\")"
    assert lines[1][k - 1] == "'+1-2"
    assert lines[2][j - 1] == "工资拖欠三个月"


def test_register_csv_has_bom_crlf_chinese_header_and_text_as_given() -> None:
    rows = [visit(1), visit(2, 证件号码=110101199003071234, 联系电话="01088886666")]
    lines = read_csv(register_csv(register(rows)))
    assert lines[0] == list(COLUMNS)
    assert len(lines) == 3
    assert lines[2][COLUMNS.index("证件号码")] == "110101199003071234"
    assert lines[2][COLUMNS.index("联系电话")] == "01088886666"
    assert lines[1][COLUMNS.index("人数")] == "1"
    assert read_csv(register_csv(register([]))) == [list(COLUMNS)]


def sheet_rows(data: bytes) -> list[tuple[int, list[tuple[str, str]]]]:
    """The register sheet's rows straight from its XML (faster than openpyxl for 20,000 rows):
    (row number, [(cell type, text)])."""
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    sheet = zipfile.ZipFile(io.BytesIO(data)).open("xl/worksheets/sheet1.xml")
    rows = []
    for _, elem in ElementTree.iterparse(sheet):
        if elem.tag == f"{ns}row":
            cells = [(c.get("t", "n"), "".join(c.itertext())) for c in elem.iter(f"{ns}c")]
            rows.append((int(elem.get("r")), cells))
            elem.clear()
    return rows


def test_a_month_of_register_is_written_and_reads_back_whole() -> None:
    rows = [visit(i, 证件号码=f"11010119900307{i % 10000:04d}") for i in range(20_000)]
    data = register_xlsx(register(rows, masked=False), HALL)
    back = sheet_rows(data)
    assert [r for r, _ in back] == list(range(1, 20_003))
    assert [t for _, t in back[1][1]] == list(COLUMNS)
    last = rows[-1]
    assert back[-1][1] == [("n" if isinstance(v, int) else "inlineStr", str(v))
                           for v in last if v != ""]
    assert back[-1][1][COLUMNS.index("证件号码")] == ("inlineStr", "110101199003079999")
    assert len(read_csv(register_csv(register(rows)))) == 20_001
