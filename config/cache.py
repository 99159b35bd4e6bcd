"""A compiled copy of a validated configuration, so a command need not parse and check hall.yaml
on every start (a kiosk runs ``hall status`` once per visitor).

    cfg = load_config(path, cache_dir=paths.cache_dir())    # what every ``hall`` command does

:func:`config.loader.load_config` reads the file's bytes, then asks :func:`read` for the copy kept
for that file under ``cache_dir`` (``<data dir>/cache/config-….pickle``). The copy is headed by
its key: the SHA-256 of the file's bytes, of the configuration's own code (``config/*.py``) and
of the Python and pydantic versions. When the key differs (the file was edited, the hall was
upgraded), the copy cannot be read, or it was not written by this user alone, the file is
parsed and validated as without a cache, and :func:`write` replaces the copy only when that
succeeded. So the cache never hides a configuration error: a broken file has a key of its own,
is validated, and reports its problems; nothing is written for it.

The copy is its key, a line of plain JSON with the few settings a ticket lookup needs
(:mod:`config.lookup`: ``hall status`` reads them without pydantic), then a pickle of the
validated :class:`~config.schema.HallConfig` (it restores the objects without validating them
again). It is written with mode 0600 and read only when its
owner is the user running the command and nobody else may write it, like the database beside it.
A cache that cannot be written (a read-only data directory) is skipped without a word.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING

from config.paths import private_dir

if TYPE_CHECKING:
    from config.schema import HallConfig

__all__ = ["cache_file", "key", "read", "read_plain", "write"]

_CODE = Path(__file__).resolve().parent
_code_digest: list[bytes] = []


def key(raw: bytes) -> bytes:
    """The key of a configuration file's bytes: they, the configuration's code, the versions."""
    if not _code_digest:
        code = hashlib.sha256(f"{sys.version}\0{_pydantic_version()}\0".encode())
        for path in sorted(_CODE.glob("*.py")):
            code.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        _code_digest.append(code.digest())
    return hashlib.sha256(_code_digest[0] + raw).hexdigest().encode()


def _pydantic_version() -> bytes:
    """pydantic's version file (it names pydantic's version and the pydantic-core it needs),
    read without importing pydantic: ``hall status`` never imports it."""
    import importlib.util

    spec = importlib.util.find_spec("pydantic")
    origin = spec.origin if spec is not None else None
    if origin is None:
        return b""
    try:
        return Path(origin).with_name("version.py").read_bytes()
    except OSError:
        return b""


def cache_file(cache_dir: str | os.PathLike[str], source: str) -> Path:
    """Where the copy of the configuration file ``source`` is kept (one per file)."""
    name = hashlib.sha256(os.path.abspath(source).encode()).hexdigest()[:20]
    return Path(cache_dir) / f"config-{name}.pickle"


def _open(cache_dir: str | os.PathLike[str], source: str, raw: bytes) -> IO[bytes] | None:
    """The copy kept for these bytes of ``source``, open after its key line; None when there is
    none, its key is another's, or it is not this user's alone."""
    try:
        f = open(cache_file(cache_dir, source), "rb")  # the caller closes it
    except OSError:
        return None
    try:
        if hasattr(os, "getuid"):
            st = os.fstat(f.fileno())
            if st.st_uid != os.getuid() or st.st_mode & 0o022:
                f.close()
                return None
        if f.readline().rstrip(b"\n") == key(raw):
            return f
    except OSError:
        pass
    f.close()
    return None


def read(cache_dir: str | os.PathLike[str], source: str, raw: bytes) -> HallConfig | None:
    """The validated configuration kept for these bytes of ``source``, or None (no copy, another
    key, unreadable, not this user's alone)."""
    import pickle

    from config.schema import HallConfig

    f = _open(cache_dir, source, raw)
    if f is None:
        return None
    try:
        with f:
            f.readline()  # the lookup's settings
            cfg = pickle.loads(f.read())
    except Exception:  # truncated, from other code: validate the file instead
        return None
    return cfg if isinstance(cfg, HallConfig) else None


def read_plain(cache_dir: str | os.PathLike[str], source: str, raw: bytes) -> bytes | None:
    """The JSON line of the lookup's settings kept for these bytes of ``source``, or None."""
    f = _open(cache_dir, source, raw)
    if f is None:
        return None
    try:
        with f:
            line = f.readline()
    except OSError:
        return None
    return line if line.endswith(b"\n") else None  # a copy cut short: validate instead


def write(cache_dir: str | os.PathLike[str], source: str, raw: bytes, cfg: HallConfig) -> None:
    """Keep ``cfg``, validated from these bytes of ``source``, for the next start (atomically:
    a command starting meanwhile reads the old copy or the new one)."""
    import json
    import pickle
    import tempfile  # here: a start that finds its copy writes none

    from config.lookup import plain

    target = cache_file(cache_dir, source)
    try:
        private_dir(target.parent)  # 0700, and the data directory above it when made here
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".config-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(key(raw) + b"\n")
                f.write(json.dumps(plain(cfg), ensure_ascii=False).encode() + b"\n")
                f.write(pickle.dumps(cfg, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, target)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:  # a read-only or full data directory: start without a cache
        pass
