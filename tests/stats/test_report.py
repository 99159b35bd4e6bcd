"""The monthly report (issue 13 §3): the PDF's text read back by an independent extractor
(pypdf) for figures built by hand with every table of the contract, and for real figures of a
small hall computed through the facade (only the sections that exist in the tree).

pypdf's text is compared with whitespace removed: it breaks lines where the layout wraps,
which a test of the content should not depend on. Expected strings are written out by hand.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pypdf

from config.schema import HallConfig
from hall import Hall
from hall.clock import FixedClock
from hall.printing.pdf import PdfDocument, render_pdf
from hall.stats.period import Period, month_period
from hall.stats.report import monthly_report, report_document
from hall.stats.views import Chart, Figures, Filters, Headline, Table
from tests.domain.test_case_documents import fonts_of
from tests.helpers import distinct_id, form, make_id, named

CST = ZoneInfo("Asia/Shanghai")
MADE = datetime(2026, 12, 1, 9, 30, tzinfo=CST)
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30), "month")
PARTS = ("一、总体情况", "二、来访分布", "三、办理情况", "四、案件办理", "五、领导接待与包案",
         "六、特殊情况")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pages_of(pdf: bytes) -> list[str]:
    """Each page's text, whitespace removed."""
    return [squeeze(p.extract_text()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def headlines() -> tuple[Headline, ...]:
    return (
        Headline("visits", "来访人次", 412, "人次"),
        Headline("visitors", "来访人数", 388, "人"),
        Headline("people", "涉及人数", 530, "人"),
        Headline("first_visits", "初访", 301, "人次"),
        Headline("repeat_same", "重复访（同一事项）", 77, "人次"),
        Headline("repeat_other", "重复访（其他事项）", 34, "人次"),
        Headline("collective_visits", "集体访", 6, "批次"),
        Headline("collective_people", "集体访人数", 71, "人"),
        Headline("representatives", "集体访代表", 18, "人"),
        Headline("tickets_issued", "取号", 425, "个"),
        Headline("tickets_called", "叫号", 419, "次"),
        Headline("tickets_finished", "办结", 400, "人次"),
        Headline("no_shows", "过号", 13, "人次"),
        Headline("transfers", "转办", 22, "人次"),
        Headline("wait_median", "等候中位", 12.5, "分钟"),
        Headline("wait_p90", "等候P90", 41.0, "分钟"),
        Headline("service_median", "办理中位", 9.5, "分钟"),
        Headline("service_p90", "办理P90", None, "分钟"),
        Headline("cases_opened", "新立案", 58, "件"),
        Headline("cases_accepted_on_time", "按时受理告知", 55, "件"),
        Headline("cases_answered_on_time", "按时答复", 49, "件"),
        Headline("cases_overdue", "当前逾期", 3, "件"),
        Headline("cases_extended", "延期", 2, "件"),
        Headline("cases_urged", "督办", 7, "件"),
        Headline("followups", "回访", 40, "件"),
        Headline("satisfied_rate", "满意率", 87.5, "%"),
        Headline("reception_days_held", "领导接待日", 4, "次"),
        Headline("bookings", "预约", 31, "人次"),
        Headline("attended", "到场", 27, "人次"),
        Headline("incidents", "特殊情况", 5, "起"),
    )


def tables() -> tuple[Table, ...]:
    days = tuple((f"2026-11-{d:02d}", d % 7 * 3, d, d, 0) for d in range(1, 31))
    return (
        Table("visits_by_day", "每日来访", ("日期", "来访人次", "涉及人数", "初访", "重复访"),
              days, Chart("line")),
        Table("visits_by_hour", "来访时段分布", ("时段", "来访人次"),
              (("08时", 40), ("09时", 95), ("10时", 120), ("11时", 60)), Chart("bar")),
        Table("visits_by_department", "各部门来访",
              ("部门", "来访人次", "初访", "重复访（同一事项）", "重复访（其他事项）", "集体访",
               "集体访人数"),
              (("市人社局", 150, 100, 30, 20, 4, 50), ("信访局综合接待", 262, 201, 47, 14, 2, 21)),
              note="部门为来访最终分流到的部门"),
        Table("visits_by_category", "各类别来访", ("类别", "来访人次"),
              (("农民工工资", 300), ("政策咨询", 100))),
        Table("visits_by_district", "各属地来访", ("属地", "来访人次"),
              (("江北区", 250), ("未填", 0), ("临河县", 150))),
        Table("queues_by_department", "各部门排队",
              ("部门", "取号", "叫号", "办结", "过号", "转入", "转出", "等候中位（分）",
               "等候P90（分）", "办理中位（分）", "办理P90（分）"),
              (("市人社局", 160, 158, 150, 5, 3, 9, 14.5, 45.0, 10.0, None),)),
        Table("outcomes", "办理方式", ("办理方式", "人次", "占比（%）"),
              (("当场答复", 250, 62.5), ("立案交办", 58, 14.5), ("不予受理", 92, 23.0))),
        Table("refusals", "不予受理", ("办理方式", "告知渠道", "人次"),
              (("不予受理", "诉讼", 60), ("不予受理", "行政复议", 32))),
        Table("cases_timeliness", "案件时限", ("环节", "按时", "超时", "按时率（%）"),
              (("受理告知", 55, 3, 94.8), ("答复", 49, 6, 89.1))),
        Table("cases_by_unit", "各承办单位",
              ("承办单位", "新立案", "按时受理告知", "按时答复", "当前逾期", "延期", "督办",
               "回访", "满意", "基本满意", "不满意", "满意率（%）"),
              (("江北区人力资源和社会保障局", 30, 29, 25, 2, 1, 4, 20, 15, 3, 2, 75.0),)),
        Table("satisfaction", "满意度", ("评价", "件数", "占比（%）"),
              (("满意", 35, 87.5), ("基本满意", 4, 10.0), ("不满意", 1, 2.5))),
        Table("reception_days", "领导接待日",
              ("接待人", "接待日", "已举行", "已失效", "已取消", "预约", "到场", "候补"),
              (("张副市长", 2, 2, 0, 0, 18, 16, 3),)),
        Table("leader_cases", "领导包案", ("领导", "包案", "已办结"), (("李局长", 3, 1),)),
        Table("incidents_by_kind", "特殊情况", ("类型", "高", "中", "低", "合计"),
              (("携带管制器具", 1, 0, 0, 1), ("来访人突发疾病", 2, 0, 0, 2))),
    )


def figures(*, keep: tuple[str, ...] = (), period: Period = NOVEMBER,
            filters: Filters | None = None) -> Figures:
    """The hand-built figures; ``keep`` narrows them to those tables (and no headlines but the
    visits')."""
    hl, tb = headlines(), tables()
    if keep:
        tb = tuple(t for t in tb if t.key in keep)
        hl = hl[:9]
    return Figures(period=period, filters=filters or Filters(), generated_at=MADE,
                   generated_by="mgr01", headlines=hl, tables=tb)


def manager_name(config: HallConfig) -> str:
    member = config.staff_member("mgr01")
    assert member is not None
    return member.name


def test_every_part_with_its_figures(config: HallConfig) -> None:
    pdf = monthly_report(figures(), config)
    pages = pages_of(pdf)
    text = "".join(pages)
    assert "江川市联合接访中心2026年11月信访工作统计报告" in text
    assert "统计时段：2026年11月1日至2026年11月30日" in text
    assert f"生成时间：2026年12月1日09:30制表：{manager_name(config)}（mgr01）" in text
    positions = [text.index(part) for part in PARTS]
    assert positions == sorted(positions)
    # The overview's sentences and table.
    assert "本期共接待群众来访412人次、388人，涉及530人。" in text
    assert "集体访6批次、71人，推选代表18人。" in text
    assert "候谈时间中位数12.5分钟、第90百分位41.0分钟；接谈时间中位数9.5分钟、第90百分位—" in text
    assert "回访40件，满意率87.5%。" in text
    assert "来访人次／来访人数／涉及人数" in text and "412人次／388人／530人" in text
    # Table cells, numbered titles, notes, the shares the report adds.
    for words in ("表2各部门来访", "信访局综合接待262201471422", "注：部门为来访最终分流到的部门",
                  "农民工工资30075.0", "政策咨询10025.0", "江北区25062.5", "未填00.0",
                  "市人社局16015815053914.545.010.0—",
                  "不予受理行政复议32", "受理告知55394.8", "江北区人力资源和社会保障局",
                  "2925214201532", "75.0", "满意3587.5", "张副市长22001816", "李局长31",
                  "携带管制器具1001", "来访人突发疾病2002"):
        assert words in text, words
    # Chart titles and labels: each day of the month, the hours.
    assert "图1每日来访人次" in text and "图2来访时段分布" in text and "图3办理方式" in text
    chart = next(p for p in pages if "图1每日来访人次" in p)
    for day in ("1", "15", "30"):
        assert day in chart
    assert all(f"{h}时" in text for h in ("08", "09", "10", "11"))
    # The seal line and the date; the font embedded; a sensible length.
    assert text.endswith("江川市信访局（印章）2026年12月1日第" + str(len(pages)) + "页共"
                         + str(len(pages)) + "页")
    assert fonts_of(pdf) and all(embedded for _, embedded in fonts_of(pdf))
    assert 3 <= len(pages) <= 8


def test_missing_tables_leave_their_parts_out(config: HallConfig) -> None:
    only_visits = figures(keep=("visits_by_day", "visits_by_department"))
    text = "".join(pages_of(monthly_report(only_visits, config)))
    assert "一、总体情况" in text and "二、来访分布" in text
    for gone in ("三、", "四、", "五、", "六、", "各属地来访", "来访时段分布", "取号"):
        assert gone not in text
    assert "本期共接待群众来访412人次" in text and "大厅取号" not in text


def test_a_table_with_no_rows_says_so(config: HallConfig) -> None:
    empty = Table("leader_cases", "领导包案", ("领导", "包案", "已办结"), ())
    base = figures(keep=("visits_by_day",))
    text = "".join(pages_of(monthly_report(
        Figures(base.period, base.filters, MADE, "mgr01", base.headlines,
                (*base.tables, empty)), config)))
    assert "三、领导接待与包案表2领导包案领导包案已办结本期无记录。" in text


def test_other_periods_filters_and_unknown_authors(config: HallConfig) -> None:
    quarter = Period(date(2026, 10, 1), date(2026, 12, 31), "quarter")
    days = tuple(((quarter.start + timedelta(days=i)).isoformat(), 1, 1, 1, 0)
                 for i in range(quarter.days))
    base = figures(keep=("visits_by_day",), period=quarter,
                   filters=Filters(department="hrss", district="nowhere"))
    doc = report_document(Figures(quarter, base.filters, MADE, "someone", base.headlines,
                                  (Table("visits_by_day", "每日来访",
                                         ("日期", "来访人次", "涉及人数", "初访", "重复访"),
                                         days),)), config)
    assert doc.title.replace("\u2060", "") == "江川市联合接访中心2026年第4季度信访工作统计报告"
    text = "".join(pages_of(render(doc)))
    assert "统计范围：部门：市人社局；属地：nowhere" in text
    assert "制表：someone" in text
    # One bar a month, each value (the days of the month, one visit a day) before its label.
    assert "图1每月来访人次" in text and "3110月3011月3112月" in text


def render(doc: PdfDocument) -> bytes:
    return render_pdf(doc)


def test_real_figures_of_a_small_hall(hall: Hall, clock: FixedClock) -> None:
    """Through the desk: on 23 November two wage claims (市人社局), one of them a group of 6
    with two representatives, and a policy question (信访局综合接待); one more policy question
    at 01:00 on 1 December, before the 03:00 rollover (business day 30 November), and one at
    07:30 on 1 December (December's, left out). November's report reads them back: 4 visits
    by 4 visitors, 9 people, 1 collective visit of 6 with 2 representatives, 2 per department;
    whatever other sections the tree has, it renders without error."""
    visits = (("wages", 1, []), ("wages", 6, named([make_id("19700101", seq=11),
                                                     make_id("19700101", seq=12)])),
              ("policy", 1, []))
    for n, (category, people, reps) in enumerate(visits):
        hall.desk.issue(form(id_number=distinct_id(9100 + n), category=category, people=people,
                             representatives=reps), actor="desk01")
    for n, at in enumerate((datetime(2026, 12, 1, 1, 0, tzinfo=CST),
                            datetime(2026, 12, 1, 7, 30, tzinfo=CST))):
        clock.set(at)
        hall.desk.issue(form(id_number=distinct_id(9200 + n), category="policy"),
                        actor="desk01")
    result = hall.stats.figures("mgr01", month_period("2026-11"))
    pdf = monthly_report(result, hall.config)
    text = "".join(pages_of(pdf))
    assert "江川市联合接访中心2026年11月信访工作统计报告" in text
    assert "本期共接待群众来访4人次、4人，涉及9人。" in text
    assert "集体访1批次、6人，推选代表2人。" in text
    # 部门, 来访人次, 初访, 重复访 ×2, 集体访, 集体访人数; categories with their shares.
    assert "市人社局220016" in text and "信访局综合接待220000" in text
    assert "农民工工资250.0" in text and "政策咨询250.0" in text
    # The daily chart: each value above its day (3 on the 23rd, 1 on the 30th).
    assert "022323024" in text and "029130" in text
    assert fonts_of(pdf) and all(embedded for _, embedded in fonts_of(pdf))
