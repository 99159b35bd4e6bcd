"""The lookup's settings (config.lookup): ``hall status`` reads the few settings it needs from the
compiled copy without pydantic, only while that copy is of the file as it is now; a file changed
since is loaded and validated as by every command, so its mistakes are reported.

The oracle is the configuration validated from the file (``load_config_text``) and, for the
command line, the same command run with no copy at all.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import main
from config import cache as config_cache
from config import load_config, load_config_text, lookup
from tests.helpers import SHIPPED, TEST_PASSWORD, accounts_ready, make_id

NOW = "2026-11-23T09:30:00+08:00"
HRSS = "{code: hrss, name: 市人社局,"  # where the wages ticket goes


@pytest.fixture
def hall_yaml(tmp_path: Path) -> Path:
    path = tmp_path / "hall.yaml"
    path.write_text(SHIPPED, encoding="utf-8")
    return path


def test_the_settings_are_the_validated_files(hall_yaml: Path, tmp_path: Path) -> None:
    load_config(hall_yaml, tmp_path / "cache")
    settings = lookup.read(hall_yaml, tmp_path / "cache")
    cfg = load_config_text(SHIPPED)
    assert settings is not None
    assert (settings.hall.name, settings.hall.code, settings.hall.timezone,
            settings.hall.rollover_hour) == (cfg.hall.name, cfg.hall.code, cfg.hall.timezone,
                                             cfg.hall.rollover_hour)
    assert settings.tickets.qr_template == cfg.tickets.qr_template
    assert [(d.code, d.name, d.prefix) for d in settings.departments] == [
        (d.code, d.name, d.prefix) for d in cfg.departments]
    assert settings.department("xfj").name == cfg.department("xfj").name  # type: ignore[union-attr]
    assert settings.department("nowhere") is None is cfg.department("nowhere")


def test_no_settings_without_a_copy_of_the_file_as_it_is_now(hall_yaml: Path,
                                                             tmp_path: Path) -> None:
    assert lookup.read(hall_yaml, tmp_path / "cache") is None  # never validated
    load_config(hall_yaml, tmp_path / "cache")
    hall_yaml.write_text(SHIPPED.replace(HRSS, "{code: hrss, name: 人社局,", 1), encoding="utf-8")
    assert lookup.read(hall_yaml, tmp_path / "cache") is None  # changed since
    assert lookup.read(tmp_path / "absent.yaml", tmp_path / "cache") is None
    hall_yaml.write_text(SHIPPED, encoding="utf-8")
    assert lookup.read(hall_yaml, tmp_path / "cache") is not None  # the copy's file again
    copy = config_cache.cache_file(tmp_path / "cache", str(hall_yaml))
    head = copy.read_bytes().split(b"\n", 1)[0]
    copy.write_bytes(head + b"\n" + b'{"hall": {"name": 1}}\n')  # damaged, or from other code
    assert lookup.read(hall_yaml, tmp_path / "cache") is None
    copy.write_bytes(head + b"\n" + b'{"hall": ')  # cut short
    assert lookup.read(hall_yaml, tmp_path / "cache") is None


@pytest.fixture
def kiosk(hall_yaml: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
          capsys: pytest.CaptureFixture[str]) -> str:
    """A SQLite hall with one waiting ticket issued under ``hall_yaml``; its query code."""
    for name in ("HALL_STAFF", "HALL_DB"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HALL_CONFIG", str(hall_yaml))
    monkeypatch.setenv("HALL_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("HALL_NOW", NOW)
    monkeypatch.setenv("HALL_DB", f"sqlite:///{tmp_path / 'hall.db'}")
    monkeypatch.setenv("HALL_PASSWORD", TEST_PASSWORD)
    accounts_ready()
    assert main.main(["issue", "--staff", "desk01", "--name", "李秀英", "--id-number",
                      make_id(seq=1), "--category", "wages", "--matter", "工地拖欠工资三个月",
                      "--json"]) == 0
    return str(json.loads(capsys.readouterr().out)["query_code"])


def status(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main.main(["status", *argv])
    said = capsys.readouterr()
    return code, said.out, said.err


def test_hall_status_says_the_same_from_the_copy_as_from_the_file(
        kiosk: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cache = tmp_path / "data" / "cache"
    for argv in ([kiosk], [kiosk, "--json"], ["L001"],
                 [f"https://xfj.jiangchuan.gov.cn/cx?code={kiosk}"]):
        shutil.rmtree(cache)
        from_file = status(capsys, *argv)  # validated, then its copy kept
        assert lookup.read(tmp_path / "hall.yaml", cache) is not None
        assert status(capsys, *argv) == from_file
        assert from_file[0] == 0 and from_file[2] == ""
    assert "L001  市人社局  候谈" in from_file[1]


def test_hall_status_validates_a_file_changed_since_its_copy(
        kiosk: str, hall_yaml: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert status(capsys, kiosk)[0] == 0  # from the copy
    hall_yaml.write_text(SHIPPED.replace(HRSS, "{code: hrss, name: 市人力资源社会保障局,", 1),
                         encoding="utf-8")
    code, out, _ = status(capsys, kiosk)
    assert code == 0 and "L001  市人力资源社会保障局  候谈" in out
    broken = SHIPPED.replace("rollover_hour: 3 ", "rollover_hour: 30", 1)
    hall_yaml.write_text(broken, encoding="utf-8")
    for _ in range(2):  # every time, not only the first
        code, out, err = status(capsys, kiosk)
        assert (code, out) == (2, "")
        assert "配置文件有误" in err and "hall.rollover_hour" in err and "应不大于 23" in err


def test_the_copys_key_names_the_pydantic_that_validated_it() -> None:
    """Read from its version file without importing pydantic; the oracle is pydantic itself."""
    from pydantic import VERSION
    from pydantic.version import _COMPATIBLE_PYDANTIC_CORE_VERSION as CORE

    assert f"VERSION = '{VERSION}'".encode() in config_cache._pydantic_version()
    assert f"'{CORE}'".encode() in config_cache._pydantic_version()
