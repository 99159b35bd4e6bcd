"""Looking into one soak terminal from the inside (issue 10 §4, the board): what
``benchmarks/bench_soak.py --probe`` records and prints.

Each probing terminal calls :func:`probe` every so many seconds and appends the JSON line to its
``.probe`` file; the parent prints them with :func:`probed`. The figures are Python's objects by
type (gc), its memory blocks (``sys.getallocatedblocks``), the entries of every
``functools.lru_cache`` and Textual ``LRUCache``/``FIFOCache``, Python's small-object allocator
(``sys._debugmallocstats``), glibc's heap (``mallinfo2``) and the resident size. Nothing is
asserted: a soak shows figures.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")



class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


def _libc() -> Any:
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:
        return None


def mallinfo() -> dict[str, float]:
    """glibc's heap in MB: in use (malloc'd, not freed), free but kept, mmapped blocks."""
    libc = _libc()
    if libc is None or not hasattr(libc, "mallinfo2"):
        return {}
    libc.mallinfo2.restype = MallInfo2
    info = libc.mallinfo2()
    mb = 1024 * 1024
    return {"in_use": info.uordblks / mb, "free_kept": info.fordblks / mb,
            "mmapped": info.hblkhd / mb}


def malloc_trim() -> None:
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


def pymalloc() -> dict[str, float]:
    """Python's small-object allocator in MB (``sys._debugmallocstats``, read from fd 2): its
    arenas, the bytes in blocks in use, the bytes in blocks free inside them."""
    with tempfile.TemporaryFile() as out:
        sys.stderr.flush()
        saved = os.dup(2)
        try:
            os.dup2(out.fileno(), 2)
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        out.seek(0)
        text = out.read().decode(errors="replace")
    found = {}
    for line in text.splitlines():
        label, _, value = line.rpartition("=")
        label = label.strip()
        for key, start in (("arenas", "# arenas allocated current"),
                           ("in_blocks", "# bytes in allocated blocks"),
                           ("free_blocks", "# bytes in available blocks"),
                           ("free_pools", "unused pools")):
            if key not in found and (label.startswith(start) or start in label):
                number = value.strip().replace(",", "")
                if number.isdigit():
                    found[key] = int(number) / (1 if key == "arenas" else 1024 * 1024)
    return found


def probe(tracer: Any) -> dict[str, Any]:
    """What this process holds now: objects by type, cache entries, the allocator's figures."""
    import functools

    from textual.cache import FIFOCache, LRUCache

    gc.collect()
    objects = gc.get_objects()
    types: dict[str, int] = {}
    caches: dict[str, int] = {}
    for obj in objects:
        kind = type(obj)
        name = f"{kind.__module__}.{kind.__qualname__}"
        types[name] = types.get(name, 0) + 1
        if isinstance(obj, functools._lru_cache_wrapper):
            wrapped = getattr(obj, "__wrapped__", obj)
            where = getattr(wrapped, "__qualname__", type(wrapped).__qualname__)
            key = f"lru_cache {getattr(wrapped, '__module__', '?')}.{where}"
            caches[key] = caches.get(key, 0) + obj.cache_info().currsize
        elif isinstance(obj, LRUCache | FIFOCache):
            key = f"{kind.__name__}({obj._maxsize})"
            caches[key] = caches.get(key, 0) + len(obj)
    out: dict[str, Any] = {
        "objects": len(objects), "blocks": sys.getallocatedblocks(), "types": types,
        "caches": caches, "malloc": mallinfo(), "pymalloc": pymalloc(), "rss": rss_mb(os.getpid()),
        "threads": len(os.listdir("/proc/self/task"))}
    del objects
    if tracer is not None:
        out["trace"] = tracer()
    return out


def make_tracer() -> Any:
    """Starts tracemalloc; returns a function giving the top growth since its first call."""
    import tracemalloc

    tracemalloc.start(8)
    base: list[Any] = []

    def tracer() -> list[str]:
        snap = tracemalloc.take_snapshot().filter_traces(
            [tracemalloc.Filter(False, tracemalloc.__file__)])
        if not base:
            base.append(snap)
            return []
        top = snap.compare_to(base[0], "traceback")[:8]
        return [f"{s.size_diff / 1024:+8.1f} KB {s.count_diff:+6d} blocks  "
                + " <- ".join(f"{Path(f.filename).name}:{f.lineno}" for f in s.traceback[:4])
                for s in top]

    return tracer


def one_reading_thread() -> None:
    """Pollers read in one long-lived thread instead of a new worker thread per poll."""
    from concurrent.futures import ThreadPoolExecutor

    from screens.work import Poller

    reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="poller")

    def poll(self: Any, force: bool = False) -> None:
        self._force = self._force or force
        if not self._busy.acquire(blocking=False):
            return
        force, self._force = self._force, False
        reader.submit(self._check, force)

    Poller.poll = poll  # type: ignore[method-assign]



def probed(path: Path, role: str, minutes: float) -> None:
    """The probes of one terminal: a line each, then what grew from the warm-up to the end."""
    try:
        rows = [json.loads(line) for line in path.read_text().splitlines()]
    except OSError:
        return
    if len(rows) < 2:
        return
    print(f"{role}, looked into:\n{'min':>5}{'RSS MB':>8}{'trimmed':>8}{'objects':>9}{'blocks':>9}"
          f"{'cached':>8}{'malloc MB':>10}{'kept MB':>8}{'arenas':>7}{'in blocks MB':>13}"
          f"{'threads':>8}")
    nan = float("nan")
    for row in rows:
        m, py = row["malloc"], row.get("pymalloc", {})
        print(f"{row['minute']:>5.1f}{row['rss']:>8.1f}{row.get('rss_trimmed', nan):>8.1f}"
              f"{row['objects']:>9}{row['blocks']:>9}{sum(row['caches'].values()):>8}"
              f"{m.get('in_use', nan):>10.2f}{m.get('free_kept', nan):>8.2f}"
              f"{py.get('arenas', nan):>7.0f}{py.get('in_blocks', nan):>13.2f}"
              f"{row.get('threads', 0):>8}")
    warm = next((row for row in rows if row["minute"] >= minutes / 5), rows[0])
    last = rows[-1]
    for field in ("types", "caches"):
        grew = sorted(((last[field].get(k, 0) - warm[field].get(k, 0), k)
                       for k in set(warm[field]) | set(last[field])), reverse=True)
        print(f"  {field} grown from {warm['minute']:.1f} to {last['minute']:.1f} min: "
              + ", ".join(f"{k} {d:+d}" for d, k in grew[:12] if d))
    for line in last.get("trace", []):
        print("  " + line)
