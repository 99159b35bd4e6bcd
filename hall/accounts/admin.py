"""The administrator's acts on accounts (``hall staff …``): add, reset, disable, enable, roles,
departments, unlock, and the reads of the list and of an account's history.

    password = hall.accounts.add("win21", "李娜", "window", ["hrss"], actor="admin")  # shown once
    password = hall.accounts.reset_password("win07", actor="admin")   # one-time, must be changed
    hall.accounts.disable("win07", actor="admin")
    hall.accounts.set_role("win07", "leader", actor="admin", departments=["leader"])
    hall.accounts.unlock("win07", actor="admin")
    hall.accounts.set_password("win07", "new-password", actor="win07")   # one's own account only
    views = hall.accounts.list(actor="admin")                           # never a hash

Each act asks :meth:`hall.store.Store.permit` for ``account.manage`` first (anyone else:
:class:`hall.errors.NotAllowed`, audited), checks what was typed (:class:`FormError` naming the
field, nothing written), then runs in one transaction that writes the change, a history entry
(:class:`models.AccountEvent`), an audit event, and bumps the ``accounts`` change counter. A
change that changes nothing (disabling a disabled account ...) is :class:`hall.errors.Refused`.

The hall never loses its last way in: an administrator cannot disable, or take the role away
from, the last active administrator who can sign in, nor disable or demote themselves.
"""

from __future__ import annotations

import builtins
from typing import Any

from peewee import IntegrityError

from hall.accounts import passwords
from hall.accounts.actor import find_actor
from hall.accounts.base import AccountsBase, form_error, login_problem
from hall.accounts.views import AccountEventView, AccountView, detail_of
from hall.errors import NotAllowed, Refused
from hall.text import freetext
from models import Account, AccountEvent, is_sqlite
from models.locks import locked_account

MANAGE = "account.manage"


