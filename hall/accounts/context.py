"""The accounts context: seeding from the configuration, signing in, passwords, tokens, history.

    hall.accounts.seed()                                   # on first use (Hall does it)
    actor = hall.accounts.sign_in("desk01", password)      # NotAllowed: wrong, locked, disabled
    token = hall.accounts.create_token("kiosk01", actor="admin", days=365)   # shown once
    actor = hall.accounts.by_token(token)
    password = hall.accounts.add("win21", "李娜", "window", ["hrss"], actor="admin")

The configuration's staff list seeds the accounts the first time a database is used (no
passwords: ``hall staff init --admin LOGIN`` gives the administrator one, who then gives everyone
else one-time passwords). From then on the database holds them, and every change is an
:class:`models.AccountEvent` plus an audit event. Five wrong passwords in a row (configurable)
lock an account for a configured time; the lock and every failed attempt are audited.

The context is split by purpose: this module signs in and starts a hall (seed, the first
administrator, one's own password, the demo's), :mod:`hall.accounts.admin` holds the
administrator's acts on accounts, :mod:`hall.accounts.tokens` the access tokens, and
:mod:`hall.accounts.base` what they share; :class:`Accounts` is all of them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from peewee import IntegrityError

from hall.accounts import passwords
from hall.accounts.actor import Actor, actor_of
from hall.accounts.admin import AccountAdmin
from hall.accounts.base import ACCOUNTS, form_error, login_problem
from hall.accounts.tokens import TokenAdmin
from hall.errors import NotAllowed, Refused
from hall.text import freetext
from models import Account, Visitor
from models.locks import locked_account

__all__ = ["ACCOUNTS", "WRONG", "Accounts"]

WRONG = "登录名或密码错误"


class Accounts(AccountAdmin, TokenAdmin):
    """Staff accounts over one hall's Store: signing in, the administrator's acts, tokens."""

    # -- seeding --------------------------------------------------------------------------------

    def seed(self) -> int:
        """Create an account (no password yet) for every configured staff member the database
        does not hold; returns how many were created. Accounts already there are left as the
        database has them: from the first use on, the database is the roster."""
        config = self.store.config
        if Account.select().exists() or not config.staff:
            return 0
        try:
            return self._seed(self._at())
        except IntegrityError:  # another terminal seeded at the same moment: theirs stand
            return 0

    def _seed(self, at: datetime) -> int:
        config = self.store.config
        created = 0
        with self.store.transaction():
            for member in config.staff:
                departments = member.all_departments
                row, made = Account.get_or_create(login=member.login, defaults={
                    "name": member.name, "role": member.role,
                    "departments": ",".join(departments), "created_at": at})
                if made:
                    created += 1
                    self._event(row, "created", "config", at,
                                {"role": member.role, "departments": departments})
            if created:  # the history says "created by config"; the audit log holds people's acts
                self.store.bump(ACCOUNTS)
        return created

    # -- signing in -----------------------------------------------------------------------------

    def sign_in(self, login: str, password: str) -> Actor:
        """The actor ``login`` if ``password`` is theirs; else :class:`NotAllowed` (one message
        for an unknown login and a wrong password, so neither can be probed). A wrong password
        counts towards the lock; the right one resets the count. Audited either way."""
        at = self._at()
        row = Account.get_or_none(Account.login == login)
        if row is None:
            self._audit_refusal(login, "unknown", at)
            raise NotAllowed(WRONG)
        if not row.active:
            self._audit_refusal(login, "disabled", at)
            raise NotAllowed(f"账号“{login}”已停用，请联系管理员")
        if row.locked_until is not None and row.locked_until > at:
            self._audit_refusal(login, "locked", at)
            raise NotAllowed(self._locked_message(login, row.locked_until))
        if not row.password_hash:
            self._audit_refusal(login, "no password", at)
            raise NotAllowed(f"账号“{login}”尚未设置密码，"
                             f"请管理员用 hall staff passwd {login} 设置")
        if not passwords.verify(row.password_hash, password, self.hasher):
            raise NotAllowed(self._wrong_password(row, at))
        with self.store.transaction():
            if row.failures or row.locked_until is not None:
                (Account.update(failures=0, locked_until=None)
                 .where(Account.id == row.id).execute())
            self.store.audit(login, "account.sign_in", "account", login, at, {})
        return actor_of(row)

    def _wrong_password(self, row: Account, at: datetime) -> str:
        """Count a wrong password (audited); lock the account at the configured count. Returns
        the refusal's message.

        The count is read again under the row's lock: two terminals typing wrong passwords for
        one login at once count both, and an attempt that raced a lock being taken neither
        counts nor lifts it."""
        settings = self.store.config.accounts
        login = row.login
        with self.store.transaction():
            row = locked_account(self.store.db, row.id)
            if row.locked_until is not None and row.locked_until > at:
                self.store.audit(login, "account.refused", "account", login, at,
                                 {"why": "locked"})
                return self._locked_message(login, row.locked_until)
            failures = row.failures + 1
            lock = failures >= settings.lock_after
            until = at + timedelta(minutes=settings.lock_minutes) if lock else None
            (Account.update(failures=0 if lock else failures, locked_until=until,
                            version=Account.version + 1)
             .where(Account.id == row.id).execute())
            self.store.audit(login, "account.failed", "account", login, at,
                             {"failures": failures})
            if lock:
                self._event(row, "locked", login, at, {"until": until})
                self.store.audit(login, "account.locked", "account", login, at,
                                 {"until": until, "minutes": settings.lock_minutes})
                self.store.bump(ACCOUNTS)
        if lock:
            return (f"连续 {settings.lock_after} 次密码错误，账号“{login}”已锁定 "
                    f"{settings.lock_minutes} 分钟")
        return WRONG

    def _locked_message(self, login: str, until: datetime) -> str:
        return (f"账号“{login}”因连续输错密码已锁定，"
                f"请于 {self.store.local(until):%H:%M} 后再试或联系管理员")

    # -- the first start, one's own password, the demo -----------------------------------------

    def needs_admin(self) -> bool:
        """True while no administrator can sign in (a new database): the first start asks for
        the administrator's login and password (:meth:`init_admin`)."""
        return not (Account.select()
                    .where((Account.role == "admin") & (Account.active == True)  # noqa: E712
                           & (Account.password_hash != ""))
                    .exists())

    def init_admin(self, login: str, password: str, name: str = "系统管理员") -> Actor:
        """The first start: give the administrator ``login`` a password (creating the account
        when the configuration has none by that login). Refused once an administrator can sign
        in: from then on only an administrator changes accounts."""
        if not self.needs_admin():
            raise NotAllowed("已有管理员账号，请由管理员登录后管理账号")
        problem = login_problem(login)
        errors = {"login": problem} if problem is not None else {}
        name = freetext.field(errors, "name", name, freetext.NAME, required="请填写姓名")
        problem = passwords.policy_problem(password, login)
        if problem is not None:
            errors["password"] = problem
        if errors:
            raise form_error(errors)
        row = Account.get_or_none(Account.login == login)
        if row is not None and row.role != "admin":
            raise NotAllowed(f"账号“{login}”的角色不是管理员，不能用于初始化")
        if row is not None and not row.active:
            raise NotAllowed(f"管理员账号“{login}”已停用，请用另一个登录名初始化")
        digest = passwords.hash_password(password, self.hasher)
        at = self._at()
        with self.store.transaction():
            if not self.needs_admin():  # another terminal was first
                raise NotAllowed("已有管理员账号，请由管理员登录后管理账号")
            if row is None:
                row = Account.create(login=login, name=name, role="admin", created_at=at)
                self._event(row, "created", login, at, {"role": "admin", "first_start": True})
                self.store.audit(login, "account.create", "account", login, at,
                                 {"role": "admin", "first_start": True})
            self._store_password(row, digest, one_time=False)
            self._event(row, "password", login, at, {"first_start": True})
            self.store.audit(login, "account.password", "account", login, at,
                             {"first_start": True})
            self.store.bump(ACCOUNTS)
        return actor_of(Account.get(Account.login == login))

    def change_password(self, login: str, current: str, new: str) -> Actor:
        """The account's own password change (a one-time password's first change included)."""
        actor = self.sign_in(login, current)
        if new == current:
            raise form_error({"password": "新密码不能与原密码相同"})
        self._set_password(login, new, actor.login, one_time=False)
        return Actor(actor.login, actor.name, actor.role, actor.departments, must_change=False)

    def demo_passwords(self, password: str) -> int:
        """For the demo database only (``hall demo``): give every account ``password`` (one
        hash, no change required at sign-in) so a newcomer can open every screen; returns how
        many. Refused on a database holding visitors or any password: never on a real hall."""
        if Visitor.select().exists() or Account.select().where(
                Account.password_hash != "").exists():
            raise Refused("演示密码只用于新建的演示数据库：此数据库已有来访人或已设密码")
        digest = passwords.hash_password(password, self.hasher)
        at = self._at()
        with self.store.transaction():
            rows = list(Account.select().where(Account.active == True))  # noqa: E712
            for row in rows:  # the history says "demo"; the audit log holds people's acts
                self._store_password(row, digest, one_time=False)
                self._event(row, "demo", "demo", at, {})
            self.store.bump(ACCOUNTS)
        return len(rows)
