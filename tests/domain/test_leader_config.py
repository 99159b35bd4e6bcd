"""The leaders section of the configuration: shapes and cross-references, located by file,
line and key like every other problem (see tests/domain/test_config.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import HallConfig
from tests.domain.test_config import _clean_env, assert_located, broken, line_of, problems

__all__ = ["_clean_env"]  # the autouse fixture, imported so it applies here too


def test_the_shipped_leaders(config: HallConfig) -> None:
    assert [x.code for x in config.leaders] == ["zhangwei", "lihong", "wangshu", "shenlv"]
    lawyer = config.leader("shenlv")
    assert lawyer is not None and (lawyer.kind, lawyer.department) == ("lawyer", "lawyer")
    assert lawyer.rules[0].days == [5, 15, 25]
    assert {x.department for x in config.leaders} == {"leader", "lawyer"}
    assert config.leader_settings.publish_days_ahead == 14
    assert config.leader("nobody") is None


@pytest.mark.parametrize(("old", "new", "needle", "key", "expected"), [
    ("    department: leader\n    rules:\n      - {every: month, days: [1],",
     "    department: leaders\n    rules:\n      - {every: month, days: [1],",
     "department: leaders",
     "leaders[0].department", "未知的部门“leaders”"),
    ("  - code: lihong\n", "  - code: zhangwei  # twice\n", "# twice", "leaders[1].code",
     "领导代码“zhangwei”与 leaders[0] 重复"),
    ("    category: legal_advice\n", "    category: legal_advise\n", "legal_advise",
     "leaders[3].category", "未知的诉求类别“legal_advise”"),
    ("closed_without_day: [leader, lawyer]", "closed_without_day: [leadr, lawyer]", "leadr",
     "leader_settings.closed_without_day[0]", "未知的部门“leadr”"),
    ("default_category: other", "default_category: misc", "misc",
     "leader_settings.default_category", "未知的诉求类别“misc”"),
])
def test_leader_cross_references(tmp_path: Path, old: str, new: str, needle: str, key: str,
                                 expected: str) -> None:
    path, text = broken(tmp_path, old, new)
    assert_located(problems(path), path, line_of(text, needle), key, expected)


@pytest.mark.parametrize(("old", "new", "key", "expected"), [
    ('days: [1], start: "09:00", end: "11:30"', 'days: [1], start: "11:30", end: "09:00"',
     "leaders[0].rules[0]", "应晚于开始时间"),
    ('days: [1], start: "09:00"', 'days: [1], start: "9点"', "leaders[0].rules[0].start",
     "HH:MM"),
    ("{every: month, days: [1],", "{every: week, days: [1],", "leaders[0].rules[0]",
     "weekday"),
    ("{every: month, days: [1],", "{every: daily, days: [1],", "leaders[0].rules[0].every",
     "应为以下之一"),
    ("capacity: 8,", "capacity: 0,", "leaders[0].rules[0].capacity", "应不小于 1"),
    ("kind: lawyer", "kind: judge", "leaders[3].kind", "应为以下之一"),
    ("publish_days_ahead: 14", "publish_days_ahead: -1", "leader_settings.publish_days_ahead",
     "应不小于 0"),
])
def test_bad_leader_values(tmp_path: Path, old: str, new: str, key: str, expected: str) -> None:
    path, text = broken(tmp_path, old, new)
    assert_located(problems(path), path, line_of(text, new.strip()), key, expected)
