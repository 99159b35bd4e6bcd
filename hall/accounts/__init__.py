"""Staff accounts, signing in, roles and permissions (see :mod:`hall.accounts.permissions`).

    actor = hall.accounts.sign_in("win07", password)
    hall.windows.call_next(7, actor=actor.login)     # the facade checks the table itself
"""

from __future__ import annotations

from hall.accounts.actor import Actor
from hall.accounts.context import Accounts
from hall.accounts.permissions import ACTS, PERMISSIONS, ROLES, allowed, may_open

__all__ = ["ACTS", "PERMISSIONS", "ROLES", "Accounts", "Actor", "allowed", "may_open"]
