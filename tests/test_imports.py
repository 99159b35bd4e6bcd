"""Import hygiene: the domain (hall/), the tables (models/) and the configuration (config/) never
load Textual, so the CLI, kiosks, benchmarks and other programs can use them without a terminal UI;
nor do they load the adapters (cli/, main.py). The command line (cli/) never loads Textual either:
only main.py opens the screens, and only when a screen's command runs.

Every module file is imported in a fresh interpreter, one at a time, and ``sys.modules`` is
checked afterwards: an indirect import through another module counts too.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = ("hall", "models", "config")
FORBIDDEN = ("textual", "rich", "screens")
ADAPTERS = ("cli", "main")


def core_modules(*packages: str) -> list[str]:
    names = []
    for package in packages or CORE:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


MODULES = core_modules()
CLI_MODULES = core_modules("cli")

# One interpreter; each module is imported in a forked child that starts with no project module
# loaded, so every module is judged on its own. Third-party libraries are imported once before
# forking (only to save time), after checking that they do not load the UI themselves.
PROBE = """
import importlib, json, os, sys

FORBIDDEN = ("textual", "rich", "screens")
ADAPTERS = ("cli", "main")

def forbidden(roots=FORBIDDEN):
    return sorted(m for m in sys.modules if m.split(".")[0] in roots)

for lib in ("peewee", "playhouse.migrate", "pydantic.main", "pydantic.fields", "yaml",
            "PIL.Image", "PIL.ImageDraw", "PIL.ImageFont", "qrcode",
            "pypinyin", "psycopg2"):
    try:
        importlib.import_module(lib)
    except ImportError:
        pass
results = {"<third-party>": forbidden()}
for name in sys.argv[1:]:
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            importlib.import_module(name)
            out = forbidden() + ["adapter: " + m for m in forbidden(ADAPTERS)]
        except BaseException as exc:
            out = ["import failed: " + repr(exc)]
        os.write(w, json.dumps(out).encode())
        os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    results[name] = json.loads(data)
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def loaded() -> dict[str, list[str]]:
    """For each module (and main.py), the UI modules that importing it alone loaded (and, marked
    "adapter: ", the modules of cli/ and main.py it loaded)."""
    done = subprocess.run([sys.executable, "-c", PROBE, *MODULES, *CLI_MODULES, "main"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_every_core_module_is_found() -> None:
    assert {"hall", "hall.facade", "hall.desk.registration", "models", "models.migrations",
            "config", "config.schema", "config.loader", "config.paths"} <= set(MODULES)
    assert {"cli", "cli.context", "cli.desk", "cli.leaders"} <= set(CLI_MODULES)


def test_the_libraries_themselves_do_not_load_the_ui(loaded: dict[str, list[str]]) -> None:
    assert loaded["<third-party>"] == []


@pytest.mark.parametrize("module", MODULES)
def test_core_module_never_loads_textual(module: str, loaded: dict[str, list[str]]) -> None:
    assert loaded[module] == [], f"importing {module} loaded {loaded[module]}"


def test_the_cli_module_loads_the_ui_only_to_run_it(loaded: dict[str, list[str]]) -> None:
    assert ui(loaded["main"]) == []


@pytest.mark.parametrize("module", CLI_MODULES)
def test_the_command_modules_never_load_textual_nor_main(module: str,
                                                         loaded: dict[str, list[str]]) -> None:
    assert ui(loaded[module]) == [], f"importing {module} loaded {loaded[module]}"
    assert "adapter: main" not in loaded[module]


def ui(names: list[str]) -> list[str]:
    """The UI modules among what a probe reports (cli/ and main.py's own left out)."""
    return [n for n in names if not n.startswith("adapter: ")]


def test_the_probe_would_notice(tmp_path: Path) -> None:
    """The check is not vacuous: a module that imports textual is caught."""
    (tmp_path / "leaky.py").write_text("import textual\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", PROBE, "leaky"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60,
                          env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert "textual" in json.loads(done.stdout)["leaky"]
