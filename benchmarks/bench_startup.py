"""Cold start of the desk, a window and the board beside an empty Textual app showing a DataTable,
and of ``hall status CODE`` beside ``python -c "import peewee"``: all measured in one run.

    .venv/bin/python benchmarks/bench_startup.py              # 10 fresh processes of each
    .venv/bin/python benchmarks/bench_startup.py --runs 20 --importtime
    .venv/bin/python benchmarks/bench_startup.py --before /work/main   # beside another tree

Each sample is a fresh ``python`` process; every round runs each kind once, in an order that turns
round by round, so all see the same machine load. The parent notes the monotonic clock just before
it starts the process.

- Screens (desk, window, board, and the baseline): the child builds its app, runs it headless
  (``App.run_test``), waits until the first screen has been composed, mounted and refreshed,
  prints the monotonic clock and exits. Cold start = that instant minus the parent's: interpreter
  start, imports, configuration, database, app and first paint. The desk, window 1 and the board
  are built as ``hall desk --staff desk01``, ``hall window 1 --staff win01`` and ``hall board``
  build them (``main.parse_args``, ``cli.context.Context``, ``main.tui_app``), over a demo
  database (built once into a temporary folder, which is also the data directory). The baseline
  is a bare App whose only widget is a DataTable of ten rows.
- The command line: ``hall status CODE`` (a waiting ticket's query code, as a kiosk's scanner
  reads it) run as the installed ``hall`` script, from start to exit, beside
  ``python -c "import peewee"``.

Prints medians, the ratio of each to its baseline and whether it is within the target (screens
1.5x, ``hall status`` 2x), with the CPU time of the process (less sensitive to other load).
Figures are printed, never asserted. ``--importtime`` adds the modules that the desk and
``hall status`` import beyond their baselines, by package (``python -X importtime``).
``--before TREE`` also runs the screens and ``hall status`` from another checkout (its tree first
on ``PYTHONPATH``, its own data directory for its compiled configuration), in the same rounds, so
before and after are measured in one run under the same load.
"""

from __future__ import annotations

import time

TOP = time.perf_counter()  # first thing in a child process: its own start, nearly

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

TARGET = 1.5  # a screen, against the empty Textual app
CLI_TARGET = 2.0  # hall status, against python -c "import peewee"
FIRST_FRAME = "# first frame"
SIZE = (120, 40)
SCREENS = {"desk": ["--staff", "desk01", "desk"], "window": ["--staff", "win01", "window", "1"],
           "board": ["board"]}
"""The screens measured, as ``hall`` is asked to open them."""
LABELS = {"baseline": "empty App with a DataTable", "desk": "hall desk --staff desk01",
          "window": "hall window 1 --staff win01", "board": "hall board",
          "peewee": 'python -c "import peewee"', "status": "hall status CODE"}


# -- children -------------------------------------------------------------------------------------

def build_screen(kind: str, db_url: str) -> Any:
    """The app ``hall KIND`` opens, built as main builds it (not run)."""
    from cli.context import Context
    from main import parse_args, tui_app

    return tui_app(Context(parse_args(["--db", db_url, *SCREENS[kind]])))


