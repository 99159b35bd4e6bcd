"""``hall stats``, ``hall register`` and ``hall report`` (cli.stats), end to end in-process on
SQLite (and PostgreSQL when HALL_TEST_PG_URL is set).

The hall: four visits issued through the facade, on each side of the period's edges and of the
03:00 rollover (00:30 local on Monday 23 November belongs to business day Sunday 22), the
commands run at 09:30 on the 23rd. The counts are worked out by hand below; the JSON must also be
exactly the domain's :meth:`hall.stats.Figures.as_dict` for the same period and filters. Bad
input exits 2, writes no file and no audit row; without a signed-in manager, 3; a database that
cannot be opened, 1.
"""

from __future__ import annotations

import csv
import io
import json
import os
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

import main
from config import HallConfig
from hall import Hall
from hall.clock import FixedClock
from hall.stats import Filters, month_period, named_period, range_period
from models import AuditEvent, open_database
from tests.cli.test_window_cli import CJK, Cli, snapshot
from tests.conftest import CST, fill
from tests.helpers import TEST_PASSWORD, distinct_id, form

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=CST)

VISITS = (  # (when, category → department, district)
    (datetime(2026, 11, 20, 10, 0, tzinfo=CST), "wages", "jiangbei"),   # Fri 20th, 人社局
    (datetime(2026, 11, 23, 0, 30, tzinfo=CST), "reform", "jiangnan"),  # business day Sun 22nd
    (datetime(2026, 11, 23, 9, 0, tzinfo=CST), "wages", "jiangbei"),    # Mon 23rd, 人社局
    (datetime(2026, 11, 23, 9, 10, tzinfo=CST), "reform", "chengdong"),  # Mon 23rd, 信访局
)


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    for name in ("HALL_CONFIG", "HALL_DB", "HALL_STAFF", "HALL_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HALL_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("HALL_NOW", NOW.isoformat())
    monkeypatch.setenv("HALL_PASSWORD", TEST_PASSWORD)


@pytest.fixture
def cli(db_url: str, config: HallConfig, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> Cli:
    """The four visits, issued at their times by the desk."""
    clock = FixedClock(VISITS[0][0])
    fill(db_url, config, clock)
    db = open_database(db_url)
    hall = Hall(db, config, clock)
    for n, (when, category, district) in enumerate(VISITS, start=1):
        clock.set(when)
        hall.desk.issue(form(id_number=distinct_id(n), category=category, district=district),
                        actor="desk01")
    db.close()
    open_database(db_url)
    return Cli(db_url, capsys, monkeypatch)


def domain(config: HallConfig, url: str, period: Any, filters: Filters | None = None) -> Any:
    """The domain's own figures for the period, as the command's JSON must be."""
    hall = Hall(open_database(url), config, FixedClock(NOW))
    return json.loads(json.dumps(hall.stats.figures("mgr01", period, filters).as_dict(),
                                 ensure_ascii=False, default=str))


def exports() -> list[tuple[str, str, dict[str, Any]]]:
    """The exports in the audit log: (actor, what, detail)."""
    rows = (AuditEvent.select(AuditEvent.actor, AuditEvent.entity_id, AuditEvent.detail)
            .where(AuditEvent.action == "export").order_by(AuditEvent.id).tuples())
    return [(actor, what, json.loads(detail)) for actor, what, detail in rows]


def width(text: str) -> int:
    """Terminal columns (the oracle: East Asian wide and full-width characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def block(out: str, title: str) -> list[str]:
    """The lines of the table headed ``title`` (title line excluded) up to the blank line."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    end = next((i for i in range(start, len(lines)) if not lines[i]), len(lines))
    return lines[start + 1:end]


# -- hall stats ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("argv", "visits", "period"), [
    ((), 2, named_period("today", NOW.date())),
    (("--period", "today"), 2, named_period("today", NOW.date())),
    (("--period", "yesterday"), 1, named_period("yesterday", NOW.date())),  # the 00:30 one
    (("--period", "last-week"), 2, named_period("last-week", NOW.date())),  # 16th–22nd
    (("--period", "month"), 4, named_period("month", NOW.date())),
    (("--from", "2026-11-20", "--to", "2026-11-22"), 2,
     range_period("2026-11-20", "2026-11-22", NOW.date())),
    (("--from", "2026-11-21"), 3, range_period("2026-11-21", None, NOW.date())),
    (("--to", "2026-11-19"), 0, range_period(None, "2026-11-19", NOW.date())),
])
def test_json_is_the_domains_figures(cli: Cli, config: HallConfig, argv: tuple[str, ...],
                                     visits: int, period: Any) -> None:
    got = cli.json("stats", *argv, "--staff", "mgr01")
    assert got["headlines"]["visits"]["value"] == visits  # by hand
    assert got == domain(config, cli.url, period)
    assert exports() == []  # reading the figures is not an export


