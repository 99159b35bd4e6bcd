"""Saving a slip: the format from the suffix (or ``fmt``), the file written atomically."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from hall.printing.layout import TicketPrint
from hall.printing.png import DEFAULT_WIDTH, render_png
from hall.printing.svg import render_svg

__all__ = ["save_ticket"]



def _write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to a temp file beside ``target``, then rename it over ``target``."""
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def save_ticket(ticket: TicketPrint, path: str | os.PathLike[str], fmt: str | None = None, *,
                width: int = DEFAULT_WIDTH) -> Path:
    """Render the ticket and write it to ``path`` atomically; return the path.

    ``fmt`` is "png" or "svg"; without it the file suffix decides. Any other format
    raises ValueError (in Chinese, for the operator) before anything is written. ``width``:
    the PNG's width in pixels (a receipt printer's dots); the SVG is 80 mm whatever it is.
    """
    target = Path(path)
    kind = (fmt if fmt is not None else target.suffix).strip().lower().lstrip(".")
    if kind not in ("png", "svg"):
        shown = fmt if fmt is not None else (target.suffix or "无扩展名")
        raise ValueError(f"不支持的票据格式“{shown}”：只能保存为 PNG 或 SVG")
    data = render_png(ticket, width=width) if kind == "png" else \
        render_svg(ticket).encode("utf-8")
    _write_atomic(target, data)
    return target
