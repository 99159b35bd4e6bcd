"""The ``hall`` command against a broken database: a frozen server, a damaged file, a full disk.

Each runs ``hall`` as a kiosk does, in its own process, and expects exit 1, a Chinese sentence
saying what is wrong (and what to do), no traceback, and nothing written.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import main
from models import open_database
from tests.conftest import PG_URL, _pg_schema_url
from tests.domain.pg_proxy import PgProxy
from tests.helpers import TEST_PASSWORD, accounts_ready, distinct_id

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-11-23T09:30:00+08:00"


def hall(*argv: str, db: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HALL_")}
    env.update(HALL_NOW=NOW, HALL_DATA=str(tmp_path / "data"), HALL_DB=db,
               HALL_PASSWORD=TEST_PASSWORD)
    # The bound only keeps a broken run from hanging the suite; the test asks for exit 1.
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *argv], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.skipif(not PG_URL, reason="HALL_TEST_PG_URL is not set")
def test_frozen_server_exits_1_with_a_sentence(tmp_path: Path) -> None:
    assert PG_URL
    for url in _pg_schema_url(PG_URL):
        accounts_ready(url)
        with PgProxy("127.0.0.1", 5432) as proxy:
            through = proxy.url(url)
            issued = hall("issue", "--name", "李秀英", "--id-number", "11010519491231002X",
                          "--category", "wages", "--matter", "工地拖欠工资三个月",
                          "--district", "jiangbei", "--staff", "desk01",
                          db=through, tmp_path=tmp_path)
            assert issued.returncode == 0, issued.stderr
            waiting = hall("queue", "--json", "--staff", "desk01", db=through, tmp_path=tmp_path)
            assert waiting.returncode == 0, waiting.stderr
            proxy.freeze()
            try:
                frozen = hall("call", "--window", "7", "--staff", "win07", db=through,
                              tmp_path=tmp_path)
                status = hall("status", "L001", db=through, tmp_path=tmp_path)
            except subprocess.TimeoutExpired:
                pytest.fail("hall hung on a frozen server")
            proxy.thaw()
            for run in (frozen, status):
                assert run.returncode == 1
                assert "数据库暂时无法连接" in run.stderr
                assert "Traceback" not in run.stderr
            after = hall("queue", "--json", "--staff", "desk01", db=through, tmp_path=tmp_path)
            assert after.stdout == waiting.stdout  # the call was not applied, then or later
            assert "L001" in after.stdout


def test_damaged_file_says_where_and_how_to_restore(tmp_path: Path) -> None:
    path = tmp_path / "hall.db"
    path.write_bytes(b"this is not a database, it was overwritten" * 200)
    before = path.read_bytes()
    run = hall("status", "L001", db=f"sqlite:///{path}", tmp_path=tmp_path)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "数据库文件已损坏" in run.stderr
    assert str(path) in run.stderr
    assert "备份" in run.stderr
    assert path.read_bytes() == before  # not touched


def test_full_disk_exits_1_with_a_sentence(tmp_path: Path, capsys, monkeypatch) -> None:
    """A full disk met by a command (in-process: the test fills the database's page limit)."""
    url = f"sqlite:///{tmp_path / 'hall.db'}"
    for name in ("HALL_CONFIG", "HALL_DB", "HALL_STAFF"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HALL_NOW", NOW)
    monkeypatch.setenv("HALL_PASSWORD", TEST_PASSWORD)
    accounts_ready(url)
    real_open = open_database

    def full(opened_url: str):  # the command's own connection, limited to its pages
        db = real_open(opened_url)
        pages = db.execute_sql("PRAGMA page_count").fetchone()[0]
        db.execute_sql(f"PRAGMA max_page_count = {pages}")
        return db

    monkeypatch.setattr("models.open_database", full)
    for n in range(1, 300):  # until a ticket needs a page more
        capsys.readouterr()
        status = main.main(["issue", "--name", "李秀英", "--id-number", distinct_id(n),
                            "--category", "wages", "--matter", "工地拖欠工资三个月",
                            "--district", "jiangbei", "--staff", "desk01", "--db", url])
        if status != 0:
            break
    err = capsys.readouterr().err
    assert status == 1
    assert "磁盘已满" in err
    assert "cannot rollback" not in err
    assert "Traceback" not in err
    monkeypatch.undo()
    db = open_database(url)
    assert db.execute_sql("SELECT count(*) FROM ticket").fetchone()[0] == n - 1
    db.close()
