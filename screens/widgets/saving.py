"""Saving a rendered document (a case's document, a visit's 接谈记录) where the hall keeps them.

    path = save_pdf(rendered, exports_dir(data_dir))     # in a worker: it writes a file

The folder is made private (0700, :func:`config.paths.private_dir`): documents carry personal
data. The file is named by the document's kind and number, so a reprint replaces its own file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["save_pdf"]


def save_pdf(rendered: Any, folder: Path) -> Path:
    """Write ``rendered.pdf`` (a :class:`hall.cases.documents.RenderedDocument`) in ``folder``
    as ``{kind}-{number}.pdf``; the path."""
    from config.paths import private_dir

    number = str(rendered.number)
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in number).strip("_")
    private_dir(folder)
    path = folder / f"{rendered.kind}-{safe or 'document'}.pdf"
    path.write_bytes(rendered.pdf)
    return path
