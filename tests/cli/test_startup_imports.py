"""What ``hall status`` loads: a kiosk runs it per visitor, so it loads only what it uses.

On SQLite it never imports the PostgreSQL driver (peewee would, see :mod:`models.drivers`), nor
Textual, and once the configuration has been validated and compiled (config.cache) neither YAML,
pydantic and the configuration's models (it reads its few settings from the copy, config.lookup)
nor the contexts a status lookup does not use (reception days, incidents, the board, windows), nor
the other commands' modules.
Each command runs as a real process and reports ``sys.modules`` as it exits.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import main
from tests.helpers import TEST_PASSWORD, accounts_ready, make_id

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-11-23T09:30:00+08:00"
NEVER = ("psycopg2", "psycopg", "textual", "rich", "screens")
UNUSED = ("yaml", "pydantic", "pydantic_core", "config.schema", "config.loader", "cli.admin",
          "cli.windows", "cli.leaders", "cli.incidents", "hall.leaders", "hall.incidents",
          "hall.board", "hall.windows", "playhouse.migrate")

# Runs hall as the installed script does, then prints the modules it loaded.
REPORT = """
import json, sys
from main import main
status = main()
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
sys.exit(status)
"""


def hall_process(env: dict[str, str], *argv: str) -> tuple[int, str, set[str]]:
    done = subprocess.run([sys.executable, "-c", REPORT, *argv], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    modules = set(json.loads(done.stderr.strip().splitlines()[-1]))
    return done.returncode, done.stdout, modules


def loaded(modules: set[str], roots: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == r or m.startswith(r + ".") for r in roots))


@pytest.fixture
def kiosk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
          capsys: pytest.CaptureFixture[str]) -> tuple[dict[str, str], str]:
    """A SQLite hall holding one ticket: the environment of its commands, and the query code."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("HALL_CONFIG", "HALL_STAFF", "PYTHONPATH")}
    env.update(HALL_DB=f"sqlite:///{tmp_path / 'hall.db'}", HALL_DATA=str(tmp_path / "data"),
               HALL_NOW=NOW, PYTHONPATH=str(ROOT), HALL_PASSWORD=TEST_PASSWORD)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    accounts_ready()
    capsys.readouterr()
    assert main.main(["issue", "--staff", "desk01", "--name", "李秀英", "--id-number",
                      make_id(seq=1), "--category", "wages", "--matter", "工地拖欠工资三个月",
                      "--json"]) == 0
    return env, json.loads(capsys.readouterr().out)["query_code"]


def test_hall_status_on_sqlite_loads_no_driver_no_ui_and_from_its_cache_no_yaml(
        kiosk: tuple[dict[str, str], str], tmp_path: Path) -> None:
    env, code = kiosk
    for _ in range(2):  # the first run after the issue might validate; the second must not
        status, out, modules = hall_process(env, "status", code)
        assert status == 0 and "候谈" in out, out
        assert loaded(modules, NEVER) == []
    assert loaded(modules, UNUSED) == []
    assert {"peewee", "config.lookup", "cli.desk"} <= modules  # the probe sees imports


def test_a_postgresql_url_still_loads_its_driver(kiosk: tuple[dict[str, str], str]) -> None:
    """A PostgreSQL URL goes through psycopg2 (here one nobody answers: exit 1, in Chinese);
    with HALL_TEST_PG_URL every PostgreSQL test of the suite runs on the driver handed over."""
    env, code = kiosk
    url = "postgresql://nobody@127.0.0.1:1/none?connect_timeout=1"
    status, _, modules = hall_process({**env, "HALL_DB": url}, "status", code)
    assert "psycopg2" in modules
    assert status == 1


# What peewee's module holds for psycopg2: imported with it, or handed over later.
DRIVER_STATE = """
import json, sys, uuid
{prelude}
import peewee, psycopg2, psycopg2.extensions as ext, psycopg2.extras as extras
a = peewee.Psycopg2Adapter
print(json.dumps({{
    "psycopg2": peewee.psycopg2 is psycopg2, "extensions": peewee.pg_extensions is ext,
    "register_uuid": peewee.pg_register_uuid is extras.register_uuid,
    "json": peewee.Json_pg2 is extras.Json,
    "txn": [a.txn_idle, a.txn_inerror, a.txn_unknown],
    "uuid_adapted": (uuid.UUID, ext.ISQLQuote) in ext.adapters,
    "adapter_json": a().json_type is extras.Json,
}}))
"""


def driver_state(prelude: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", DRIVER_STATE.format(prelude=prelude)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_driver_handed_over_later_is_what_peewee_imports_itself() -> None:
    own = driver_state("import peewee")  # peewee's own import, psycopg2 found at once
    late = driver_state("import models, sys\n"
                        "assert 'psycopg2' not in sys.modules and models.drivers.peewee.psycopg2"
                        " is None\n"
                        "models.drivers.load_postgres_driver()")
    assert own == late
    assert all(v for k, v in own.items() if k != "txn")


@pytest.mark.skipif(not os.environ.get("HALL_TEST_PG_URL"), reason="HALL_TEST_PG_URL is not set")
def test_a_driver_handed_over_later_talks_to_postgresql() -> None:
    """In a process whose peewee came without drivers, as ``hall`` runs (reads only)."""
    script = ("import sys, uuid, models\n"
              "assert 'psycopg2' not in sys.modules\n"
              "db = models.open_database(sys.argv[1])\n"
              "u = uuid.uuid4()\n"
              "row = db.execute_sql('SELECT %s::uuid, %s::jsonb', (u, models.drivers.peewee"
              ".Json_pg2({'a': 1}))).fetchone()\n"
              "assert row == (u, {'a': 1}), row  # UUIDs come back as peewee makes them\n"
              "print(db.server_version)\n")
    done = subprocess.run([sys.executable, "-c", script, os.environ["HALL_TEST_PG_URL"]],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
