"""The accounts context: seeding from the configuration, signing in, passwords, tokens, history.

    hall.accounts.seed()                                   # on first use (Hall does it)
    actor = hall.accounts.sign_in("desk01", password)      # NotAllowed: wrong, locked, disabled
    token = hall.accounts.create_token("kiosk01", actor="admin", days=365)   # shown once
    actor = hall.accounts.by_token(token)

The configuration's staff list seeds the accounts the first time a database is used (no
passwords: ``hall staff init --admin LOGIN`` gives the administrator one, who then gives everyone
else one-time passwords). From then on the database holds them, and every change is an
:class:`models.AccountEvent` plus an audit event. Five wrong passwords in a row (configurable)
lock an account for a configured time; the lock and every failed attempt are audited.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from argon2 import PasswordHasher
from peewee import IntegrityError

from hall.accounts import passwords
from hall.accounts.actor import Actor, actor_of
from hall.clock import to_storage
from hall.errors import NotAllowed
from models import AccessToken, Account, AccountEvent
from models.locks import locked_account

if TYPE_CHECKING:
    from hall.store import Store

ACCOUNTS = "accounts"  # the change counter terminals poll for account changes

WRONG = "登录名或密码错误"


class Accounts:
    """Staff accounts over one hall's Store."""

    def __init__(self, store: Store, hasher: PasswordHasher = passwords.HASHER) -> None:
        self.store = store
        self.hasher = hasher  # tests may give a cheaper one; hashes carry their parameters

    # -- seeding --------------------------------------------------------------------------------

    def seed(self) -> int:
        """Create an account (no password yet) for every configured staff member the database
        does not hold; returns how many were created. Accounts already there are left as the
        database has them: from the first use on, the database is the roster."""
        config = self.store.config
        if Account.select().exists() or not config.staff:
            return 0
        at = to_storage(self.store.now())
        try:
            return self._seed(at)
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
        settings = self.store.config.accounts
        now = self.store.now()
        at = to_storage(now)
        row = Account.get_or_none(Account.login == login)
        if row is None:
            self._audit_refusal(login, "unknown", at)
            raise NotAllowed(WRONG)
        if not row.active:
            self._audit_refusal(login, "disabled", at)
            raise NotAllowed(f"账号“{login}”已停用，请联系管理员")
        if row.locked_until is not None and row.locked_until > at:
            self._audit_refusal(login, "locked", at)
            raise NotAllowed(f"账号“{login}”因连续输错密码已锁定，"
                             f"请于 {self.store.local(row.locked_until):%H:%M} 后再试或联系管理员")
        if not row.password_hash:
            self._audit_refusal(login, "no password", at)
            raise NotAllowed(f"账号“{login}”尚未设置密码，"
                             f"请管理员用 hall staff passwd {login} 设置")
        if not passwords.verify(row.password_hash, password, self.hasher):
            with self.store.transaction():
                row = locked_account(self.store.db, row.id)
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
            if lock:
                raise NotAllowed(f"连续 {settings.lock_after} 次密码错误，账号“{login}”已锁定 "
                                 f"{settings.lock_minutes} 分钟")
            raise NotAllowed(WRONG)
        with self.store.transaction():
            if row.failures or row.locked_until is not None:
                (Account.update(failures=0, locked_until=None)
                 .where(Account.id == row.id).execute())
            self.store.audit(login, "account.sign_in", "account", login, at, {})
        return actor_of(row)

    def by_token(self, token: str) -> Actor:
        """The actor a token was made for; :class:`NotAllowed` for an unknown, revoked or expired
        token or a disabled account. One indexed lookup of the token's digest."""
        at = to_storage(self.store.now())
        found = (AccessToken.select(AccessToken, Account).join(Account)
                 .where(AccessToken.digest == passwords.token_digest(token)).first())
        if found is None:
            self._audit_refusal("token", "unknown token", at)
            raise NotAllowed("访问令牌无效，请向管理员申请新的令牌")
        login = found.account.login
        if found.revoked_at is not None:
            self._audit_refusal(login, "revoked token", at)
            raise NotAllowed("访问令牌已被吊销，请向管理员申请新的令牌")
        if found.expires_at is not None and found.expires_at <= at:
            self._audit_refusal(login, "expired token", at)
            raise NotAllowed("访问令牌已过期，请向管理员申请新的令牌")
        if not found.account.active:
            self._audit_refusal(login, "disabled", at)
            raise NotAllowed(f"账号“{login}”已停用，请联系管理员")
        return actor_of(found.account)

    def create_token(self, login: str, actor: str, days: int | None = None,
                     label: str = "") -> str:
        """A new token for ``login``'s account, valid ``days`` (None: until revoked); its text is
        returned once and only its digest kept."""
        self.store.permit(actor, "token.manage")
        row = self._account(login)
        token = passwords.new_token()
        now = self.store.now()
        at = to_storage(now)
        expires = at + timedelta(days=days) if days is not None else None
        with self.store.transaction():
            made = AccessToken.create(account=row, digest=passwords.token_digest(token),
                                      label=label, created_at=at, created_by=actor,
                                      expires_at=expires)
            self._event(row, "token", actor, at, {"token": made.id, "expires": expires})
            self.store.audit(actor, "token.create", "account", login, at,
                             {"token": made.id, "expires": expires})
        return token

    # -- passwords ------------------------------------------------------------------------------

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
        row = Account.get_or_none(Account.login == login)
        if row is not None and row.role != "admin":
            raise NotAllowed(f"账号“{login}”的角色不是管理员，不能用于初始化")
        if row is None:
            problem = passwords.policy_problem(password, login)
            if problem is not None:
                from hall.desk.registration import FormError

                raise FormError({"password": problem}, {"password": "密码"})
            at = to_storage(self.store.now())
            with self.store.transaction():
                row = Account.create(login=login, name=name, role="admin", created_at=at)
                self._event(row, "created", login, at, {"role": "admin", "first_start": True})
                self.store.audit(login, "account.create", "account", login, at,
                                 {"role": "admin", "first_start": True})
        self._set_password(login, password, login, one_time=False)
        return actor_of(Account.get(Account.login == login))

    def change_password(self, login: str, current: str, new: str) -> Actor:
        """The account's own password change (a one-time password's first change included)."""
        actor = self.sign_in(login, current)
        self._set_password(login, new, actor.login, one_time=False)
        return Actor(actor.login, actor.name, actor.role, actor.departments, must_change=False)

    def _set_password(self, login: str, new: str, actor: str, *, one_time: bool) -> None:
        problem = passwords.policy_problem(new, login)
        if problem is not None:
            from hall.desk.registration import FormError

            raise FormError({"password": problem}, {"password": "密码"})
        row = self._account(login)
        digest = passwords.hash_password(new, self.hasher)
        at = to_storage(self.store.now())
        with self.store.transaction():
            (Account.update(password_hash=digest, must_change=one_time, failures=0,
                            locked_until=None, version=Account.version + 1)
             .where(Account.id == row.id).execute())
            kind = "reset" if one_time else "password"
            self._event(row, kind, actor, at, {})
            self.store.audit(actor, f"account.{kind}", "account", login, at, {})
            self.store.bump(ACCOUNTS)

    # -- helpers --------------------------------------------------------------------------------

    def _account(self, login: str) -> Account:
        from hall.errors import NotFound

        row = Account.get_or_none(Account.login == login)
        if row is None:
            raise NotFound(f"没有账号“{login}”")
        return row

    def _event(self, row: Account, kind: str, actor: str, at: datetime,
               detail: dict[str, Any]) -> None:
        AccountEvent.create(account=row, at=at, actor=actor, kind=kind,
                            detail=json.dumps(detail, ensure_ascii=False, default=str))

    def _audit_refusal(self, login: str, why: str, at: datetime) -> None:
        with self.store.transaction():
            self.store.audit(login[:32], "account.refused", "account", login[:32], at,
                             {"why": why})
