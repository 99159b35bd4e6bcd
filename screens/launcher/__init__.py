"""Who works and which role: signing in, and the launcher (the roles the signed-in person may open).

- :mod:`.launcher` -- :data:`ROLES` and :class:`LauncherScreen` (``launcher.tcss``).
- :mod:`.login` -- :class:`LoginScreen` (login and password) and the :class:`PasswordDialog` the
  idle lock shares (``login.tcss``).
- :mod:`.password` -- a one-time password changed, the first administrator on a new database.
"""

from __future__ import annotations

from screens.launcher.launcher import ROLES, LauncherScreen, Role
from screens.launcher.login import LoginScreen, PasswordDialog

__all__ = ["ROLES", "LauncherScreen", "LoginScreen", "PasswordDialog", "Role"]
