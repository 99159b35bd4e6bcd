"""The compiled configuration (config.cache): a command restores a file it validated before, and
never one that changed since, nor hides a mistake in it.

Each test loads through ``load_config(path, cache_dir)`` as every command does (``cli.context``),
and proves where the result came from by making validation itself fail when it must not run.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

import config.loader
import main
from config import ConfigError, load_config, load_config_text
from config import cache as config_cache
from tests.helpers import SHIPPED

NAME = "  name: 江川市联合接访中心\n"  # the shipped hall's name line, changed below


@pytest.fixture
def hall_yaml(tmp_path: Path) -> Path:
    path = tmp_path / "hall.yaml"
    path.write_text(SHIPPED, encoding="utf-8")
    return path


def test_shipped_name_line_is_there() -> None:
    assert SHIPPED.count(NAME) == 1


def test_a_validated_file_is_restored_without_validating_again(
        hall_yaml: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_config(hall_yaml, tmp_path / "cache")
    assert config_cache.cache_file(tmp_path / "cache", str(hall_yaml)).exists()
    monkeypatch.setattr(config.loader, "load_config_text",
                        lambda *a: pytest.fail("validated again"))
    again = load_config(hall_yaml, tmp_path / "cache")
    assert again == first == load_config_text(SHIPPED)  # the same hall as validating it gives
    assert again.department("xfj") == first.department("xfj")  # lookups rebuilt too
    assert again.window(1) is not None and again.staff_member("desk01") is not None


def test_an_edited_file_is_validated_again_even_with_the_same_size_and_time(
        hall_yaml: Path, tmp_path: Path) -> None:
    load_config(hall_yaml, tmp_path / "cache")
    st = hall_yaml.stat()
    edited = SHIPPED.replace(NAME, "  name: 江川市联合接访大厅\n")  # same length in bytes
    assert len(edited.encode()) == st.st_size
    hall_yaml.write_text(edited, encoding="utf-8")
    os.utime(hall_yaml, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert load_config(hall_yaml, tmp_path / "cache").hall.name == "江川市联合接访大厅"
    # ... and that copy now answers for the edited file.
    restored = config_cache.read(tmp_path / "cache", str(hall_yaml), hall_yaml.read_bytes())
    assert restored is not None and restored.hall.name == "江川市联合接访大厅"


def test_a_broken_file_reports_its_error_though_a_good_copy_is_kept(
        hall_yaml: Path, tmp_path: Path) -> None:
    good = load_config(hall_yaml, tmp_path / "cache")
    hall_yaml.write_text(SHIPPED.replace("rollover_hour: 3 ", "rollover_hour: 30", 1),
                         encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(hall_yaml, tmp_path / "cache")
    assert "hall.rollover_hour" in str(caught.value) and "应不大于 23" in str(caught.value)
    with pytest.raises(ConfigError):  # every time, not only the first
        load_config(hall_yaml, tmp_path / "cache")
    # Nothing was written for the broken file: put the good text back and the good copy answers.
    hall_yaml.write_text(SHIPPED, encoding="utf-8")
    assert load_config(hall_yaml, tmp_path / "cache") == good


def test_the_command_line_reports_a_broken_file_after_a_good_run(
        hall_yaml: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("HALL_CONFIG", "HALL_DB", "HALL_STAFF", "HALL_NOW"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HALL_DATA", str(tmp_path / "data"))
    argv = ["check-config", "--config", str(hall_yaml)]
    assert main.main(argv) == 0
    assert list((tmp_path / "data" / "cache").glob("config-*.pickle"))
    hall_yaml.write_text(SHIPPED.replace("{code: xfj,", "{code: XFJ,", 1), encoding="utf-8")
    capsys.readouterr()
    assert main.main(argv) == 2
    assert "配置文件有误" in capsys.readouterr().err


def test_a_damaged_copy_is_validated_again_and_replaced(hall_yaml: Path, tmp_path: Path) -> None:
    good = load_config(hall_yaml, tmp_path / "cache")
    copy = config_cache.cache_file(tmp_path / "cache", str(hall_yaml))
    head = copy.read_bytes().split(b"\n", 1)[0]
    copy.write_bytes(head + b"\n" + b"not a pickle")
    assert load_config(hall_yaml, tmp_path / "cache") == good
    assert pickle.loads(copy.read_bytes().split(b"\n", 2)[2]) == good  # key, settings, pickle


def test_a_copy_from_other_code_is_not_used(hall_yaml: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    load_config(hall_yaml, tmp_path / "cache")
    raw = hall_yaml.read_bytes()
    assert config_cache.read(tmp_path / "cache", str(hall_yaml), raw) is not None
    monkeypatch.setattr(config_cache, "_code_digest", [b"an upgraded hall"])
    assert config_cache.read(tmp_path / "cache", str(hall_yaml), raw) is None


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX file modes")
def test_a_copy_others_may_write_is_not_used(hall_yaml: Path, tmp_path: Path) -> None:
    load_config(hall_yaml, tmp_path / "cache")
    copy = config_cache.cache_file(tmp_path / "cache", str(hall_yaml))
    assert copy.stat().st_mode & 0o777 == 0o600
    copy.chmod(0o666)
    assert config_cache.read(tmp_path / "cache", str(hall_yaml), hall_yaml.read_bytes()) is None


def test_a_cache_that_cannot_be_written_is_skipped(hall_yaml: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("", encoding="utf-8")
    assert load_config(hall_yaml, blocked) == load_config_text(SHIPPED)


def test_without_a_cache_dir_nothing_is_written(hall_yaml: Path, tmp_path: Path) -> None:
    load_config(hall_yaml)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hall.yaml"]
