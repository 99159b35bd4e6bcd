"""Finding a ticket as a kiosk does: by the QR code's whole payload, and by five-digit numbers.

``hall status`` (and ``hall ticket``) go through ``hall.desk.find_ticket``, the lookup every
screen and the incident form use too. Commands run in-process through ``main.main(argv)``.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import main
from models import AuditEvent, Ticket, TicketCounter, TicketEvent, Visit, Visitor, open_database
from tests.helpers import SHIPPED, TEST_PASSWORD, accounts_ready, make_id

NOW = "2026-11-23T09:30:00+08:00"
ISSUE = ["issue", "--staff", "desk01", "--name", "李秀英", "--category", "wages",
         "--matter", "工地拖欠工资三个月", "--district", "jiangbei"]
QR_LINE = 'qr_template: "https://xfj.jiangchuan.gov.cn/cx?code={code}"'


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("HALL_CONFIG", "HALL_DB", "HALL_STAFF", "HALL_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HALL_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("HALL_NOW", NOW)
    monkeypatch.setenv("HALL_PASSWORD", TEST_PASSWORD)


class Cli:
    """``hall ARGV --db URL`` in-process: (status, stdout, stderr)."""

    def __init__(self, url: str, capsys: Any, config: Path | None = None) -> None:
        self.url, self.capsys, self.config = accounts_ready(url), capsys, config

    def __call__(self, *argv: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        extra = ["--config", str(self.config)] if self.config else []
        status = main.main([*argv, "--db", self.url, *extra])
        out, err = self.capsys.readouterr()
        return status, out, err

    def json(self, *argv: str) -> Any:
        status, out, err = self(*argv, "--json")
        assert status == 0, err
        return json.loads(out)

    def issue(self, seq: int) -> Any:
        return self.json(*ISSUE, "--id-number", make_id(seq=seq))

    def rows(self) -> list[tuple[Any, ...]]:
        """Every row a lookup must leave as it was (a reprint's sign-in aside)."""
        db = open_database(self.url)
        try:
            return [tuple(r.values()) for m in (Visitor, Visit, Ticket, TicketEvent, AuditEvent,
                                                TicketCounter)
                    for r in m.select().order_by(*m._meta.get_primary_keys()).dicts()
                    if r.get("action") != "account.sign_in"]
        finally:
            db.close()


@pytest.fixture
def hall_cli(db_url: str, capsys: Any) -> Cli:
    return Cli(db_url, capsys)


def with_template(tmp_path: Path, template: str) -> Path:
    assert QR_LINE in SHIPPED
    path = tmp_path / "hall.yaml"
    path.write_text(SHIPPED.replace(QR_LINE, f'qr_template: "{template}"'), encoding="utf-8")
    return path


def test_status_reads_the_qr_payload_a_scanner_reads(hall_cli: Cli, tmp_path: Path) -> None:
    hall_cli.issue(1)
    second = hall_cli.issue(3)
    assert second["qr"].startswith("https://")
    before = hall_cli.rows()
    by_code = hall_cli.json("status", second["query_code"])
    assert by_code["number"] == "L002" and by_code["ahead"] == 1
    for scanned in (second["qr"], second["qr"] + "\r\n", second["qr"].lower()):
        assert hall_cli.json("status", scanned) == by_code, scanned
    status, _, err = hall_cli("ticket", second["qr"], "--svg", str(tmp_path / "slip.svg"),
                             "--staff", "desk01")
    assert status == 0, err
    assert "L002" in (tmp_path / "slip.svg").read_text(encoding="utf-8")
    assert hall_cli.rows() == before


@pytest.mark.parametrize("scanned", [
    "https://xfj.jiangchuan.gov.cn/cx?code=ABCDEFGHJKLM",   # a code the hall never made
    "https://elsewhere.example/cx?code={code}",             # another site's QR code
    "https://xfj.jiangchuan.gov.cn/cx?code=",
])
def test_a_foreign_or_forged_payload_is_refused(hall_cli: Cli, scanned: str) -> None:
    issued = hall_cli.issue(1)
    status, out, err = hall_cli("status", scanned.format(code=issued["query_code"]))
    assert (status, out) == (2, "")
    assert "无效" in err and "Traceback" not in err


def test_a_payload_of_number_and_date_finds_that_days_ticket(
        db_url: str, capsys: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cli = Cli(db_url, capsys, with_template(tmp_path, "JC|{number}|{date:%Y%m%d}"))
    cli.issue(1)
    issued = cli.issue(3)
    assert issued["qr"] == "JC|L002|20261123"
    monkeypatch.setenv("HALL_NOW", "2026-11-24T09:30:00+08:00")  # the next morning
    found = cli.json("status", "jc|l002|20261123")
    assert (found["number"], found["business_day"]) == ("L002", "2026-11-23")
    status, _, err = cli("status", "JC|L002|20261124")
    assert status == 2 and "2026-11-24 没有票号 L002" in err


def test_five_digit_numbers_are_found(hall_cli: Cli) -> None:
    hall_cli.issue(1)
    db = open_database(hall_cli.url)
    try:  # the department has issued 9,999 tickets today
        (TicketCounter.update(last=9999)
         .where((TicketCounter.business_day == date(2026, 11, 23))
                & (TicketCounter.department == "hrss")).execute())
    finally:
        db.close()
    issued = hall_cli.issue(3)
    assert issued["number"] == "L10000"
    before = hall_cli.rows()
    for typed in ("L10000", "l10000", " L10000 "):
        found = hall_cli.json("status", typed)
        assert (found["number"], found["ahead"]) == ("L10000", 1), typed
    assert hall_cli.json("status", issued["qr"])["number"] == "L10000"
    assert hall_cli.json("status", "L001")["number"] == "L001"
    status, _, err = hall_cli("status", "L10001")
    assert status == 2 and "没有票号 L10001" in err
    assert hall_cli.rows() == before
