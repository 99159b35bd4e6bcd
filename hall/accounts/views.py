"""What the accounts context hands to adapters: frozen views, never a hash or a token's text.

    for account in hall.accounts.list(actor="admin"):
        print(account.login, account.role_name, account.state)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hall.accounts.permissions import ROLES

KINDS = {
    "created": "创建", "password": "修改密码", "reset": "重置密码（一次性密码）",
    "locked": "连续输错密码锁定", "unlocked": "解除锁定", "disabled": "停用", "enabled": "启用",
    "role": "变更角色", "departments": "变更部门", "token": "创建访问令牌",
    "token_revoked": "吊销访问令牌", "demo": "演示密码",
}
"""An account's history entry kind → what it is called."""


@dataclass(frozen=True)
class AccountView:
    """One account as an administrator sees it (no password hash: only whether one is set)."""

    login: str
    name: str
    role: str
    departments: tuple[str, ...]
    active: bool
    has_password: bool
    must_change: bool
    locked_until: datetime | None  # the hall's local time; None when not locked now
    created_at: datetime

    @property
    def role_name(self) -> str:
        """「窗口」, 「管理员」…"""
        return ROLES.get(self.role, self.role)

    @property
    def state(self) -> str:
        """「正常」「已停用」「已锁定至 10:15」「未设密码」「须修改密码」."""
        if not self.active:
            return "已停用"
        if self.locked_until is not None:
            return f"已锁定至 {self.locked_until:%H:%M}"
        if not self.has_password:
            return "未设密码"
        return "须修改密码" if self.must_change else "正常"


@dataclass(frozen=True)
class AccountEventView:
    """One entry of an account's history (append-only)."""

    at: datetime  # the hall's local time
    actor: str
    kind: str
    detail: dict[str, Any]

    @property
    def kind_name(self) -> str:
        """What the entry is called: 「停用」, 「变更角色」…"""
        return KINDS.get(self.kind, self.kind)


@dataclass(frozen=True)
class TokenView:
    """An access token as listed: never its text (only its digest is stored anyway)."""

    id: int
    login: str
    label: str
    created_at: datetime
    created_by: str
    expires_at: datetime | None
    revoked_at: datetime | None
    revoked_by: str
    state: str  # valid, expired, revoked

    @property
    def state_name(self) -> str:
        """「有效」「已过期」「已吊销」."""
        return {"valid": "有效", "expired": "已过期", "revoked": "已吊销"}[self.state]


def detail_of(text: str) -> dict[str, Any]:
    """A history entry's stored JSON detail (a damaged one: empty)."""
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