class AccountAdmin(AccountsBase):
    """Adding and changing accounts; reading them (administrators)."""

    # -- reads ----------------------------------------------------------------------------------

    def list(self, actor: str) -> builtins.list[AccountView]:
        """Every account, in the order they were made (administrators only)."""
        self.store.permit(actor, MANAGE)
        at = self._at()
        return [freetext.shown_in(AccountView(
            login=row.login, name=row.name, role=row.role,
            departments=tuple(d for d in row.departments.split(",") if d),
            active=bool(row.active), has_password=bool(row.password_hash),
            must_change=bool(row.must_change),
            locked_until=(self.store.local(row.locked_until)
                          if row.locked_until is not None and row.locked_until > at else None),
            created_at=self.store.local(row.created_at)))
            for row in Account.select().order_by(Account.id)]

    def history(self, login: str, actor: str) -> builtins.list[AccountEventView]:
        """``login``'s history, oldest first (administrators only)."""
        self.store.permit(actor, MANAGE)
        row = self._account(login)
        return [AccountEventView(at=self.store.local(e.at), actor=e.actor, kind=e.kind,
                                 detail=detail_of(e.detail))
                for e in AccountEvent.select().where(AccountEvent.account == row)
                .order_by(AccountEvent.at, AccountEvent.id)]

    # -- adding ---------------------------------------------------------------------------------

    def add(self, login: str, name: str, role: str, departments: builtins.list[str],
            actor: str) -> str:
        """A new account; returns its one-time password (shown once, changed at first sign-in)."""
        self.store.permit(actor, MANAGE)
        errors: dict[str, str] = {}
        problem = login_problem(login)
        if problem is not None:
            errors["login"] = problem
        elif Account.select().where(Account.login == login).exists():
            errors["login"] = f"登录名“{login}”已被使用，请换一个"
        name = freetext.field(errors, "name", name, freetext.NAME, required="请填写姓名")
        departments = self._role_and_departments(errors, role, departments)
        if errors:
            raise form_error(errors)
        password = passwords.one_time_password()
        digest = passwords.hash_password(password, self.hasher)
        at = self._at()
        detail = {"name": name, "role": role, "departments": departments}
        try:
            with self.store.transaction():
                row = Account.create(login=login, name=name, role=role,
                                     departments=",".join(departments), password_hash=digest,
                                     must_change=True, created_at=at)
                self._event(row, "created", actor, at, detail)
                self.store.audit(actor, "account.create", "account", login, at, detail)
                self.store.bump("accounts")
        except IntegrityError:  # added at the same moment on another terminal
            raise form_error({"login": f"登录名“{login}”已被使用，请换一个"}) from None
        return password

    # -- passwords ------------------------------------------------------------------------------

    def reset_password(self, login: str, actor: str) -> str:
        """A new one-time password for ``login`` (returned once; must be changed at the next
        sign-in); also lifts a lock."""
        self.store.permit(actor, MANAGE)
        row = self._account(login)
        password = passwords.one_time_password()
        digest = passwords.hash_password(password, self.hasher)
        with self._change(row, "reset", actor, {}):
            self._store_password(row, digest, one_time=True)
        return password

    def set_password(self, login: str, new: str, actor: str) -> None:
        """``actor`` sets their own password (signed in already: the adapter checked the current
        one); clears a one-time password's "must change"."""
        if actor != login or find_actor(actor) is None:
            self._audit_refusal(actor, "password of another account", self._at())
            raise NotAllowed("只能修改自己的密码；为他人重置密码请由管理员执行"
                             f"（hall staff passwd {freetext.shown(login)}）")
        self._set_password(login, new, actor, one_time=False)

    def _set_password(self, login: str, new: str, actor: str, *, one_time: bool) -> None:
        problem = passwords.policy_problem(new, login)
        if problem is not None:
            raise form_error({"password": problem})
        row = self._account(login)
        digest = passwords.hash_password(new, self.hasher)
        with self._change(row, "reset" if one_time else "password", actor, {}):
            self._store_password(row, digest, one_time=one_time)

    def _store_password(self, row: Account, digest: str, *, one_time: bool) -> None:
        (Account.update(password_hash=digest, must_change=one_time, failures=0,
                        locked_until=None, version=Account.version + 1)
         .where(Account.id == row.id).execute())

    # -- state ----------------------------------------------------------------------------------

    def disable(self, login: str, actor: str) -> None:
        """Disable ``login``: no sign-in, no token, no act from now on (history kept)."""
        self.store.permit(actor, MANAGE)
        row = self._account(login)
        if login == actor:
            raise Refused("不能停用自己的账号：请由另一位管理员停用")
        with self._change(row, "disabled", actor, {}):
            admins = self._signable_admins()
            fresh = self._locked(row)
            if not fresh.active:
                raise Refused(f"账号“{login}”已是停用状态")
            self._keep_an_admin(fresh, admins, f"“{login}”是最后一位可登录的管理员，不能停用："
                                "请先添加或启用另一位管理员")
            self._update(row, active=False)

    def enable(self, login: str, actor: str) -> None:
        """Enable a disabled account again."""
        self.store.permit(actor, MANAGE)
        row = self._account(login)
        with self._change(row, "enabled", actor, {}):
            if self._locked(row).active:
                raise Refused(f"账号“{login}”已是启用状态")
            self._update(row, active=True)

    def unlock(self, login: str, actor: str) -> None:
        """Lift a lock after wrong passwords before it runs out."""
        self.store.permit(actor, MANAGE)
        row = self._account(login)
        with self._change(row, "unlocked", actor, {}) as at:
            fresh = self._locked(row)
            if not fresh.failures and (fresh.locked_until is None or fresh.locked_until <= at):
                raise Refused(f"账号“{login}”没有被锁定")
            self._update(row, failures=0, locked_until=None)

    # -- role and departments -------------------------------------------------------------------

    def set_role(self, login: str, role: str, actor: str,
                 departments: builtins.list[str] | None = None) -> None:
        """Give ``login`` another role (and, when given, other departments)."""
        self.store.permit(actor, MANAGE)
        row = self._account(login)
        current = [d for d in row.departments.split(",") if d]
        errors: dict[str, str] = {}
        wanted = self._role_and_departments(
            errors, role, current if departments is None else departments)
        if errors:
            raise form_error(errors)
        if login == actor and role != row.role:
            raise Refused("不能修改自己的角色：请由另一位管理员修改")
        detail: dict[str, Any] = {"role": [row.role, role]}
        if wanted != current:
            detail["departments"] = [current, wanted]
        with self._change(row, "role", actor, detail):
            admins = self._signable_admins()
            fresh = self._locked(row)
            if fresh.role == role and fresh.departments == ",".join(wanted):
                raise Refused(f"账号“{login}”的角色和部门没有变化")
            if role != "admin":
                self._keep_an_admin(fresh, admins,
                                    f"“{login}”是最后一位可登录的管理员，不能改为其他角色："
                                    "请先添加或启用另一位管理员")
            self._update(row, role=role, departments=",".join(wanted))

    def set_departments(self, login: str, departments: builtins.list[str], actor: str) -> None:
        """Give ``login`` other departments (the role stays)."""
        self.store.permit(actor, MANAGE)
        row = self._account(login)
        errors: dict[str, str] = {}
        wanted = self._role_and_departments(errors, row.role, departments)
        if errors:
            raise form_error(errors)
        current = [d for d in row.departments.split(",") if d]
        with self._change(row, "departments", actor, {"departments": [current, wanted]}):
            if self._locked(row).departments == ",".join(wanted):
                raise Refused(f"账号“{login}”的部门没有变化")
            self._update(row, departments=",".join(wanted))

    # -- helpers --------------------------------------------------------------------------------

    def _locked(self, row: Account) -> Account:
        """The account's row as it is now, locked until the transaction ends."""
        return locked_account(self.store.db, row.id)

    def _update(self, row: Account, **values: Any) -> None:
        Account.update(version=Account.version + 1, **values).where(Account.id == row.id).execute()

    def _signable_admins(self) -> set[int]:
        """The ids of the active administrators who can sign in, their rows locked until the
        transaction ends.

        Taken before the account's own row, in id order, by every act that may take the last
        one away: on PostgreSQL two administrators disabling each other at once cannot both
        pass (the second waits, then sees the first one's change) nor deadlock; SQLite's
        BEGIN IMMEDIATE serialises them anyway."""
        query = (Account.select(Account.id)
                 .where((Account.role == "admin") & (Account.active == True)  # noqa: E712
                        & (Account.password_hash != ""))
                 .order_by(Account.id))
        if not is_sqlite(self.store.db):
            query = query.for_update()
        return {row.id for row in query}

    @staticmethod
    def _keep_an_admin(row: Account, admins: set[int], message: str) -> None:
        """Refuse (``message``) when ``row`` is the last of ``admins``."""
        if row.id in admins and not admins - {row.id}:
            raise Refused(message)