def test_filters_narrow_the_figures(cli: Cli, config: HallConfig) -> None:
    got = cli.json("stats", "--period", "month", "--department", "hrss", "--staff", "mgr01")
    assert got["headlines"]["visits"]["value"] == 2
    assert got["filters"] == {"department": "hrss"}
    assert got == domain(config, cli.url, named_period("month", NOW.date()),
                         Filters(department="hrss"))
    got = cli.json("stats", "--period", "month", "--category", "reform", "--district",
                   "jiangnan", "--staff", "mgr01")
    assert got["headlines"]["visits"]["value"] == 1
    assert got == domain(config, cli.url, named_period("month", NOW.date()),
                         Filters(category="reform", district="jiangnan"))


def pad_to(label: str, label_width: int) -> str:
    """``label`` padded to ``label_width`` terminal columns, then the two-space gap."""
    return label + " " * (label_width - width(label)) + "  "


def test_text_is_headlines_then_aligned_tables(cli: Cli) -> None:
    out = cli.ok("stats", "--staff", "mgr01")
    lines = out.splitlines()
    assert lines[0] == "统计时段：2026年11月23日（2026-11-23 至 2026-11-23）"
    assert lines[1] == "生成：2026-11-23 09:30  mgr01"
    # The longest label sets the width of the labels: every headline's value starts in the
    # same column, two after it.
    heads = lines[3:lines.index("", 3)]
    longest = max(width(h.rsplit(None, 2)[0].rstrip()) for h in heads)
    assert next(h for h in heads if h.startswith("来访人次")) == (
        pad_to("来访人次", longest) + "2 人次")
    assert next(h for h in heads if h.startswith("重复访（同一事项）")) == (
        pad_to("重复访（同一事项）", longest) + "0 人次")
    # Worked out by hand: 城东区 and 江北区 one each (same count: by name), 属地 padded to 城东区's
    # six columns, the numbers right under the end of 来访人次.
    assert block(out, "各属地来访") == ["属地    来访人次", "城东区         1",
                                        "江北区         1"]
    for title in ("各部门来访", "每日来访", "各类别来访"):
        rows = block(out, title)
        assert len(rows) >= 2
        # Every column of these ends in a right-aligned number: every line as wide as the head.
        assert {width(r) for r in rows} == {width(rows[0])}, rows
    # One each: by department code (hrss before xfj).
    assert [r.split()[0] for r in block(out, "各部门来访")[1:]] == ["市人社局", "信访局综合接待"]


def test_filters_are_named_in_the_heading(cli: Cli) -> None:
    out = cli.ok("stats", "--period", "month", "--department", "hrss", "--staff", "mgr01")
    assert out.splitlines()[0] == ("统计时段：2026年11月（2026-11-01 至 2026-11-30）"
                                   "（部门：市人社局）")


