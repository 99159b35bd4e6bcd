"""Mutation testing of the core rules, per module (issue 15). Not part of CI: it takes minutes.

    .venv/bin/pip install -q -e '.[test,mutation]'
    .venv/bin/python benchmarks/mutation.py                       # every module in [tool.mutmut]
    .venv/bin/python benchmarks/mutation.py hall/windows/acts.py  # one module (a path or a glob)
    .venv/bin/python benchmarks/mutation.py --report              # the last run's results again

mutmut (configured in pyproject.toml's [tool.mutmut]) copies the code into ``mutants/``, changes
one token at a time and reruns the tests that reach the changed function. A mutant the tests
notice is *killed*; one they don't is *survived*: a way to break the rule that the suite would let
through. This script runs mutmut, then prints, per module, mutants tried, killed, survived (and
timeouts, mutants no test reaches), each survivor's line and change, and marks the survivors
written down in ``benchmarks/mutation_equivalent.toml`` as equivalent (a change that cannot alter
behaviour, with the reason). Exit 0 when no survivor is left unexplained, 1 otherwise.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT_FILE = Path(__file__).resolve().parent / "mutation_equivalent.toml"

# mutmut's exit codes, as its own stats module names them (mutmut.stats.status_by_exit_code):
# read from it when installed so a new release's codes are not misread.
try:
    from mutmut.stats import status_by_exit_code as _STATUS
except ImportError:  # pragma: no cover - the script says how to install it below
    _STATUS = None


def configured_modules() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(config["tool"]["mutmut"]["source_paths"])


def dotted(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


def equivalents() -> dict[str, str]:
    """Mutant name → why it cannot change behaviour (written down by a person, not guessed)."""
    if not EQUIVALENT_FILE.exists():
        return {}
    data = tomllib.loads(EQUIVALENT_FILE.read_text(encoding="utf-8"))
    return {name: reason for name, reason in data.get("equivalent", {}).items()}


def run_mutmut(modules: list[str]) -> int:
    patterns = [dotted(m) + ".*" for m in modules]
    command = [sys.executable, "-m", "mutmut", "run", *patterns]
    print("+", " ".join(command), flush=True)
    return subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL).returncode


def results(module: str) -> dict[str, int | None]:
    meta = ROOT / "mutants" / (module + ".meta")
    if not meta.exists():
        return {}
    return json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]


def change_of(name: str) -> tuple[str, str]:
    """The survivor's original and mutated line, from ``mutmut show``'s diff."""
    shown = subprocess.run([sys.executable, "-m", "mutmut", "show", name], cwd=ROOT,
                           capture_output=True, text=True).stdout
    old = [line[1:].strip() for line in shown.splitlines()
           if line.startswith("-") and not line.startswith("---")]
    new = [line[1:].strip() for line in shown.splitlines()
           if line.startswith("+") and not line.startswith("+++")]
    return (old[0] if old else "?"), (new[0] if new else "?")


def line_number(module: str, name: str, text: str) -> int | None:
    """The line of ``text`` inside the mutated function (mutmut names it x_func or xǁClassǁfunc)."""
    function = name.rsplit(".", 1)[-1].rsplit("__mutmut_", 1)[0]
    function = function.split("ǁ")[-1] if "ǁ" in function else function.removeprefix("x_")
    lines = (ROOT / module).read_text(encoding="utf-8").splitlines()
    start = next((i for i, line in enumerate(lines)
                  if line.lstrip().startswith((f"def {function}(", f"async def {function}("))), 0)
    for number, line in enumerate(lines[start:], start + 1):
        if line.strip() == text:
            return number
    return None


def report(modules: list[str]) -> int:
    known = equivalents()
    unexplained = 0
    rows = []
    print()
    for module in modules:
        codes = results(module)
        if not codes:
            print(f"{module}: no results (run without --report first)")
            continue
        status = Counter(_STATUS[code] for code in codes.values())
        survivors = sorted(name for name, code in codes.items() if _STATUS[code] == "survived")
        explained = [name for name in survivors if name in known]
        rows.append((module, len(codes), status["killed"], len(survivors), len(explained),
                     status["timeout"], status["no tests"]))
        for name in survivors:
            old, new = change_of(name)
            where = line_number(module, name, old)
            mark = "equivalent" if name in known else "SURVIVED"
            print(f"{mark:10} {module}:{where or '?'}  {name.rsplit('.', 1)[-1]}")
            print(f"           - {old}\n           + {new}")
            if name in known:
                print(f"           ({known[name]})")
            else:
                unexplained += 1
    print()
    header = ("module", "tried", "killed", "survived", "equivalent", "timeout", "no tests")
    width = max(len(r[0]) for r in rows) if rows else 10
    print(f"{header[0]:{width}}  " + "  ".join(f"{h:>10}" for h in header[1:]))
    for row in rows:
        print(f"{row[0]:{width}}  " + "  ".join(f"{v:>10}" for v in row[1:]))
    total = [sum(r[i] for r in rows) for i in range(1, 7)]
    print(f"{'total':{width}}  " + "  ".join(f"{v:>10}" for v in total))
    print(f"\nunexplained survivors: {unexplained}")
    return 1 if unexplained else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*",
                        help="paths or globs among [tool.mutmut] source_paths")
    parser.add_argument("--report", action="store_true", help="print the last run's results only")
    args = parser.parse_args(argv)
    if _STATUS is None:
        print("mutmut is not installed: .venv/bin/pip install -q -e '.[test,mutation]'")
        return 2
    configured = configured_modules()
    modules = [m for m in configured
               if not args.modules or any(fnmatch.fnmatch(m, p) for p in args.modules)]
    if not modules:
        print(f"no configured module matches {args.modules}; configured: {configured}")
        return 2
    if not args.report:
        run_mutmut(modules)
    return report(modules)


if __name__ == "__main__":
    sys.exit(main())
