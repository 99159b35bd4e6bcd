"""What every part of the accounts context shares: the Store, the hasher, finding an account,
writing its history, and the checks of what an administrator types.

    row = self._account("win07")                       # NotFound: 没有账号“win07”
    with self._change(row, "disabled", actor, {...}):  # one transaction, event, audit, counter
        Account.update(...)

The checks raise :class:`hall.desk.registration.FormError` naming each field (the CLI prints
``LOGIN（登录名）：…``, ``--role（角色）：…``); nothing is written when one fails.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from argon2 import PasswordHasher

from hall.accounts import passwords
from hall.accounts.permissions import ROLES, SCOPED
from hall.clock import to_storage
from hall.errors import NotFound
from hall.text import freetext
from models import Account, AccountEvent

if TYPE_CHECKING:
    from hall.store import Store

ACCOUNTS = "accounts"  # the change counter terminals poll for account changes

LABELS = {"login": "登录名", "name": "姓名", "role": "角色", "departments": "部门",
          "password": "密码", "days": "有效天数", "label": "令牌说明"}
"""The fields of an account form, in Chinese (a :class:`FormError`'s labels)."""

LOGIN = re.compile(r"[a-z][a-z0-9_]{0,31}")
"""A login, like a configuration code: a lowercase letter, then lowercase letters, digits, _."""


def form_error(errors: dict[str, str]) -> Exception:
    """The accounts' form error (the desk's FormError with these fields' labels)."""
    from hall.desk.registration import FormError

    return FormError(errors, LABELS)


def login_problem(login: str) -> str | None:
    """What is wrong with ``login`` as a new login, in Chinese; None if nothing is."""
    if not LOGIN.fullmatch(login or ""):
        return (f"应为小写英文字母开头、由小写字母、数字和下划线组成（至多 32 位），"
                f"实际为“{freetext.shown(login or '')}”")
    return None


class AccountsBase:
    """The Store and hasher of one hall's accounts, and the helpers every part uses."""

    def __init__(self, store: Store, hasher: PasswordHasher = passwords.HASHER) -> None:
        self.store = store
        self.hasher = hasher  # tests may give a cheaper one; hashes carry their parameters

    # -- reading --------------------------------------------------------------------------------

    def _account(self, login: str) -> Account:
        row = Account.get_or_none(Account.login == login)
        if row is None:
            raise NotFound(f"没有账号“{freetext.shown(login)}”（hall staff list 列出全部账号）")
        return row

    def _at(self) -> datetime:
        return to_storage(self.store.now())

    # -- checking -------------------------------------------------------------------------------

    def _role_and_departments(self, errors: dict[str, str], role: str,
                              departments: list[str]) -> list[str]:
        """Check a role and its departments into ``errors``; the departments without repeats."""
        config = self.store.config
        if role not in ROLES:
            known = "、".join(f"{code}（{name}）" for code, name in ROLES.items())
            errors["role"] = f"没有角色“{freetext.shown(role)}”，应为：{known}"
        unique = list(dict.fromkeys(d.strip() for d in departments if d.strip()))
        unknown = [d for d in unique if config.department(d) is None]
        if unknown:
            known = "、".join(d.code for d in config.departments)
            errors["departments"] = (f"没有部门“{'、'.join(freetext.shown(d) for d in unknown)}”"
                                     f"，应为：{known}")
        elif role in SCOPED and not unique:
            errors["departments"] = (f"{ROLES[role]}只在本部门办理，请至少指定一个部门"
                                     "（--department）")
        return unique

    # -- writing --------------------------------------------------------------------------------

    @contextmanager
    def _change(self, row: Account, kind: str, actor: str, detail: dict[str, Any],
                action: str | None = None) -> Iterator[datetime]:
        """One change of an account: the caller's update runs inside one transaction that also
        appends the account's history entry, the audit event (``account.<kind>`` unless
        ``action``) and bumps the accounts' change counter. Yields the stored time."""
        at = self._at()
        with self.store.transaction():
            yield at
            self._event(row, kind, actor, at, detail)
            self.store.audit(actor, action or f"account.{kind}", "account", row.login, at, detail)
            self.store.bump(ACCOUNTS)

    def _event(self, row: Account, kind: str, actor: str, at: datetime,
               detail: dict[str, Any]) -> None:
        AccountEvent.create(account=row, at=at, actor=actor, kind=kind,
                            detail=json.dumps(detail, ensure_ascii=False, default=str))

    def _audit_refusal(self, login: str, why: str, at: datetime) -> None:
        with self.store.transaction():
            self.store.audit(login[:32], "account.refused", "account", login[:32], at,
                             {"why": why})