@pytest.mark.parametrize("argv", [
    ("--period", "month", "--from", "2026-11-01"),
    ("--period", "month", "--to", "2026-11-30"),
    ("--period", "fortnight"),
    ("--from", "2026-11-31"),
    ("--from", "2026-11-20", "--to", "2026-11-19"),
    ("--from", "1999-12-31"),
    ("--department", "nowhere"),
    ("--category", "nothing"),
    ("--district", "atlantis"),
    ("--xlsx", "{tmp}/missing/stats.xlsx"),
    ("--xlsx", "{tmp}"),
    ("--xlsx", "{tmp}/there.xlsx"),  # exists: no --force
    ("--csv", "{tmp}/there.xlsx"),  # a file, not a folder
    ("--csv", "{tmp}/missing/deeper"),
    ("--csv", "{tmp}/full"),  # holds a file: no --force
    ("--xlsx", "{tmp}/new.xlsx", "--department", "nowhere"),
    ("--csv", "{tmp}/new", "--period", "never"),
    ("--xlsx", ""),
    ("--csv", " "),
])
def test_bad_input_exits_2_and_writes_nothing(cli: Cli, tmp_path: Path,
                                              argv: tuple[str, ...]) -> None:
    out = tmp_path / "out"  # the database is in tmp_path
    (out / "full").mkdir(parents=True)
    (out / "there.xlsx").write_bytes(b"kept")
    (out / "full" / "mine.txt").write_text("kept")
    before = sorted(out.rglob("*"))
    err = cli.refused("stats", *(a.format(tmp=out) for a in argv), "--staff", "mgr01")
    assert "Traceback" not in err
    assert sorted(out.rglob("*")) == before
    assert (out / "there.xlsx").read_bytes() == b"kept"
    assert exports() == []


def test_a_refused_filter_names_its_flag(cli: Cli) -> None:
    err = cli.refused("stats", "--department", "nowhere", "--from", "2026-11-01",
                      "--staff", "mgr01")
    assert "--department（部门）：没有代码为「nowhere」的部门" in err
    err = cli.refused("stats", "--from", "2026-11-20", "--to", "2026-11-19", "--staff", "mgr01")
    assert err.startswith("--to（结束日期）：")
    err = cli.refused("stats", "--period", "month", "--from", "2026-11-01", "--staff", "mgr01")
    assert "只能选一种" in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_an_unwritable_folder_exits_2(cli: Cli, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        for argv in (("--xlsx", f"{locked}/s.xlsx"), ("--csv", f"{locked}/csv"),
                     ("--csv", str(locked))):
            assert "没有写权限" in cli.refused("stats", *argv, "--staff", "mgr01")
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)
    assert exports() == []


@pytest.mark.parametrize("argv", [(), ("--json",), ("--xlsx", "{tmp}/s.xlsx"),
                                  ("--csv", "{tmp}/csv")])
def test_not_signed_in_or_not_a_manager_exits_3(cli: Cli, tmp_path: Path,
                                                argv: tuple[str, ...]) -> None:
    line = [a.format(tmp=tmp_path) for a in argv]
    status, out, err = cli("stats", *line)
    assert (status, out) == (3, "")
    assert "HALL_STAFF" in err
    before = snapshot()
    status, out, err = cli("stats", *line, "--staff", "desk01")
    assert (status, out) == (3, "")
    assert "不能查看统计" in err or "不能导出统计" in err, err
    assert not (tmp_path / "s.xlsx").exists() and not (tmp_path / "csv").exists()
    assert exports() == []
    after = snapshot()
    # The refusal is audited (and nothing else).
    assert after[1]["audit_event"] == before[1]["audit_event"] + 1
    assert {k: v for k, v in after[1].items() if k != "audit_event"} == \
        {k: v for k, v in before[1].items() if k != "audit_event"}


def test_a_damaged_database_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "hall.db"
    path.write_bytes(b"this is not a database, it was overwritten" * 200)
    before = path.read_bytes()
    for argv in (["stats", "--period", "month"], ["register", "--csv", f"{tmp_path}/r.csv"],
                 ["report", "--month", "2026-11", "--pdf", f"{tmp_path}/r.pdf"]):
        capsys.readouterr()
        status = main.main([*argv, "--staff", "mgr01", "--db", f"sqlite:///{path}"])
        err = capsys.readouterr().err
        assert status == 1, err
        assert "数据库文件已损坏" in err and "Traceback" not in err
    assert path.read_bytes() == before
    assert not (tmp_path / "r.csv").exists() and not (tmp_path / "r.pdf").exists()


# -- files (the workbook, the CSV folder, the register, the monthly report) --------------------


