"""What the database's breakdowns mean to the people at the terminals, and how a connection
survives them.

    try:
        hall.windows.call_next(5, actor="win05")
    except DatabaseFault as exc:            # a peewee.OperationalError: the CLI exits 1 on it
        print(exc)                          # 数据库暂时无法连接：… / 磁盘已满… / 数据库文件已损坏…

Every database the hall opens (:func:`models.base.open_database`) mixes in :class:`FaultsMixin`,
which turns the drivers' errors into three kinds, each with its Chinese words:

- :class:`DatabaseUnavailable`: the server cannot be reached, stopped answering (a frozen server:
  no reply within the client-side timeout) or dropped the connection;
- :class:`DiskFull`: SQLite's "database or disk is full" (SQLITE_FULL; PostgreSQL's disk_full),
  which peewee used to hide behind "cannot rollback - no transaction is active";
- :class:`DatabaseDamaged`: a SQLite file that is not a database or is malformed, with the file's
  place and how to restore it.

A connection lost while idle (the server restarted, a pooled session was killed) is replaced once,
silently, when nothing is lost by it: outside a transaction, for a read or a BEGIN or a statement
that never reached the server. PostgreSQL connections wait for the server through
:func:`wait_with_timeout` (psycopg2's wait callback), so a frozen server ends a connection attempt
after ``connect_timeout`` seconds and a statement after ``statement_timeout`` plus a second.
"""

from __future__ import annotations

import select
import sqlite3
from typing import Any

import peewee

# SQLite result codes (sqlite3.Error.sqlite_errorcode, primary code in the low byte).
SQLITE_CORRUPT, SQLITE_FULL, SQLITE_NOTADB = 11, 13, 26


class DatabaseFault(peewee.OperationalError):
    """The database broke down (not a rule of the hall): the message says what, in Chinese."""


class DatabaseUnavailable(DatabaseFault):
    """The server cannot be reached or stopped answering; nothing was written."""


class DiskFull(DatabaseFault):
    """The disk holding the database is full; the change was not saved."""


class DatabaseDamaged(DatabaseFault):
    """The SQLite file is damaged; the message says where it is and how to restore it."""


class ServerTimeout(Exception):
    """Mixed into psycopg2's OperationalError by :func:`wait_with_timeout` (no reply in time)."""


def _driver_error(exc: BaseException) -> BaseException:
    """The driver's exception behind a peewee one (peewee passes it as the first argument)."""
    if exc.args and isinstance(exc.args[0], BaseException):
        return exc.args[0]
    return exc.__context__ if isinstance(exc.__context__, Exception) else exc


def translate(exc: BaseException, where: str) -> DatabaseFault | None:
    """The :class:`DatabaseFault` that ``exc`` means, or None for anything else (a constraint,
    a lock timeout, a rule): ``where`` names the file or the server in the message."""
    if isinstance(exc, DatabaseFault):
        return exc
    orig = _driver_error(exc)
    if isinstance(orig, sqlite3.Error):
        return _sqlite_fault(orig, where)
    pgcode = getattr(orig, "pgcode", None)
    name = type(orig).__name__
    detail = (str(orig).strip().splitlines() or [name])[0]
    if isinstance(orig, ServerTimeout):
        return DatabaseUnavailable(
            f"数据库暂时无法连接：服务器 {where} 没有应答（{detail}）。请检查网络和数据库服务器，"
            "稍后重试；这次操作没有保存")
    if pgcode == "53100":
        return DiskFull(f"数据库服务器 {where} 的磁盘已满，无法写入：请管理员清理磁盘后重试；"
                        "这次操作没有保存")
    if pgcode == "57014" and "statement timeout" in detail:
        return DatabaseUnavailable(
            f"数据库暂时无法连接：服务器 {where} 响应超时（{detail}）。请稍后重试；"
            "这次操作没有保存")
    lost = name == "InterfaceError" or (
        name == "OperationalError" and (pgcode is None or pgcode[:2] == "08"
                                        or pgcode in ("57P01", "57P02", "57P03")))
    if lost and type(orig).__module__.startswith("psycopg"):
        return DatabaseUnavailable(
            f"数据库暂时无法连接：服务器 {where}（{detail}）。请检查网络和数据库服务器，"
            "稍后重试；这次操作没有保存")
    return None


def _sqlite_fault(orig: sqlite3.Error, where: str) -> DatabaseFault | None:
    code = (getattr(orig, "sqlite_errorcode", None) or 0) & 0xFF
    text = str(orig)
    if code == SQLITE_FULL or "database or disk is full" in text:
        return DiskFull(f"磁盘已满，数据库 {where} 无法写入：请清理磁盘空间后重试；"
                        "这次操作没有保存")
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB) or "file is not a database" in text \
            or "malformed" in text:
        return DatabaseDamaged(
            f"数据库文件已损坏：{where}（{text}）。请先关闭所有终端，把这个文件连同同目录下的"
            "同名 -wal、-shm 文件移到别处保存（不要删除），再把最近一次备份的数据库文件复制到"
            "原位置后重新启动；没有备份时请技术人员用 sqlite3 的 .recover 命令"
            "从移走的文件中抢救数据")
    return None


def connection_lost(exc: BaseException) -> bool:
    """True when ``exc`` says an established PostgreSQL connection is gone (not a timeout:
    trying again on a frozen server would only wait twice)."""
    orig = _driver_error(exc)
    if isinstance(orig, ServerTimeout) or not type(orig).__module__.startswith("psycopg"):
        return False
    return isinstance(translate(exc, ""), DatabaseUnavailable)


