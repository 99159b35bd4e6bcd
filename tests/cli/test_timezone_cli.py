"""The hall's time zone resolves on a machine without a system zone database (tzdata shipped)."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_tzdata_is_a_runtime_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = [d.split(">")[0].split("=")[0].split("<")[0].strip() for d in project["dependencies"]]
    assert "tzdata" in names


def test_asia_shanghai_without_a_system_zone_database(tmp_path: Path) -> None:
    empty = tmp_path / "zoneinfo"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("HALL_CONFIG", "HALL_DB", "TZ")}
    env.update(PYTHONTZPATH=str(empty), HALL_DB=str(tmp_path / "hall.sqlite"),
               HALL_NOW="2026-11-23T09:30:00+08:00", PYTHONPATH=str(ROOT))
    probe = ("import zoneinfo, runpy, sys; assert zoneinfo.TZPATH == (sys.argv[1],)\n"
             "sys.argv[1:] = ['check-config']\n"
             "runpy.run_module('main', run_name='__main__')")
    done = subprocess.run([sys.executable, "-c", probe, str(empty)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Asia/Shanghai" not in done.stderr
