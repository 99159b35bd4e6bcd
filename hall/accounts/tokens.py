"""Access tokens for unattended terminals and integrations (``hall token …``, ``HALL_TOKEN``).

    token = hall.accounts.create_token("kiosk01", actor="admin", days=365, label="一楼自助机")
    actor = hall.accounts.by_token(token)          # NotAllowed: unknown, revoked, expired, disabled
    hall.accounts.revoke_token(3, actor="admin")
    views = hall.accounts.tokens("kiosk01", actor="admin")   # never the token's text

A token's text is returned once, by :meth:`TokenAdmin.create_token`; only its SHA-256 digest is
stored, so checking one is a single indexed lookup. Creating and revoking need ``token.manage``
(administrators) and are written like every account change: one transaction, a history entry on
the account, an audit event, the ``accounts`` counter bumped.
"""

from __future__ import annotations

from datetime import timedelta

from hall.accounts import passwords
from hall.accounts.actor import Actor, actor_of
from hall.accounts.base import AccountsBase, form_error
from hall.accounts.views import TokenView
from hall.errors import NotAllowed, NotFound, Refused
from hall.text import freetext
from models import AccessToken, Account

MANAGE = "token.manage"
MAX_DAYS = 3650


class TokenAdmin(AccountsBase):
    """Making, checking, listing and revoking access tokens."""

    def by_token(self, token: str) -> Actor:
        """The actor a token was made for; :class:`NotAllowed` for an unknown, revoked or expired
        token or a disabled account. One indexed lookup of the token's digest."""
        at = self._at()
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
        self.store.permit(actor, MANAGE)
        errors: dict[str, str] = {}
        label = freetext.field(errors, "label", label, freetext.PLACE)
        if days is not None and not 1 <= days <= MAX_DAYS:
            errors["days"] = f"应为 1 到 {MAX_DAYS} 之间的天数，实际为 {days}"
        if errors:
            raise form_error(errors)
        row = self._account(login)
        if not row.active:
            raise Refused(f"账号“{login}”已停用：请先启用（hall staff enable {login}）再创建令牌")
        token = passwords.new_token()
        digest = passwords.token_digest(token)
        detail: dict[str, object] = {"label": label}
        with self._change(row, "token", actor, detail, action="token.create") as at:
            expires = at + timedelta(days=days) if days is not None else None
            made = AccessToken.create(account=row, digest=digest, label=label, created_at=at,
                                      created_by=actor, expires_at=expires)
            detail.update(token=made.id, expires=expires)
        return token

    def revoke_token(self, token_id: int, actor: str) -> None:
        """Revoke token ``token_id`` (its number in :meth:`tokens`): refused from now on."""
        self.store.permit(actor, MANAGE)
        found = AccessToken.select(AccessToken, Account).join(Account).where(
            AccessToken.id == token_id).first()
        if found is None:
            raise NotFound(f"没有编号为 {token_id} 的访问令牌（hall token list 列出全部令牌）")
        if found.revoked_at is not None:
            raise Refused(f"访问令牌 {token_id} 已于 "
                          f"{self.store.local(found.revoked_at):%Y-%m-%d %H:%M} 吊销")
        with self._change(found.account, "token_revoked", actor, {"token": token_id},
                          action="token.revoke") as at:
            changed = (AccessToken.update(revoked_at=at, revoked_by=actor)
                       .where((AccessToken.id == token_id)
                              & AccessToken.revoked_at.is_null()).execute())
            if not changed:  # revoked on another terminal a moment ago
                raise Refused(f"访问令牌 {token_id} 已被吊销")

    def tokens(self, login: str | None, actor: str) -> list[TokenView]:
        """The tokens of ``login`` (None: of every account), oldest first; never their text."""
        self.store.permit(actor, MANAGE)
        query = AccessToken.select(AccessToken, Account).join(Account).order_by(AccessToken.id)
        if login is not None:
            query = query.where(AccessToken.account == self._account(login))
        at = self._at()
        local = self.store.local
        return [TokenView(
            id=t.id, login=t.account.login, label=freetext.shown(t.label),
            created_at=local(t.created_at), created_by=t.created_by,
            expires_at=local(t.expires_at) if t.expires_at is not None else None,
            revoked_at=local(t.revoked_at) if t.revoked_at is not None else None,
            revoked_by=t.revoked_by,
            state=("revoked" if t.revoked_at is not None
                   else "expired" if t.expires_at is not None and t.expires_at <= at
                   else "valid"))
            for t in query]
