"""The hall's configuration: the shipped hall loads, and every mistake is located and explained.

Each error names the file, the line, the key path and what was expected; an unknown key or code
comes with the nearest valid one. ``hall check-config`` and every other command print the same
message and exit 2, never with a traceback.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import main
from config import DEFAULT_CONFIG, ConfigError, HallConfig, load_config
from tests.helpers import SHIPPED

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = {"xfj", "court", "procuratorate", "police", "hrss", "housing", "land", "rural",
            "discipline", "lawyer", "leader"}


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch, tmp_path) -> None:
    for name in ("HALL_CONFIG", "HALL_DB", "HALL_STAFF", "HALL_NOW"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HALL_DATA", str(tmp_path / "data"))


def write(tmp_path: Path, text: str, name: str = "hall.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def broken(tmp_path: Path, old: str, new: str) -> tuple[Path, str]:
    """The shipped file with ``old`` replaced by ``new`` (which must occur once)."""
    assert SHIPPED.count(old) == 1, old
    text = SHIPPED.replace(old, new)
    return write(tmp_path, text), text


def line_of(text: str, needle: str) -> int:
    lines = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(lines) == 1, (needle, lines)
    return lines[0]


def problems(path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return caught.value


def assert_located(error: ConfigError, path: Path, line: int, key: str, *expected: str) -> None:
    """One of the problems is at ``path:line`` on ``key`` and says all of ``expected``."""
    prefix = f"{path}:{line}: {key}: "
    matching = [str(p) for p in error.problems if str(p).startswith(prefix)]
    assert matching, f"no problem at {prefix!r} in:\n{error}"
    for text in expected:
        assert text in matching[0], (text, matching[0])
    assert f"  {matching[0]}" in str(error).splitlines()


# -- the shipped hall ---------------------------------------------------------------------------


def test_the_shipped_configuration_loads(config: HallConfig) -> None:
    assert config.hall.name == "江川市联合接访中心"
    assert config.hall.timezone == "Asia/Shanghai"
    assert 0 <= config.hall.rollover_hour <= 23
    assert len(config.departments) >= 10
    assert REQUIRED <= {d.code for d in config.departments}
    assert len(config.windows_for("xfj")) >= 3
    for d in config.departments:
        assert config.windows_for(d.code), d.code  # every department is served somewhere
    assert len({d.prefix for d in config.departments}) == len(config.departments)
    assert [g.code for g in config.priority_groups][:1] == ["elderly"]
    assert config.priority_group("elderly").min_age == 70  # type: ignore[union-attr]
    assert (config.collective.threshold, config.collective.max_representatives) == (5, 5)
    limits = config.time_limits
    assert (limits.acceptance_days, limits.handling_days, limits.extension_days) == (15, 60, 30)
    assert len(config.districts) >= 5
    assert {s.role for s in config.staff} >= {"desk", "window", "manager"}


def test_categories_cover_the_kinds_the_hall_sees(config: HallConfig) -> None:
    routes = {c.code: c.department for c in config.categories}
    assert routes["report"] == "discipline"
    assert routes["land_contract"] == "rural"
    assert routes["land_use"] == "land"
    assert routes["wages"] == "hrss"
    assert routes["arrears"] == "housing"
    assert {routes["litigation"], routes["procuratorial"], routes["policing"]} == {
        "court", "procuratorate", "police"}
    assert {"reform", "demolition", "property", "policy", "emergency"} <= set(routes)
    assert config.category("land_contract").district_overrides == {  # type: ignore[union-attr]
        "gaoxin": "land"}


# -- located errors -----------------------------------------------------------------------------


def test_unknown_key_says_did_you_mean(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "  rollover_hour: 3", "  rollover_hours: 3")
    error = problems(path)
    assert_located(error, path, line_of(text, "rollover_hours"), "hall.rollover_hours",
                   "未知的键“rollover_hours”", "是否想写“rollover_hour”")


def test_unknown_key_deep_in_a_list(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "{number: 13, label: 律师咨询席,",
                        "{number: 13, lable: 律师咨询席,")
    assert_located(problems(path), path, line_of(text, "lable"), "windows[12].lable",
                   "是否想写“label”")


def test_category_routing_to_an_unknown_department(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "department: housing, description: 房屋征收补偿",
                        "department: housng, description: 房屋征收补偿")
    assert_located(problems(path), path, line_of(text, "housng"), "categories[1].department",
                   "未知的部门“housng”", "应为以下之一：xfj、", "是否想写“housing”")


def test_district_override_to_unknown_district_and_department(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "district_overrides: {gaoxin: land}",
                        "district_overrides: {gaoxn: lnd}")
    error = problems(path)
    line = line_of(text, "gaoxn")
    assert_located(error, path, line, "categories[4].district_overrides.gaoxn", "未知的属地")
    assert any("未知的部门“lnd”" in str(p) and "是否想写“land”" in str(p)
               for p in error.problems)


def test_two_departments_with_one_prefix(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "name: 市中级人民法院, prefix: F,",
                        "name: 市中级人民法院, prefix: R,")
    assert_located(problems(path), path, line_of(text, "市中级人民法院"),
                   "departments[1].prefix", "票号前缀“R”与 departments[0] 重复")


def test_window_serving_an_unknown_department(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "{number: 7, departments: [hrss]}",
                        "{number: 7, departments: [hrss, labour]}")
    assert_located(problems(path), path, line_of(text, "labour]"), "windows[6].departments[1]",
                   "未知的部门“labour”")


@pytest.mark.parametrize(("old", "new", "needle", "key", "expected"), [
    ("{number: 5, departments: [procuratorate]}", "{number: 4, departments: [procuratorate]}",
     "[procuratorate]", "windows[4].number", "窗口号“4”与 windows[3] 重复"),
    ("{code: policy, name: 政策咨询,", "{code: reform, name: 政策咨询,", "政策咨询,",
     "categories[12].code", "诉求类别代码“reform”与 categories[0] 重复"),
    ("{login: desk02, name: 陈晓峰,", "{login: desk01, name: 陈晓峰,", "陈晓峰",
     "staff[1].login", "工作人员登录名“desk01”"),
    ("role: window, department: court}", "role: window, department: courts}", "courts",
     "staff[5].department", "未知的部门“courts”"),
    ("max_representatives: 5", "max_representatives: 6", "max_representatives",
     "collective.max_representatives", "不应超过集体访起始人数"),
    ("cx?code={code}", "cx?code={cod}", "qr_template", "tickets.qr_template",
     "只能使用 {code}、{number}、{date} 占位符"),
])
def test_cross_references_are_checked(tmp_path: Path, old: str, new: str, needle: str,
                                      key: str, expected: str) -> None:
    path, text = broken(tmp_path, old, new)
    assert_located(problems(path), path, line_of(text, needle), key, expected)


def test_department_without_a_window(tmp_path: Path) -> None:
    path, _ = broken(tmp_path, "  - {number: 11, departments: [discipline]}\n", "")
    assert "没有任何窗口接待" in str(problems(path))


@pytest.mark.parametrize(("old", "new", "key", "expected"), [
    ("threshold: 5 ", "threshold: five ", "collective.threshold", "应为整数，实际为 'five'"),
    ("threshold: 5 ", "threshold: true ", "collective.threshold", "应为整数，实际为 True"),
    ("threshold: 5 ", "threshold: '5' ", "collective.threshold", "应为整数，实际为 '5'"),
    ("{number: 4,", "{number: 4.5,", "windows[3].number", "应为整数"),
    ("{number: 4,", "{number: 4.0,", "windows[3].number", "应为整数"),
    ("rollover_hour: 3", "rollover_hour: 24", "hall.rollover_hour", "应不大于 23，实际为 24"),
    ("name: 陈晓峰", "name: 123", "staff[1].name", "应为文本，实际为 123"),
    ("role: manager", "role: boss", "staff[16].role", "应为以下之一"),
    ("prefix: F,", "prefix: f,", "departments[1].prefix", "应为1到2个大写英文字母"),
    ("{code: jiangbei, name: 江北区}", "{code: JiangBei, name: 江北区}", "districts[0].code",
     "小写英文字母开头"),
    ("departments: [court]}", "departments: court}", "windows[3].departments",
     "应为列表"),
    ("{number: 5, departments: [procuratorate]}", "{number: 5, departments: []}",
     "windows[4].departments", "至少应有 1 项"),
    ("  - {code: disabled, name: 残疾人}", "  - disabled", "priority_groups[1]",
     "应为映射"),
    ("min_age: 70", "min_age: old", "priority_groups[0].min_age", "应为整数"),
])
def test_wrong_types_and_values(tmp_path: Path, old: str, new: str, key: str,
                                expected: str) -> None:
    path, text = broken(tmp_path, old, new)
    assert_located(problems(path), path, line_of(text, new.strip()), key, expected)


def test_missing_required_key(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "  name: 江川市联合接访中心\n", "")
    assert_located(problems(path), path, line_of(text, "hall:"), "hall.name", "缺少必填项")
    path, text = broken(tmp_path, "{code: xfj, name: 信访局综合接待, prefix: R,",
                        "{code: xfj, name: 信访局综合接待,")
    assert_located(problems(path), path, line_of(text, "信访局综合接待"),
                   "departments[0].prefix", "缺少必填项")


def test_missing_section(tmp_path: Path) -> None:
    start = SHIPPED.index("districts:")
    end = SHIPPED.index("categories:")
    path = write(tmp_path, SHIPPED[:start] + SHIPPED[end:])
    error = problems(path)
    assert any(p.dotted == "districts" and "缺少必填项" in p.message for p in error.problems)


def test_yaml_syntax_error(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "  rollover_hour: 3", "   rollover_hour: 3")
    assert_located(problems(path), path, line_of(text, "rollover_hour"), "(根)", "YAML 语法错误")


def test_yaml_syntax_error_names_where_the_construct_began(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "  rollover_hour: 3", "  rollover_hour: [3")
    error = str(problems(path))
    assert "YAML 语法错误" in error
    assert f"始于第 {line_of(text, 'rollover_hour: [3')} 行" in error


def test_duplicate_key_is_not_silently_dropped(tmp_path: Path) -> None:
    path = write(tmp_path, SHIPPED + "\nhall:\n  name: 另一个大厅\n")
    error = problems(path)
    last = len((SHIPPED + "\nhall:\n").splitlines())
    assert_located(error, path, last, "hall", "键“hall”重复", "第 4 行")


def test_duplicate_key_inside_an_entry(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "{number: 4, departments: [court]}",
                        "{number: 4, departments: [court], number: 44}")
    assert_located(problems(path), path, line_of(text, "number: 44"), "windows[3].number",
                   "键“number”重复")


def test_anchors_and_merge_keys_are_not_duplicates(tmp_path: Path) -> None:
    path, _ = broken(tmp_path,
                     "  - {number: 1, departments: [xfj]}\n  - {number: 2, departments: [xfj]}",
                     "  - &w {number: 1, departments: [xfj]}\n  - {<<: *w, number: 2}")
    cfg = load_config(path)
    assert [(w.number, w.departments) for w in cfg.windows[:2]] == [(1, ["xfj"]), (2, ["xfj"])]


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n", "- a\n- b\n", "just text"])
def test_empty_or_non_mapping_file(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    assert_located(problems(path), path, 1, "(根)", "应为一个映射")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    error = problems(path)
    assert str(error.problems[0]) == f"{path}:0: (根): 文件不存在"


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "binary.yaml"
    path.write_bytes(b"\xff\xfe\x00bad")
    assert "无法读取" in str(problems(path))


def test_bad_time_zone(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "timezone: Asia/Shanghai", "timezone: Asia/Shanghi")
    assert_located(problems(path), path, line_of(text, "Shanghi"), "hall.timezone",
                   "应为IANA时区名", "Asia/Shanghi")


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path, _ = broken(tmp_path, "  rollover_hour: 3", "  rollover_hour: 99\n  colour: red")
    error = problems(path)
    assert {p.dotted for p in error.problems} == {"hall.rollover_hour", "hall.colour"}


def test_problems_as_json_data(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "  rollover_hour: 3", "  rollover_hours: 3")
    data = problems(path).problems[0].as_dict()
    assert data == {"file": str(path), "line": line_of(text, "rollover_hours"),
                    "path": "hall.rollover_hours", "message": data["message"],
                    "suggestion": "rollover_hour"}


# -- hall check-config, and every command on a broken file ---------------------------------------


def test_check_config_prints_a_summary(capsys) -> None:
    assert main.main(["check-config"]) == 0
    out = capsys.readouterr().out
    assert "配置正确：江川市联合接访中心" in out
    assert "信访局综合接待" in out and "1号、2号、3号" in out


def test_check_config_json(capsys, config: HallConfig) -> None:
    assert main.main(["check-config", "--json", "--config", str(DEFAULT_CONFIG)]) == 0
    data = json.loads(capsys.readouterr().out)
    departments = {d["code"]: d for d in data["departments"]}
    assert REQUIRED <= set(departments)
    assert departments["xfj"] == {"code": "xfj", "name": "信访局综合接待", "prefix": "R",
                                  "windows": [1, 2, 3]}
    assert departments["land"]["windows"] == [9, 10]
    for d in data["departments"]:
        assert {"code", "name", "prefix", "windows"} <= set(d)
    windows = {w["number"]: w for w in data["windows"]}
    assert windows[3]["departments"] == ["xfj", "environment"]
    assert windows[13]["label"] == "律师咨询席"
    categories = {c["code"]: c for c in data["categories"]}
    assert {"code": "wages", "name": "农民工工资", "department": "hrss"}.items() <= (
        categories["wages"].items())
    assert len(categories) == len(config.categories)
    assert {"code": "gaoxin", "name": "高新区"} in data["districts"]
    assert [g["code"] for g in data["priority_groups"]] == [
        g.code for g in config.priority_groups]


@pytest.fixture
def bad_config(tmp_path: Path) -> tuple[Path, str]:
    path, text = broken(tmp_path, "  rollover_hour: 3", "  rollover_hours: 3")
    return path, f"{path}:{line_of(text, 'rollover_hours')}: hall.rollover_hours: "


@pytest.mark.parametrize("argv", [
    ["check-config"],
    ["check-config", "--json"],
    ["issue", "--name", "张三", "--id-number", "11010519491231002X", "--category", "wages",
     "--matter", "欠薪", "--staff", "desk01"],
    ["status", "L001"],
    ["ticket", "L001", "--png", "x.png"],
])
def test_a_broken_config_stops_every_command_with_the_same_message(
        argv: list[str], bad_config: tuple[Path, str], capsys, tmp_path: Path) -> None:
    path, located = bad_config
    assert main.main(["--config", str(path), *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("配置文件有误：\n")
    assert located in captured.err
    assert "是否想写“rollover_hour”" in captured.err
    assert not (tmp_path / "data").exists()  # no database was created


def test_the_config_can_come_from_hall_config(bad_config: tuple[Path, str], capsys,
                                              monkeypatch) -> None:
    path, located = bad_config
    monkeypatch.setenv("HALL_CONFIG", str(path))
    assert main.main(["status", "L001"]) == 2
    assert located in capsys.readouterr().err


def test_a_missing_config_file_exits_2(tmp_path: Path, capsys) -> None:
    assert main.main(["check-config", "--config", str(tmp_path / "none.yaml")]) == 2
    assert "none.yaml:0: (根): 文件不存在" in capsys.readouterr().err


def test_a_real_process_exits_2_without_a_traceback(bad_config: tuple[Path, str],
                                                    tmp_path: Path) -> None:
    path, located = bad_config
    for argv in (["check-config"], ["status", "L001"]):
        done = subprocess.run([sys.executable, "-m", "main", "--config", str(path), *argv],
                              cwd=ROOT, capture_output=True, text=True, timeout=60,
                              env={"PATH": "/usr/bin:/bin", "HALL_DATA": str(tmp_path / "d")})
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr
        assert located in done.stderr
        assert done.stdout == ""
