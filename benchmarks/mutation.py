"""Mutation testing of the core rules, per module (issue 15). Not part of CI: it takes minutes.

    .venv/bin/pip install -q -e '.[test,mutation]'
    .venv/bin/python benchmarks/mutation.py                       # every module in [tool.mutmut]
    .venv/bin/python benchmarks/mutation.py hall/windows/acts.py  # one module (a path or a glob)
    .venv/bin/python benchmarks/mutation.py --report              # the last run's results again
    .venv/bin/python benchmarks/mutation.py --pg postgresql://postgres@127.0.0.1:5432/test
    .venv/bin/python benchmarks/mutation.py --pg-listed --pg URL  # the [postgresql] ones only

Run it with HALL_TEST_PG_URL set (or ``--pg URL``): the tests then run on PostgreSQL too, and the
PostgreSQL-only paths (``FOR UPDATE SKIP LOCKED``, ``RETURNING``, the window row lock) count.
Without it, the survivors written down under ``[postgresql]`` in the equivalents file (each with
the test that kills it on PostgreSQL) are reported as "pg-only", not as gaps; with it, they must
be killed like any other. Results of a run on one set of backends are never mixed with another's:
switching deletes ``mutants/`` first.

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
import os
import shutil
import subprocess
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT_FILE = Path(__file__).resolve().parent / "mutation_equivalent.toml"
BACKENDS_FILE = ROOT / "mutants" / "hall-backends.txt"  # which backends mutants/ results come from

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


def written_down(table: str) -> dict[str, str]:
    """Mutant name → the reason written down in ``table`` of the equivalents file: "equivalent"
    (why it cannot change behaviour) or "postgresql" (the PostgreSQL test that kills it)."""
    if not EQUIVALENT_FILE.exists():
        return {}
    data = tomllib.loads(EQUIVALENT_FILE.read_text(encoding="utf-8"))
    return {name: reason for name, reason in data.get(table, {}).items()}


def equivalents() -> dict[str, str]:
    """Mutant name → why it cannot change behaviour (written down by a person, not guessed)."""
    return written_down("equivalent")


def backends(pg_url: str | None) -> str:
    return "sqlite+postgresql" if pg_url else "sqlite"


def last_backends() -> str | None:
    return BACKENDS_FILE.read_text(encoding="utf-8").strip() if BACKENDS_FILE.exists() else None


def run_mutmut(patterns: list[str], pg_url: str | None) -> int:
    """Run mutmut on ``patterns`` (modules' mutants, ``hall.windows.acts.*``, or mutant names);
    the tests run on PostgreSQL too when ``pg_url`` is given."""
    wanted = backends(pg_url)
    if last_backends() not in (None, wanted) and (ROOT / "mutants").exists():
        print(f"mutants/ holds results on {last_backends()}; removed for a run on {wanted}")
        shutil.rmtree(ROOT / "mutants")
    env = dict(os.environ)
    env.pop("HALL_TEST_PG_URL", None)
    if pg_url:
        env["HALL_TEST_PG_URL"] = pg_url
    command = [sys.executable, "-m", "mutmut", "run", *patterns]
    print("+", " ".join(command), f"  (tests on {wanted})", flush=True)
    started = time.monotonic()
    code = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL).returncode
    BACKENDS_FILE.parent.mkdir(exist_ok=True)
    BACKENDS_FILE.write_text(wanted + "\n", encoding="utf-8")
    print(f"mutmut ran {(time.monotonic() - started) / 60:.1f} minutes", flush=True)
    return code


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
    pg_only = written_down("postgresql")
    ran_on = last_backends() or "sqlite"
    with_pg = "postgresql" in ran_on
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
        left_to_pg = [name for name in survivors
                      if name in pg_only and name not in known and not with_pg]
        rows.append((module, len(codes), status["killed"], len(survivors), len(explained),
                     len(left_to_pg), status["timeout"], status["no tests"],
                     status["not checked"]))
        # Never run (mutmut stopped before them: its clean run of the tests failed, or it was
        # interrupted): nothing is known of them, which is not "no survivor".
        unexplained += status["not checked"]
        for name in survivors:
            old, new = change_of(name)
            where = line_number(module, name, old)
            mark = ("equivalent" if name in known else "pg-only" if name in left_to_pg
                    else "SURVIVED")
            print(f"{mark:10} {module}:{where or '?'}  {name.rsplit('.', 1)[-1]}")
            print(f"           - {old}\n           + {new}")
            if name in known:
                print(f"           ({known[name]})")
            elif name in left_to_pg:
                print(f"           (killed on PostgreSQL by {pg_only[name]})")
            else:
                unexplained += 1
    print()
    print(f"tests ran on: {ran_on}"
          + ("" if with_pg else " (set HALL_TEST_PG_URL so PostgreSQL-only paths count)"))
    header = ("module", "tried", "killed", "survived", "equivalent", "pg-only", "timeout",
              "no tests", "not run")
    width = max(len(r[0]) for r in rows) if rows else 10
    print(f"{header[0]:{width}}  " + "  ".join(f"{h:>10}" for h in header[1:]))
    for row in rows:
        print(f"{row[0]:{width}}  " + "  ".join(f"{v:>10}" for v in row[1:]))
    total = [sum(r[i] for r in rows) for i in range(1, len(header))]
    print(f"{'total':{width}}  " + "  ".join(f"{v:>10}" for v in total))
    not_run = sum(r[-1] for r in rows)
    if not_run:
        print(f"\n{not_run} mutants were never run: mutmut stopped first (its run of the tests on "
              "the unmutated copy failed?): run `python -m mutmut run` in this folder to see why")
    print(f"\nunexplained survivors or mutants not run: {unexplained}")
    return 1 if unexplained else 0


def module_of(name: str, modules: list[str]) -> str:
    """The configured module a mutant's name belongs to."""
    return next(m for m in modules if name.startswith(dotted(m) + "."))


def run_pg_listed(pg_url: str | None) -> int:
    """Run only the survivors written down under ``[postgresql]``, on PostgreSQL: each must be
    killed there (a full run with ``--pg`` takes hours here; this checks what the SQLite runs
    leave to PostgreSQL, in minutes). Prints each one's result; exit 1 when one survives. Like any
    switch of backends it empties ``mutants/`` first when that holds SQLite-only results: run it
    in a copy of the tree of its own to keep them."""
    if not pg_url:
        print("--pg-listed needs --pg URL or HALL_TEST_PG_URL")
        return 2
    listed = written_down("postgresql")
    modules = configured_modules()
    run_mutmut(sorted(listed), pg_url)
    left = 0
    print()
    for name in sorted(listed):
        code = results(module_of(name, modules)).get(name)
        status = _STATUS[code]
        left += status != "killed"
        print(f"{status:12} {name}\n             ({listed[name]})")
    print(f"\nwritten down as killed on PostgreSQL: {len(listed)}; not killed there: {left}")
    return 1 if left else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*",
                        help="paths or globs among [tool.mutmut] source_paths")
    parser.add_argument("--report", action="store_true", help="print the last run's results only")
    parser.add_argument("--pg", metavar="URL", default=os.environ.get("HALL_TEST_PG_URL"),
                        help="run the tests on PostgreSQL too (default: $HALL_TEST_PG_URL)")
    parser.add_argument("--pg-listed", action="store_true",
                        help="run only the [postgresql] survivors of the equivalents file, on "
                             "PostgreSQL: each must be killed there")
    args = parser.parse_args(argv)
    if _STATUS is None:
        print("mutmut is not installed: .venv/bin/pip install -q -e '.[test,mutation]'")
        return 2
    if args.pg_listed:
        return run_pg_listed(args.pg)
    configured = configured_modules()
    modules = [m for m in configured
               if not args.modules or any(fnmatch.fnmatch(m, p) for p in args.modules)]
    if not modules:
        print(f"no configured module matches {args.modules}; configured: {configured}")
        return 2
    if not args.report:
        run_mutmut([dotted(m) + ".*" for m in modules], args.pg)
    return report(modules)


if __name__ == "__main__":
    sys.exit(main())