def test_xlsx_and_csv_are_written_and_audited(cli: Cli, config: HallConfig,
                                              tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    pytest.importorskip("hall.export.figures")  # the exports helper's module (issue 13)
    out = cli.ok("stats", "--period", "month", "--xlsx", f"{tmp_path}/m.xlsx",
                 "--csv", f"{tmp_path}/csv", "--staff", "mgr01")
    figures = domain(config, cli.url, month_period("2026-11"))
    written = sorted(p.name for p in (tmp_path / "csv").iterdir())
    assert {f"{key}.csv" for key in figures["tables"]} <= set(written)
    assert out.splitlines() == ["统计：2026年11月", f"已保存：{tmp_path}/m.xlsx",
                                f"已保存：{tmp_path}/csv（{len(written)} 个 CSV 文件）"]
    book = openpyxl.load_workbook(tmp_path / "m.xlsx")
    assert len(book.sheetnames) >= len(figures["tables"])
    by_district = (tmp_path / "csv" / "visits_by_district.csv").read_bytes()
    assert by_district.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(by_district.decode("utf-8-sig"))))
    assert rows[0] == ["属地", "来访人次"]
    assert sorted(rows[1:]) == [["城东区", "1"], ["江北区", "2"], ["江南区", "1"]]
    assert [(a, w, d["file"]) for a, w, d in exports()] == [
        ("mgr01", "stats.xlsx", f"{tmp_path}/m.xlsx"), ("mgr01", "stats.csv", f"{tmp_path}/csv")]
    assert exports()[0][2]["period"]["start"] == "2026-11-01"
    # An existing file is kept unless --force.
    cli.refused("stats", "--xlsx", f"{tmp_path}/m.xlsx", "--staff", "mgr01")
    cli.ok("stats", "--xlsx", f"{tmp_path}/m.xlsx", "--force", "--staff", "mgr01")
    assert len(exports()) == 3


@pytest.mark.parametrize(("staff", "masked"), [("mgr01", False), ("desk01", True)])
def test_the_register_by_role(cli: Cli, tmp_path: Path, staff: str, masked: bool) -> None:
    pytest.importorskip("hall.export.register")  # the register helpers' modules (issue 13)
    pytest.importorskip("hall.stats.register")
    target = tmp_path / "register.csv"
    out = cli.ok("register", "--period", "month", "--csv", str(target), "--staff", staff)
    assert out.splitlines()[0].startswith("来访登记簿：2026年11月，共 4 条，")
    assert ("脱敏" in out) == masked
    assert out.splitlines()[1] == f"已保存：{target}"
    rows = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))
    assert len(rows) == 1 + 4
    text = "\n".join(",".join(r) for r in rows[1:])
    full = [distinct_id(n) for n in range(1, 5)]
    assert all((number in text) is not masked for number in full), text
    assert [(a, w, d["file"]) for a, w, d in exports()] == [(staff, "register.csv", str(target))]
    assert target.stat().st_mode & 0o777 == 0o600  # personal data: its owner's only
    status, out, err = cli("register", "--period", "month", "--csv", str(target),
                           "--staff", staff)
    assert (status, "--force" in err) == (2, True)  # no overwrite without --force
    assert len(exports()) == 1


