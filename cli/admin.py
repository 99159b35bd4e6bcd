"""``hall check-config`` and ``hall demo``: the hall's setup, checked and shown.

    hall check-config [--json]     validate the configuration and summarise it
    hall demo                      a database holding a living morning, to look around

``check-config`` exits 2 with every problem of a broken configuration (file, line, key, the
nearest valid value). ``demo`` builds ``demo.db`` in the data directory (:mod:`config.paths`)
unless ``--db`` / HALL_DB names another, and prints the command that opens it (signed in with the
demo's password, which every account of a demo database shares: :data:`hall.demo.DEMO_PASSWORD`).

Neither signs in: ``check-config`` reads only the configuration file, and ``demo`` only builds a
new database (it refuses one that holds data), so there is no account yet to sign in to.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path
from typing import Any

from cli.context import Context, UsageError, print_json


def cmd_check_config(ctx: Context) -> int:
    """Validate the configuration and summarise it (as JSON with --json)."""
    config = ctx.config
    summary = {
        "hall": {"name": config.hall.name, "code": config.hall.code,
                 "timezone": config.hall.timezone, "rollover_hour": config.hall.rollover_hour},
        "departments": [{"code": d.code, "name": d.name, "prefix": d.prefix,
                         "windows": [w.number for w in config.windows_for(d.code)]}
                        for d in config.departments],
        "windows": [{"number": w.number, "label": w.title, "departments": w.departments}
                    for w in config.windows],
        "categories": [{"code": c.code, "name": c.name, "department": c.department,
                        "district_overrides": c.district_overrides} for c in config.categories],
        "districts": [{"code": d.code, "name": d.name} for d in config.districts],
        "priority_groups": [{"code": g.code, "name": g.name, "min_age": g.min_age}
                            for g in config.priority_groups],
        "collective": config.collective.model_dump(),
        "time_limits": config.time_limits.model_dump(),
        "staff": [{"login": s.login, "name": s.name, "role": s.role} for s in config.staff],
        "outcomes": [{"code": o.code, "name": o.name, "refusal": o.refusal}
                     for o in config.outcomes],
        "leaders": [{"code": x.code, "name": x.name, "title": x.title, "kind": x.kind,
                     "department": x.department, "portfolio": x.portfolio,
                     "rules": [r.describe() for r in x.rules]} for x in config.leaders],
        "incident_types": [{"code": t.code, "name": t.name, "severity": t.severity}
                           for t in config.incidents.types],
        "incident_actions": [{"code": a.code, "name": a.name} for a in config.incidents.actions],
    }
    if ctx.args.json:
        print_json(summary)
        return 0
    print(f"配置正确：{config.hall.name}（{config.hall.timezone}，每日 "
          f"{config.hall.rollover_hour:02d}:00 换日）")
    print(f"  部门 {len(config.departments)} 个，窗口 {len(config.windows)} 个，属地 "
          f"{len(config.districts)} 个，诉求类别 {len(config.categories)} 个，工作人员 "
          f"{len(config.staff)} 人")
    for d in summary["departments"]:
        windows = "、".join(f"{n}号" for n in d["windows"])
        print(f"  {d['prefix']:>2}  {d['code']:<14} {d['name']}（窗口 {windows}）")
    groups = "、".join(g.name for g in config.priority_groups) or "无"
    print(f"  优先顺序：{groups}；集体访 {config.collective.threshold} 人起，代表至多 "
          f"{config.collective.max_representatives} 名")
    limits = config.time_limits
    print(f"  时限：受理告知 {limits.acceptance_days} 日，办理 {limits.handling_days} 日，"
          f"可延期 {limits.extension_days} 日")
    for x in config.leaders:
        rules = "；".join(r.describe() for r in x.rules) or "无固定规则"
        print(f"  接待  {x.code:<12} {x.label}（{rules}）")
    high = sum(t.severity == "high" for t in config.incidents.types)
    print(f"  特殊情况类型 {len(config.incidents.types)} 种（高级别 {high} 种，登记后全员提示），"
          f"处置措施 {len(config.incidents.actions)} 项")
    return 0



def cmd_demo(ctx: Context) -> int:
    """Build the demo hall and print the command that opens it at the demo's moment."""
    from config.paths import demo_database
    from hall.demo import DEMO_PASSWORD, DemoError, build_demo, demo_end

    args = ctx.args
    db = args.db or os.environ.get("HALL_DB") or f"sqlite:///{demo_database()}"
    args.db = db
    hall = ctx.hall
    try:
        summary = build_demo(hall)
    except DemoError as exc:
        raise UsageError(str(exc)) from None
    print(summary)
    end = demo_end(hall).astimezone(hall.tz)
    print(f"演示时间：{end:%Y-%m-%d} 周{'一二三四五六日'[end.weekday()]} {end:%H:%M}，大厅正忙、"
          "有人候谈；下面的命令以那一刻打开大厅（另开终端把 --staff desk01 换成 "
          "--staff win07 window 7 或 board，看叫号传到大屏）。")
    # The demo's accounts share one password (printed in the summary): the line signs in with it.
    password = f"HALL_PASSWORD={DEMO_PASSWORD} " if DEMO_PASSWORD in summary else ""
    print(f"打开演示大厅：HALL_NOW={end.isoformat(timespec='minutes')} {password}"
          f"{shlex.quote(hall_command())} --db {shlex.quote(db)} --staff desk01")
    return 0


def hall_command() -> str:
    """The full path of this ``hall`` executable: after the README's line it is not on PATH.

    The script being run when it is one (``.venv/bin/hall``), else ``hall`` beside the running
    Python (the venv's bin), else plain ``hall``.
    """
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.name == "hall" and script.is_file():
        return os.path.abspath(script)
    beside = Path(sys.executable).parent / "hall"
    return os.path.abspath(beside) if beside.is_file() else "hall"


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``check-config`` and ``demo`` to ``hall``'s sub-command parser."""
    p = sub.add_parser("check-config", parents=[common], help="检查配置文件")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_check_config)
    sub.add_parser("demo", parents=[common], help="生成演示数据库").set_defaults(func=cmd_demo)