def wait_with_timeout(conn: Any) -> None:
    """psycopg2's wait callback: as the blocking wait, but giving up after the connection's
    ``hall_connect_seconds`` (while connecting) or ``hall_wait_seconds`` (a statement).

    Connections that don't carry these (not opened by the hall) wait as long as it takes.
    """
    import psycopg2
    from psycopg2 import extensions

    connecting = conn.status == extensions.STATUS_SETUP
    timeout = getattr(conn, "hall_connect_seconds" if connecting else "hall_wait_seconds", None)
    while True:
        state = conn.poll()
        if state == extensions.POLL_OK:
            return
        fd = conn.fileno()
        if state == extensions.POLL_READ:
            ready = select.select([fd], [], [], timeout)[0]
        elif state == extensions.POLL_WRITE:
            ready = select.select([], [fd], [], timeout)[1]
        else:
            raise psycopg2.OperationalError(f"bad state from poll: {state}")
        if not ready:
            what = "连接" if connecting else "执行语句"
            raise _timeout_error()(f"{what} {timeout:g} 秒无应答")


class FaultsMixin:
    """Database methods that raise :class:`DatabaseFault` for breakdowns and replace a lost
    connection once when that is safe. ``fault_where`` names the file or server."""

    fault_where = ""

    def _fault(self, exc: Exception) -> Exception:
        return translate(exc, self.fault_where) or exc

    def _discard_connection(self) -> None:
        """Drop the calling thread's broken connection so the next use opens a new one."""
        try:
            manual_close = getattr(self, "manual_close", None)
            if manual_close is not None:
                manual_close()
            else:
                super().close()  # type: ignore[misc]
        except Exception:
            self._state.reset()  # type: ignore[attr-defined]

    def _again_if_lost(self, fn: Any, *args: Any, retry_reads_only: str | None = None) -> Any:
        was_open = not self.is_closed()  # type: ignore[attr-defined]
        try:
            return fn(*args)
        except peewee.PeeweeException as exc:
            lost = was_open and connection_lost(exc) and not self.in_transaction()  # type: ignore[attr-defined]
            if lost and retry_reads_only is not None:
                never_sent = isinstance(_driver_error(exc), _interface_error())
                lost = never_sent or retry_reads_only.lstrip()[:6].upper() == "SELECT"
            if not lost:
                raise self._fault(exc) from exc
            self._discard_connection()
        try:
            return fn(*args)
        except peewee.PeeweeException as exc:
            raise self._fault(exc) from exc

    def connect(self, reuse_if_open: bool = False) -> bool:
        try:
            return super().connect(reuse_if_open)  # type: ignore[misc]
        except peewee.PeeweeException as exc:
            raise self._fault(exc) from exc

    def _rolled_back_already(self) -> bool:
        """SQLite ended the transaction itself (a full disk does): rolling back would only
        replace the first error by "cannot rollback - no transaction is active"."""
        conn = None if self.is_closed() else self._state.conn  # type: ignore[attr-defined]
        return isinstance(conn, sqlite3.Connection) and not conn.in_transaction

    def execute_sql(self, sql: str, params: Any = None) -> Any:
        if sql.startswith("ROLLBACK TO SAVEPOINT") and self._rolled_back_already():
            return None  # a savepoint's rollback after the disk filled up (see rollback)
        return self._again_if_lost(super().execute_sql, sql, params,  # type: ignore[misc]
                                   retry_reads_only=sql)

    def begin(self, *args: Any, **kwargs: Any) -> None:
        return self._again_if_lost(lambda: super(FaultsMixin, self).begin(*args, **kwargs))  # type: ignore[misc]

    def commit(self) -> None:
        try:
            return super().commit()  # type: ignore[misc]
        except peewee.PeeweeException as exc:
            raise self._fault(exc) from exc

    def rollback(self) -> None:
        if self._rolled_back_already():
            return  # the first error stands
        try:
            return super().rollback()  # type: ignore[misc]
        except peewee.PeeweeException as exc:
            raise self._fault(exc) from exc


class SqliteCursor(sqlite3.Cursor):
    """SQLite's cursor whose fetches say a damaged page in words too (rows are read lazily, so
    a damaged page can surface after ``execute``)."""

    fault_where = ""

    def fetchone(self) -> Any:
        try:
            return super().fetchone()
        except sqlite3.DatabaseError as exc:
            raise (translate(exc, self.fault_where) or exc) from exc

    def fetchmany(self, size: int = 1) -> list[Any]:
        try:
            return super().fetchmany(size)
        except sqlite3.DatabaseError as exc:
            raise (translate(exc, self.fault_where) or exc) from exc

    def fetchall(self) -> list[Any]:
        try:
            return super().fetchall()
        except sqlite3.DatabaseError as exc:
            raise (translate(exc, self.fault_where) or exc) from exc


_TIMEOUT: list[type[Exception]] = []


def _timeout_error() -> type[Exception]:
    """psycopg2's OperationalError marked as :class:`ServerTimeout` (peewee wraps it as an
    OperationalError: it looks at the first base)."""
    if not _TIMEOUT:
        import psycopg2

        _TIMEOUT.append(type("ServerTimeout", (psycopg2.OperationalError, ServerTimeout), {}))
    return _TIMEOUT[0]


def _interface_error() -> type[BaseException]:
    try:
        import psycopg2
    except ImportError:  # pragma: no cover - psycopg2 is a dependency
        return peewee.InterfaceError
    return psycopg2.InterfaceError
