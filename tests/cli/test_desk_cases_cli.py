"""``hall issue --channels … --earlier-opinion … --case …`` (issue 12 §1): stored, refused with
exit 2 and nothing written, and a linked visit named with its case."""

from __future__ import annotations

from datetime import datetime

import pytest

from config import DEFAULT_CONFIG, load_config
from hall import Hall
from hall.clock import FixedClock
from models import CaseVisit, Visit, open_database
from tests.cli.test_cli import ISSUE, NOW, PERSON, Cli, _env  # noqa: F401  (the autouse fixture)
from tests.cli.test_desk_file_cli import refused


@pytest.fixture
def hall_cli(db_url: str, capsys) -> Cli:
    return Cli(db_url, capsys)


def facade(cli: Cli) -> Hall:
    """The same hall as the command sees it (its database, the shipped configuration, HALL_NOW)."""
    return Hall(open_database(cli.url), load_config(DEFAULT_CONFIG),
                FixedClock(datetime.fromisoformat(NOW)))


def open_case(cli: Cli) -> str:
    """PERSON's ticket (issued by the CLI) finished 立案交办 at 市人社局's window: its number."""
    assert cli.json(*ISSUE, "--staff", "desk01")["number"] == "L001"
    hall = facade(cli)
    try:
        hall.windows.call_next(7, "mgr01")
        finished = hall.windows.finish_visit(7, "filed", "mgr01")
        assert finished.case is not None
        return finished.case.number
    finally:
        hall.db.close()


def stored(cli: Cli, model: type) -> list[dict]:
    db = open_database(cli.url)
    try:
        return list(model.select().dicts())
    finally:
        db.close()


def test_channels_and_the_earlier_opinion_are_stored(hall_cli: Cli) -> None:
    hall_cli.json(*ISSUE, "--staff", "desk01", "--channels", "online,来信",
                  "--earlier-opinion", "区人社局已答复")
    [visit] = stored(hall_cli, Visit)
    assert (visit["other_channels"], visit["earlier_opinion"]) == (
        "letter,online", "区人社局已答复")


@pytest.mark.parametrize(("argv", "expected"), [
    (("--channels", "fax"), "--channels（其他渠道）：未知的渠道“fax”"),
    (("--earlier-opinion", "a\x1b[2J"), "--earlier-opinion（原处理意见）：含有终端控制序列"),
])
def test_a_bad_channel_or_opinion_exits_2_writing_nothing(hall_cli: Cli, argv: tuple[str, ...],
                                                          expected: str) -> None:
    assert expected in refused(hall_cli, *ISSUE, "--staff", "desk01", *argv)


def test_case_links_the_visit_and_names_the_case(hall_cli: Cli) -> None:
    number = open_case(hall_cli)
    status, out, err = hall_cli(*ISSUE, "--staff", "desk01", "--case", number,
                                "--again-reason", "补充材料")
    assert status == 0, err
    assert f"重复访（同一事项）：{number}  待受理  期限 2026-12-08" in out
    links = [(row["case"], row["visit"]) for row in stored(hall_cli, CaseVisit)]
    assert [visit for _, visit in links] == [1, 2]  # the opening visit and this one


def test_an_unknown_or_closed_case_exits_2_writing_nothing(hall_cli: Cli) -> None:
    assert "没有案件" in refused(hall_cli, *ISSUE, "--staff", "desk01", "--case", "2026-99")
    number = open_case(hall_cli)
    hall = facade(hall_cli)
    hall.cases.refuse(1, "rejected", "不属于信访事项", "向法院起诉", "mgr01")
    hall.db.close()
    err = refused(hall_cli, *ISSUE, "--staff", "desk01", "--case", number, "--again-reason", "x")
    assert "--case（同一事项案件）：所选案件不是此来访人未办结的案件" in err
