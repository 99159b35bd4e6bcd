"""Who acts: the signed-in staff member every change is recorded under, and the check of an act.

An :class:`Actor` is what signing in (a password, a token) gives back; the facade's acts take the
actor's login and :func:`permit` reads the account again inside the hall, so a role changed or an
account disabled on another terminal counts from the next act on, not from the next sign-in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import peewee as pw

from hall.accounts.permissions import ACTS, ROLES, SCOPED, allowed
from hall.errors import NotAllowed
from models import Account
from models import statements as sql


@dataclass(frozen=True)
class Actor:
    """A signed-in staff member (a frozen view of the account)."""

    login: str
    name: str
    role: str
    departments: frozenset[str]
    must_change: bool = False  # signed in with a one-time password: change it first

    @property
    def role_name(self) -> str:
        """「窗口」, 「中心领导」…"""
        return ROLES.get(self.role, self.role)

    @property
    def label(self) -> str:
        """「王丽（desk01）」."""
        return f"{self.name}（{self.login}）"

    def may(self, act: str, department: str | None = None,
            departments: Iterable[str] = ()) -> bool:
        """Whether this actor may do ``act`` (for ``department``, when the act has one).

        ``departments``: the act is for any one of these (a window serving several): a scoped
        role (:data:`~hall.accounts.permissions.SCOPED`) needs one of them among its own.
        """
        if not allowed(self.role, act):
            return False
        wanted = set(departments)
        if department is not None:
            wanted.add(department)
        return not wanted or self.role not in SCOPED or bool(wanted & self.departments)


def actor_of(row: Account) -> Actor:
    """The actor an account row describes."""
    return Actor(login=row.login, name=row.name, role=row.role,
                 departments=frozenset(d for d in row.departments.split(",") if d),
                 must_change=bool(row.must_change))


def find_actor(login: str, db: pw.Database | None = None) -> Actor | None:
    """The active account ``login`` as an actor, or None (unknown or disabled): one prepared
    statement on the unique login index of ``db`` (default: the bound database); every act of
    the facade makes this read."""
    database = db or Account._meta.database
    if isinstance(database, pw.DatabaseProxy):  # the bound database it stands for
        database = database.obj
    row = sql.active_account(database, login=login)
    if row is None:
        return None
    login, name, role, departments, must_change = row
    return Actor(login=login, name=name, role=role,
                 departments=frozenset(d for d in departments.split(",") if d),
                 must_change=must_change)


def check(actor: Actor | None, login: str, act: str, department: str | None = None, *,
          departments: Iterable[str] = (), name: Callable[[str], str] = str) -> Actor:
    """``actor`` if it may do ``act`` (for ``department``, or any of ``departments``); else
    :class:`NotAllowed` saying why, in Chinese (``name``: what a department is called)."""
    what = ACTS.get(act, act)
    if actor is None:
        raise NotAllowed(f"无权限{what}：账号“{login}”不存在或已停用，请重新登录")
    if not allowed(actor.role, act):
        raise NotAllowed(f"无权限{what}：{actor.role_name}（{actor.login}）不能{what}")
    departments = tuple(departments)
    if not actor.may(act, department, departments):
        where = "、".join(name(d) for d in (department, *departments) if d)
        raise NotAllowed(f"无权限{what}：{actor.label}不属于{where}，只能办理本部门的事项")
    return actor