def build_baseline(_: str, __: str) -> Any:
    """An empty Textual app showing a DataTable."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    class Baseline(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("票号", "部门", "状态")
            table.add_rows([(f"R{i:03d}", "信访局综合接待", "候谈") for i in range(1, 11)])

    return Baseline()


async def first_paint(app: Any) -> dict[str, Any]:
    """Run ``app`` headless; the instant of its first frame (``at``), the process's CPU time then
    (``cpu``, interpreter start included), its screen's class, and the instant the screen has
    settled (``settled``: start-up messages processed and refreshed once more).

    The first frame is the first time the app hands a rendered screen with widgets on it to its
    driver (``App._display``; a headless driver just does not write it out).
    """
    first: dict[str, Any] = {}
    display = app._display

    def spy(screen: Any, renderable: Any) -> None:
        if renderable is not None and "at" not in first and screen.children:
            first.update(at=time.perf_counter(), cpu=time.process_time(),
                         screen=type(screen).__name__)
            print(FIRST_FRAME, file=sys.stderr, flush=True)  # where -X importtime output stops
        display(screen, renderable)

    app._display = spy
    async with app.run_test(size=SIZE) as pilot:
        while "at" not in first:
            await asyncio.sleep(0.002)
        await pilot.pause()
        settled = asyncio.Event()
        app.call_after_refresh(settled.set)
        await settled.wait()
        return {**first, "settled": time.perf_counter()}


def child(kind: str, db_url: str) -> None:
    app = (build_baseline if kind == "baseline" else build_screen)(kind, db_url)
    built, built_cpu = time.perf_counter(), time.process_time()
    print(json.dumps({"top": TOP, "built": built, "built_cpu": built_cpu,
                      **asyncio.run(first_paint(app))}))


# -- parent ---------------------------------------------------------------------------------------

BEFORE = "before "
"""The prefix of a kind run from the ``--before`` tree (``before desk``)."""


def command(kind: str, db_url: str, code: str, extra: list[str] | None = None) -> list[str]:
    """The process of one sample of ``kind`` (``before desk``: the same, from the other tree)."""
    kind = kind.removeprefix(BEFORE)
    if kind == "peewee":
        return [sys.executable, *(extra or []), "-c", "import peewee"]
    if kind == "status":
        script = Path(sys.executable).with_name("hall")
        if extra or not script.exists():  # the installed script's own two lines, run by python
            return [sys.executable, *(extra or []), "-c",
                    "import sys; from main import main; sys.exit(main())", "status", code]
        return [str(script), "status", code]
    return [sys.executable, *(extra or []), __file__, "--child", kind, "--db", db_url]


def run_once(kind: str, db_url: str, code: str, env: dict[str, str],
             extra: list[str] | None = None) -> dict[str, Any]:
    """One fresh process of ``kind``: its timings (ms) and, with ``extra``, its stderr."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    result = subprocess.run(command(kind, db_url, code, extra), capture_output=True, text=True,
                            check=False, env=env)
    ended = time.perf_counter()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{kind} run failed:\n{result.stdout[-1000:]}{result.stderr[-3000:]}")
    data: dict[str, Any] = {"stderr": result.stderr, "ended": (ended - began) * 1000}
    if kind.removeprefix(BEFORE) in ("peewee", "status"):
        cpu = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000
        data.update(paint=data["ended"], cpu=cpu, screen="exit")
        return data
    child = json.loads(result.stdout.strip().splitlines()[-1])
    if "built_cpu" in child:  # a --before tree's child may not report it
        data.update(build_cpu=child["built_cpu"] * 1000,
                    frame_cpu=(child["cpu"] - child["built_cpu"]) * 1000)
    data.update(paint=(child["at"] - began) * 1000, cpu=child["cpu"] * 1000,
                inner=(child["at"] - child["top"]) * 1000,
                settled=(child["settled"] - began) * 1000, screen=child["screen"])
    return data


def demo_database(folder: Path) -> tuple[str, str]:
    """A demo database (a living morning), so each screen starts on real data; and the query
    code of a waiting ticket (for ``hall status``)."""
    from config import DEFAULT_CONFIG, load_config
    from hall import Hall
    from hall.clock import SystemClock
    from hall.demo import build_demo
    from models import Ticket, open_database

    url = f"sqlite:///{folder / 'demo.db'}"
    db = open_database(url)
    build_demo(Hall(db, load_config(DEFAULT_CONFIG), SystemClock()))
    waiting = Ticket.select().where(Ticket.status == "waiting").order_by(Ticket.id).first()
    code = (waiting or Ticket.select().order_by(Ticket.id).first()).query_code
    db.close()
    return url, code


