"""Desk cold start to first paint, beside an empty Textual app showing a DataTable.

    .venv/bin/python benchmarks/bench_startup.py              # 10 fresh processes of each
    .venv/bin/python benchmarks/bench_startup.py --runs 20 --importtime

Each run is a fresh ``python`` process (the two kinds alternate, so both see the same machine
load). The parent notes the monotonic clock just before it starts the process; the child builds
its app, runs it headless (``App.run_test``), waits until the first screen has been composed,
mounted and refreshed, prints the monotonic clock and exits. Cold start = that instant minus the
parent's: interpreter start, imports, configuration, database, app and first paint.

The desk is ``main.make_app(hall, staff="desk01", start="desk")`` over the demo database (built
once into a temporary folder), as ``hall desk`` opens it. The baseline is a bare App whose only
widget is a DataTable of ten rows. Prints both medians, their ratio and whether it is within the
target (1.5x). Figures are printed, never asserted. ``--importtime`` adds the modules that the
desk imports beyond the baseline, by cumulative import time (``python -X importtime``).
"""

from __future__ import annotations

import time

TOP = time.perf_counter()  # first thing in a child process: its own start, nearly

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

TARGET = 1.5
FIRST_FRAME = "# first frame"
SIZE = (120, 40)


# -- children -------------------------------------------------------------------------------------

def build_desk(db_url: str) -> Any:
    """The desk as ``hall desk --staff desk01`` builds it."""
    from config import DEFAULT_CONFIG, load_config
    from hall import Hall
    from hall.clock import SystemClock
    from main import make_app
    from models import open_database

    hall = Hall(open_database(db_url), load_config(DEFAULT_CONFIG), SystemClock())
    return make_app(hall, staff="desk01", start="desk")


def build_baseline(_: str) -> Any:
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
    app = (build_desk if kind == "desk" else build_baseline)(db_url)
    built = time.perf_counter()
    print(json.dumps({"top": TOP, "built": built, **asyncio.run(first_paint(app))}))


# -- parent ---------------------------------------------------------------------------------------

def run_once(kind: str, db_url: str, extra: list[str] | None = None) -> dict[str, Any]:
    command = [sys.executable, *(extra or []), __file__, "--child", kind, "--db", db_url]
    began = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    ended = time.perf_counter()
    if result.returncode != 0:
        raise SystemExit(f"{kind} run failed:\n{result.stderr[-3000:]}")
    data = json.loads(result.stdout.strip().splitlines()[-1])
    data.update(spawned=began, ended=ended, stderr=result.stderr)
    return data


def demo_database(folder: Path) -> str:
    """A demo database (a living morning), so the desk starts on real data."""
    from config import DEFAULT_CONFIG, load_config
    from hall import Hall
    from hall.clock import SystemClock
    from hall.demo import build_demo
    from models import open_database

    url = f"sqlite:///{folder / 'demo.db'}"
    db = open_database(url)
    build_demo(Hall(db, load_config(DEFAULT_CONFIG), SystemClock()))
    db.close()
    return url


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
                        help="also list what the desk imports beyond the baseline")
    parser.add_argument("--child", choices=["desk", "baseline"], help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.db or "")
        return 0

    import textual

    with tempfile.TemporaryDirectory(prefix="hall-startup-") as tmp:
        url = demo_database(Path(tmp))
        print(f"desk cold start: Python {sys.version.split()[0]}, Textual {textual.__version__}, "
              f"{args.runs} fresh processes of each, headless {SIZE[0]}x{SIZE[1]}", flush=True)
        series: dict[str, dict[str, list[float]]] = {
            kind: {"paint": [], "inner": [], "settled": [], "cpu": []}
            for kind in ("desk", "baseline")}
        screens: dict[str, str] = {}
        run_once("baseline", url)  # warm the OS file cache once, untimed
        run_once("desk", url)
        for i in range(args.runs):
            for kind in ("desk", "baseline")[:: 1 if i % 2 else -1]:
                data = run_once(kind, url)
                out = series[kind]
                out["paint"].append((data["at"] - data["spawned"]) * 1000)
                out["inner"].append((data["at"] - data["top"]) * 1000)
                out["settled"].append((data["settled"] - data["spawned"]) * 1000)
                out["cpu"].append(data["cpu"] * 1000)
                screens[kind] = data["screen"]
        med = {kind: {k: statistics.median(v) for k, v in out.items()}
               for kind, out in series.items()}
        print(f"  {'':<40}{'first frame ms':>15}{'min':>6}{'max':>6}{'in-proc':>8}{'CPU':>6}"
              f"{'settled':>8}")
        for kind, label in (("baseline", "empty App with a DataTable"),
                            ("desk", "desk: make_app(start='desk')")):
            paint = series[kind]["paint"]
            print(f"  {label + ' (' + screens[kind] + ')':<40}{med[kind]['paint']:>15.0f}"
                  f"{min(paint):>6.0f}{max(paint):>6.0f}{med[kind]['inner']:>8.0f}"
                  f"{med[kind]['cpu']:>6.0f}{med[kind]['settled']:>8.0f}")
        ratio = med["desk"]["paint"] / med["baseline"]["paint"]
        print(f"  ratio desk/baseline, first frame: {ratio:.2f}x — target ≤ {TARGET}x: "
              f"{'met' if ratio <= TARGET else 'MISSED'}")
        print(f"  same ratio in CPU time (less sensitive to other load): "
              f"{med['desk']['cpu'] / med['baseline']['cpu']:.2f}x; once settled: "
              f"{med['desk']['settled'] / med['baseline']['settled']:.2f}x")
        print("  (medians; first frame: from process start to the first rendered screen; "
              "in-proc: from the\n   child script's first line; CPU: the child's CPU time to its "
              "first frame; settled: start-up\n   messages processed and refreshed once more)")
        if args.importtime:
            desk = import_times(run_once("desk", url, ["-X", "importtime"])["stderr"])
            base = import_times(run_once("baseline", url, ["-X", "importtime"])["stderr"])
            total_desk, total_base = sum(desk.values()) / 1000, sum(base.values()) / 1000
            print(f"  imports before the first frame by package (python -X importtime, one run "
                  f"each): desk "
                  f"{total_desk:.0f} ms, baseline {total_base:.0f} ms")
            print(f"    {'package':<16}{'desk ms':>9}{'baseline ms':>13}")
            for name, us in desk.most_common(15):
                print(f"    {name:<16}{us / 1000:>9.1f}{base.get(name, 0) / 1000:>13.1f}")
        print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
              f"on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
