"""No password and no token is ever kept in clear: not in any table (every column of every row
dumped as text), not in the audit log, not in an account's history, not in a view.

On SQLite, and PostgreSQL when HALL_TEST_PG_URL is set."""

from __future__ import annotations

from hall import Hall
from hall.errors import NotAllowed
from models import AuditEvent
from models.migrations import MODELS
from tests.helpers import TEST_PASSWORD, with_passwords

WRONG = "typo-Secret-77"
OWN = "brand-New-pass-3"
CHANGED = "second-Pass-44"


def _dump() -> str:
    """Every value of every row of every table, as text."""
    return "\n".join(str(value) for model in MODELS
                     for row in model.select().tuples() for value in row)


def test_no_password_or_token_is_stored_or_logged(hall: Hall) -> None:
    with_passwords(hall)
    one_time = hall.accounts.add("win21", "李娜", "window", ["hrss"], actor="admin")
    reset = hall.accounts.reset_password("win08", actor="admin")
    token = hall.accounts.create_token("kiosk01", actor="admin", days=30, label="一楼")
    hall.accounts.change_password("win21", one_time, OWN)
    hall.accounts.set_password("win07", CHANGED, actor="win07")
    hall.accounts.by_token(token)
    for attempt in (lambda: hall.accounts.sign_in("win07", WRONG),
                    lambda: hall.accounts.by_token("hall_" + WRONG)):
        try:
            attempt()
        except NotAllowed:
            pass
    secrets = [TEST_PASSWORD, one_time, reset, token, token.removeprefix("hall_"), OWN,
               CHANGED, WRONG]
    dumped = _dump()
    views = repr([hall.accounts.list("admin"), hall.accounts.tokens(None, "admin"),
                  hall.accounts.history("win21", "admin"), hall.accounts.history("kiosk01",
                                                                                "admin")])
    for secret in secrets:
        assert secret not in dumped
        assert secret not in views
    audits = [a.detail for a in AuditEvent.select()]
    assert any("account.failed" == a.action for a in AuditEvent.select())  # the dump saw them
    assert all(secret not in detail for secret in secrets for detail in audits)
    assert "$argon2id$" in dumped  # what is kept instead
