"""peewee without the PostgreSQL driver until a PostgreSQL URL asks for it.

    from models.drivers import peewee      # imported first by models/__init__.py
    load_postgres_driver()                 # open_database does it for a postgresql:// URL

peewee imports every database driver it finds when it is imported (psycopg2 with its SSL and
socket libraries: some 15 ms of a kiosk's ``hall status`` on SQLite), and looks for the ones it
does not find along the whole import path. This module imports peewee with those drivers hidden,
and :func:`load_postgres_driver` hands peewee psycopg2 when the first PostgreSQL database is
opened, as peewee's own import would have: the same names bound in its module, UUID adaptation
registered, and the psycopg2 adapter's transaction states set.

Whoever imports peewee first decides: a program that imported peewee before :mod:`models` (a
test run, a benchmark) has its drivers already, and nothing here changes them.
"""

from __future__ import annotations

import sys

# peewee's optional drivers: psycopg2 is the hall's PostgreSQL driver; the others it only tries.
_HIDDEN = ("psycopg2cffi", "psycopg2", "psycopg", "pymysql", "MySQLdb")

if "peewee" in sys.modules:
    import peewee
else:
    _hidden = [name for name in _HIDDEN if name not in sys.modules]
    for _name in _hidden:
        sys.modules[_name] = None  # type: ignore[assignment]  # "import x" raises ImportError
    try:
        import peewee
    finally:
        for _name in _hidden:
            if sys.modules.get(_name, 0) is None:
                del sys.modules[_name]

__all__ = ["load_postgres_driver", "peewee"]


def load_postgres_driver() -> None:
    """Import psycopg2 and give it to peewee (once; nothing to do when peewee has it)."""
    if peewee.psycopg2 is not None:
        return
    import psycopg2
    from psycopg2 import extensions
    from psycopg2.extras import Json, register_uuid

    # What peewee's module body does when psycopg2 imports (peewee 3.17 to 4.x).
    register_uuid()
    peewee.pg_extensions = extensions
    peewee.pg_register_uuid = register_uuid
    peewee.Json_pg2 = Json
    adapter = getattr(peewee, "Psycopg2Adapter", None)  # peewee 4; 3.x reads the names above
    if adapter is not None:
        adapter.txn_idle = extensions.TRANSACTION_STATUS_IDLE
        adapter.txn_inerror = extensions.TRANSACTION_STATUS_INERROR
        adapter.txn_unknown = extensions.TRANSACTION_STATUS_UNKNOWN
    peewee.psycopg2 = psycopg2  # last: the mark that the rest is done