def import_times(stderr: str) -> Counter[str]:
    """Import time per top-level package (sum of modules' own microseconds) up to the first
    frame, from the output of ``python -X importtime``."""
    out: Counter[str] = Counter()
    for line in stderr.splitlines():
        if line == FIRST_FRAME:
            break
        fields = line.removeprefix("import time:").split("|")
        if line.startswith("import time:") and len(fields) == 3 and fields[0].strip().isdigit():
            out[fields[2].strip().split(".")[0]] += int(fields[0])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="processes of each kind (10)")
    parser.add_argument("--importtime", action="store_true",
                        help="also list what the desk and hall status import beyond baselines")
    parser.add_argument("--before", metavar="TREE",
                        help="also run the screens and hall status from this checkout")
    parser.add_argument("--child", choices=["baseline", *SCREENS], help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.db or "")
        return 0

    import textual

    kinds = ["baseline", *SCREENS, "peewee", "status"]
    if args.before:
        kinds += [BEFORE + kind for kind in (*SCREENS, "status")]
    with tempfile.TemporaryDirectory(prefix="hall-startup-") as tmp:
        url, code = demo_database(Path(tmp))
        # PYTHONDONTWRITEBYTECODE (set on some machines and CI) would make every sample compile
        # every module from source, ~200 ms more for a screen: an installed hall has its .pyc
        # files (the untimed warm-up run below writes them).
        env = {k: v for k, v in os.environ.items()
               if k not in ("HALL_CONFIG", "HALL_STAFF", "HALL_NOW", "PYTHONDONTWRITEBYTECODE")}
        from hall.demo import DEMO_PASSWORD  # the demo's accounts: the screens open signed in

        env.update(HALL_DB=url, HALL_DATA=tmp, HALL_PASSWORD=DEMO_PASSWORD)
        envs = {kind: env for kind in kinds}
        if args.before:  # its own compiled configuration: the two trees' copies differ
            (Path(tmp) / "before").mkdir()
            other = {**env, "HALL_DATA": str(Path(tmp) / "before"),
                     "PYTHONPATH": os.pathsep.join(
                         [str(Path(args.before).resolve()), env.get("PYTHONPATH", "")])}
            envs.update({kind: other for kind in kinds if kind.startswith(BEFORE)})
        print(f"cold start: Python {sys.version.split()[0]}, Textual {textual.__version__}, "
              f"{args.runs} fresh processes of each, headless {SIZE[0]}x{SIZE[1]}"
              + (f"; 'before': {args.before}" if args.before else ""), flush=True)
        series: dict[str, dict[str, list[float]]] = {kind: {} for kind in kinds}
        screens: dict[str, str] = {}
        for kind in kinds:  # warm the OS file cache (and the hall's own caches) once, untimed
            run_once(kind, url, code, envs[kind])
        for i in range(args.runs):
            for kind in kinds[i % len(kinds):] + kinds[:i % len(kinds)]:
                data = run_once(kind, url, code, envs[kind])
                for key in ("paint", "cpu", "inner", "settled", "build_cpu", "frame_cpu"):
                    if key in data:
                        series[kind].setdefault(key, []).append(data[key])
                screens[kind] = data["screen"]
        med = {kind: {k: statistics.median(v) for k, v in out.items()}
               for kind, out in series.items()}
        print(f"  {'':<52}{'first frame ms':>15}{'min':>6}{'max':>6}{'CPU':>6}{'settled':>8}"
              f"{'ratio':>7}{'CPU':>6}")
        order = ["baseline", *SCREENS, "peewee", "status"]  # each 'before' beside its own
        shown = sorted(kinds, key=lambda k: (order.index(k.removeprefix(BEFORE)),
                                             not k.startswith(BEFORE)))
        for kind in shown:
            own = kind.removeprefix(BEFORE)
            floor = "baseline" if own in SCREENS else "peewee" if own == "status" else None
            paint, m = series[kind]["paint"], med[kind]
            ratios = (f"{m['paint'] / med[floor]['paint']:>6.2f}x"
                      f"{m['cpu'] / med[floor]['cpu']:>5.2f}x" if floor else "")
            settled = f"{m['settled']:>8.0f}" if "settled" in m else f"{'':>8}"
            if kind == "peewee":
                print(f"  {'':<52}{'to exit ms':>15}")
            label = ("before: " if kind != own else "") + LABELS[own]
            print(f"  {label + ' (' + screens[kind] + ')':<52}{m['paint']:>15.0f}"
                  f"{min(paint):>6.0f}{max(paint):>6.0f}{m['cpu']:>6.0f}{settled}{ratios}")
        for kind in [k for k in shown if k.removeprefix(BEFORE) in (*SCREENS, "status")]:
            own = kind.removeprefix(BEFORE)
            floor, target = ("peewee", CLI_TARGET) if own == "status" else ("baseline", TARGET)
            ratio = med[kind]["paint"] / med[floor]["paint"]
            cpu = med[kind]["cpu"] / med[floor]["cpu"]
            print(f"  {kind}/{floor}: {ratio:.2f}x (CPU {cpu:.2f}x)"
                  f" — target ≤ {target}x: {'met' if ratio <= target else 'MISSED'}")
        phased = [k for k in shown if "frame_cpu" in med[k]]
        if "baseline" in phased:
            # The floor a screen could reach in this process model: the baseline's start-up
            # (interpreter and Textual's import, all of its CPU before its first frame but its
            # own tiny first frame) plus the screen's own first frame, i.e. with every import
            # and read of the hall's (configuration, database, sign-in, screens) at zero.
            textual = med["baseline"]["build_cpu"]
            print(f"  CPU by phase (ms): {'built':>7}{'first frame':>13}{'floor':>8}"
                  f"{'floor ratio':>13}   (built: interpreter, imports, configuration, "
                  "database,\n   sign-in, app; first frame: mount, styles, first render; "
                  "floor: the baseline's built + the screen's own first frame)")
            for kind in phased:
                b, f = med[kind]["build_cpu"], med[kind]["frame_cpu"]
                label = ("before " if kind.startswith(BEFORE) else "") + kind.removeprefix(BEFORE)
                floor = textual + f
                print(f"    {label:<16}{b:>7.0f}{f:>13.0f}{floor:>8.0f}"
                      f"{floor / med['baseline']['cpu']:>12.2f}x")
        print("  (medians; first frame: from process start to the first rendered screen; "
              "CPU: the process's\n   CPU time to its first frame (to its exit for the command "
              "line); settled: start-up\n   messages processed and refreshed once more; ratio: "
              "wall and CPU against the baseline)")
        if args.importtime:
            for kind, floor in (("desk", "baseline"), ("status", "peewee")):
                mine = import_times(run_once(kind, url, code, env, ["-X", "importtime"])["stderr"])
                base = import_times(run_once(floor, url, code, env, ["-X", "importtime"])["stderr"])
                print(f"  imports by package (python -X importtime, one run each; a screen's up "
                      f"to its first frame): {kind} {sum(mine.values()) / 1000:.0f} ms, {floor} "
                      f"{sum(base.values()) / 1000:.0f} ms")
                print(f"    {'package':<20}{kind + ' ms':>10}{floor + ' ms':>13}")
                for name, us in mine.most_common(15):
                    print(f"    {name:<20}{us / 1000:>10.1f}{base.get(name, 0) / 1000:>13.1f}")
        print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
              f"on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
