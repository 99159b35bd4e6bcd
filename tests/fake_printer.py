"""Fake receipt printers for the printing tests: an ESC/POS printer on a local TCP port that records
the bytes it is sent, one that accepts connections but never reads (frozen, out of paper), a port
nobody listens on, a fake ``lp`` on PATH; and the reading back of an ESC/POS job's raster image.
"""

from __future__ import annotations

import os
import socket
import stat
import threading
from pathlib import Path

from PIL import Image, ImageOps

GS_V0 = b"\x1dv0"
PARTIAL_CUT = b"\x1dV\x01"
FULL_CUT = b"\x1dV\x00"
RESET = b"\x1b@"


class FakePrinter:
    """An ESC/POS network printer on 127.0.0.1: each connection's bytes become one job.

    ``frozen``: it accepts connections but never reads, with a receive buffer as small as a real
    printer's (a few KB), like a printer out of paper or hung: the sender's writes stall."""

    def __init__(self, *, frozen: bool = False) -> None:
        self.frozen = frozen
        self.jobs: list[bytes] = []
        self._done = threading.Condition()
        self._held: list[socket.socket] = []
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if frozen:  # inherited by the accepted sockets: the window closes after a few KB
            self.server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(4)
        self.port = self.server.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def host(self) -> str:
        """``127.0.0.1:PORT``, as ``tickets.printer.host`` takes it."""
        return f"127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:  # closed
                return
            if self.frozen:
                self._held.append(conn)  # kept open, never read
                continue
            threading.Thread(target=self._read, args=(conn,), daemon=True).start()

    def _read(self, conn: socket.socket) -> None:
        chunks = []
        with conn:
            while data := conn.recv(65536):
                chunks.append(data)
        with self._done:
            self.jobs.append(b"".join(chunks))
            self._done.notify_all()

    def wait_jobs(self, count: int = 1, timeout: float = 10.0) -> list[bytes]:
        """The jobs received, once there are ``count`` of them (or ``timeout`` passed)."""
        with self._done:
            self._done.wait_for(lambda: len(self.jobs) >= count, timeout)
            return list(self.jobs)

    def close(self) -> None:
        self.server.close()
        for conn in self._held:
            conn.close()


def closed_port() -> int:
    """A local TCP port nobody listens on (connections are refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def raster_images(job: bytes) -> list[Image.Image]:
    """Every ``GS v 0`` raster image of an ESC/POS job, black on white (mode "L")."""
    images = []
    at = job.find(GS_V0)
    while at >= 0:
        width_bytes = int.from_bytes(job[at + 4:at + 6], "little")
        height = int.from_bytes(job[at + 6:at + 8], "little")
        start = at + 8
        data = job[start:start + width_bytes * height]
        assert len(data) == width_bytes * height, "raster data cut short"
        bits = Image.frombytes("1", (width_bytes * 8, height), data)  # 1 = ink
        images.append(ImageOps.invert(bits.convert("L")))
        end = start + len(data)
        at = end if job[end:end + 4] == GS_V0 else job.find(GS_V0, end)
    return images


def job_image(job: bytes) -> Image.Image:
    """The job's raster images stacked (python-escpos splits tall ones into fragments)."""
    parts = raster_images(job)
    assert parts, "no GS v 0 raster image in the job"
    assert len({p.width for p in parts}) == 1
    out = Image.new("L", (parts[0].width, sum(p.height for p in parts)), 255)
    y = 0
    for part in parts:
        out.paste(part, (0, y))
        y += part.height
    return out


def fake_lp(folder: Path, *, exit_code: int = 0, stderr: str = "", hang: bool = False) -> Path:
    """An ``lp`` in ``folder`` that records its arguments (args.txt) and standard input
    (input.bin) there; exits ``exit_code`` after printing ``stderr``, or hangs (``hang``)."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "lp"
    lines = ["#!/bin/sh", f'printf "%s\\n" "$@" > "{folder}/args.txt"',
             f'cat > "{folder}/input.bin"']
    if hang:
        lines.append("exec sleep 60")
    if stderr:
        lines.append(f"echo '{stderr}' >&2")
    lines.append(f"exit {exit_code}")
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def path_with(folder: Path) -> str:
    """PATH with ``folder`` first."""
    return f"{folder}{os.pathsep}{os.environ.get('PATH', '')}"