def test_the_register_as_a_workbook(cli: Cli, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    pytest.importorskip("hall.export.register")
    pytest.importorskip("hall.stats.register")
    target = tmp_path / "r.xlsx"
    got = cli.json("register", "--from", "2026-11-20", "--to", "2026-11-22",
                   "--department", "hrss", "--xlsx", str(target), "--staff", "mgr01")
    assert got == {"period": range_period("2026-11-20", "2026-11-22", NOW.date()).as_dict(),
                   "department": "hrss", "rows": 1, "masked": False, "file": str(target)}
    sheet = openpyxl.load_workbook(target).active
    assert distinct_id(1) in "\n".join(str(c.value) for row in sheet.iter_rows() for c in row)


@pytest.mark.parametrize("argv", [
    ("--period", "month"),
    ("--xlsx", "{tmp}/r.xlsx", "--csv", "{tmp}/r.csv"),
    ("--csv", "{tmp}/r.csv", "--period", "month", "--to", "2026-11-30"),
    ("--csv", "{tmp}/r.csv", "--from", "2026-02-30"),
    ("--csv", "{tmp}/r.csv", "--department", "nowhere"),
    ("--csv", "{tmp}/missing/r.csv"),
    ("--xlsx", "{tmp}"),
    ("--csv", "{tmp}/there.csv"),
    ("--csv", ""),
])
def test_register_bad_input_exits_2_and_writes_nothing(cli: Cli, tmp_path: Path,
                                                       argv: tuple[str, ...]) -> None:
    (tmp_path / "there.csv").write_bytes(b"kept")
    err = cli.refused("register", *(a.format(tmp=tmp_path) for a in argv), "--staff", "mgr01")
    assert "Traceback" not in err
    assert not (tmp_path / "r.csv").exists() and not (tmp_path / "r.xlsx").exists()
    assert (tmp_path / "there.csv").read_bytes() == b"kept"
    assert exports() == []


def test_register_not_signed_in_or_not_allowed_exits_3(cli: Cli, tmp_path: Path) -> None:
    pytest.importorskip("hall.stats.register")  # it checks the role
    target = tmp_path / "r.csv"
    status, _, err = cli("register", "--csv", str(target))
    assert status == 3 and "HALL_STAFF" in err
    status, _, err = cli("register", "--csv", str(target), "--staff", "board01")
    assert status == 3 and CJK.search(err)
    assert not target.exists()
    assert exports() == []


def test_the_monthly_report(cli: Cli, tmp_path: Path) -> None:
    pytest.importorskip("hall.stats.report")  # the report helper's module (issue 13)
    target = tmp_path / "2026-11.pdf"
    out = cli.ok("report", "--month", "2026-11", "--pdf", str(target), "--staff", "mgr01")
    assert out.splitlines() == ["月度统计报告：2026年11月", f"已保存：{target}"]
    assert target.read_bytes().startswith(b"%PDF")
    assert target.stat().st_mode & 0o777 == 0o600
    [(actor, what, detail)] = exports()
    assert (actor, what, detail["file"]) == ("mgr01", "report.pdf", str(target))
    assert detail["period"] == month_period("2026-11").as_dict()


@pytest.mark.parametrize("argv", [
    ("--month", "2026-13", "--pdf", "{tmp}/r.pdf"),
    ("--month", "November", "--pdf", "{tmp}/r.pdf"),
    ("--month", "2026-11", "--pdf", "{tmp}/missing/r.pdf"),
    ("--month", "2026-11", "--pdf", "{tmp}"),
    ("--month", "2026-11", "--pdf", "{tmp}/there.pdf"),
])
def test_report_bad_input_exits_2_and_writes_nothing(cli: Cli, tmp_path: Path,
                                                     argv: tuple[str, ...]) -> None:
    (tmp_path / "there.pdf").write_bytes(b"kept")
    cli.refused("report", *(a.format(tmp=tmp_path) for a in argv), "--staff", "mgr01")
    assert not (tmp_path / "r.pdf").exists()
    assert (tmp_path / "there.pdf").read_bytes() == b"kept"
    assert exports() == []


def test_report_needs_a_manager(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "r.pdf"
    for staff in ((), ("--staff", "desk01")):
        status, out, _ = cli("report", "--month", "2026-11", "--pdf", str(target), *staff)
        assert (status, out) == (3, "")
    assert not target.exists()
    assert exports() == []


def test_a_period_at_the_edges_of_a_month(cli: Cli) -> None:
    """The visit at 00:30 on the 23rd is the 22nd's; last month holds none of the four."""
    day = cli.json("stats", "--from", "2026-11-22", "--to", "2026-11-22", "--staff", "mgr01")
    assert day["headlines"]["visits"]["value"] == 1
    assert day["tables"]["visits_by_district"]["rows"] == [["江南区", 1]]
    last = cli.json("stats", "--period", "last-month", "--staff", "mgr01")
    assert last["headlines"]["visits"]["value"] == 0
