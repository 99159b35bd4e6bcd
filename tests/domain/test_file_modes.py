"""The hall's files are readable by their owner only (issue 11 §4): the SQLite file and its -wal
and -shm 0600, the data directory and the folders the hall writes in (tickets, exports, reports,
cache) 0700; a looser file or folder is tightened when the database is opened. The umask is set
to the common 022 so that anything left to it would come out readable by all."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

import main
from config import HallConfig
from config.paths import data_dir, database_url, private_database, private_dir
from hall import Hall
from hall.clock import FixedClock
from models import open_database
from tests.conftest import MORNING
from tests.helpers import cli_env, form


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The data directory ($HALL_DATA), not made yet."""
    cli_env(monkeypatch, tmp_path, MORNING.isoformat(), "desk01")
    return data_dir()


def companions(db: Path) -> list[Path]:
    return [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]


def test_a_new_database_and_its_wal_and_shm_are_the_owners_only(
        data: Path, config: HallConfig) -> None:
    data.mkdir()  # as the command line makes it (cli.context): the umask's 0755
    assert mode(data) == 0o755
    hall = Hall(open_database(database_url()), config, FixedClock(MORNING))
    hall.desk.issue(form(), actor="desk01")  # a write: the -wal and -shm exist now
    db = data / "hall.db"
    assert [(p.name, mode(p)) for p in companions(db)] == [
        ("hall.db", 0o600), ("hall.db-wal", 0o600), ("hall.db-shm", 0o600)]
    assert mode(data) == 0o700
    hall.db.close()


def test_looser_files_and_folder_are_tightened_at_open(data: Path, config: HallConfig) -> None:
    data.mkdir()
    db = data / "hall.db"
    other = sqlite3.connect(db)  # another terminal keeps the -wal and -shm open
    other.execute("PRAGMA journal_mode=wal")
    other.execute("CREATE TABLE t (x)")
    other.execute("INSERT INTO t VALUES (1)")
    other.commit()
    for p in (data, *companions(db)):
        p.chmod(0o755 if p == data else 0o644)
    open_database(database_url()).close()
    assert [mode(p) for p in companions(db)] == [0o600, 0o600, 0o600]
    assert mode(data) == 0o700
    other.close()


def test_a_folder_outside_the_data_directory_is_left_as_it_is(
        data: Path, tmp_path: Path, config: HallConfig) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    hall = Hall(open_database(f"sqlite:///{shared / 'hall.db'}"), config, FixedClock(MORNING))
    hall.desk.issue(form(), actor="desk01")
    assert [mode(p) for p in companions(shared / "hall.db")] == [0o600, 0o600, 0o600]
    assert mode(shared) == 0o755  # the administrator's folder
    assert not data.exists()  # nothing made in the data directory
    hall.db.close()


def test_only_regular_files_and_folders_are_touched(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "a.db"
    folder.mkdir(mode=0o755)
    private_database(folder)  # a folder where the file should be: SQLite will say so
    assert mode(folder) == 0o755
    private_database(tmp_path / "missing" / "hall.db")  # no folder: SQLite will say so
    assert not (tmp_path / "missing").exists()
    private_database(":memory:")
    assert not Path(":memory:").exists()
    open_database(":memory:").close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.db"]


def test_private_dir_makes_every_missing_folder_0700_and_tightens_an_existing_one(
        tmp_path: Path) -> None:
    before = mode(tmp_path)
    made = private_dir(tmp_path / "a" / "b" / "tickets")
    assert [mode(p) for p in (tmp_path / "a", tmp_path / "a" / "b", made)] == [0o700] * 3
    loose = tmp_path / "exports"
    loose.mkdir(mode=0o775)
    loose.chmod(0o775)
    assert private_dir(loose) == loose and mode(loose) == 0o700
    assert mode(tmp_path) == before  # a parent that was there is not the hall's to change


def test_a_command_makes_the_data_directory_database_and_cache_private(
        data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main.main(["leader-days", "--json"]) == 0  # open to all: no account needed
    assert mode(data) == 0o700
    assert mode(data / "hall.db") == 0o600
    assert mode(data / "cache") == 0o700


def test_the_schedule_export_folder_is_private(data: Path, config: HallConfig,
                                               tmp_path: Path) -> None:
    from config.paths import exports_dir
    from hall.export.month import save_month

    hall = Hall(open_database(f"sqlite:///{tmp_path / 'hall.db'}"), config, FixedClock(MORNING))
    save_month(hall, 2026, 11, exports_dir())
    assert mode(data) == 0o700 and mode(exports_dir()) == 0o700
    hall.db.close()
