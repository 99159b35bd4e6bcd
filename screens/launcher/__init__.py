"""Who works and which role: the launcher (pick a role) and the login (pick a staff member).

- :mod:`.launcher` -- :data:`ROLES` and :class:`LauncherScreen` (``launcher.tcss``).
- :mod:`.login` -- :class:`LoginScreen` (``login.tcss``).
"""

from __future__ import annotations

from screens.launcher.launcher import ROLES, LauncherScreen, Role
from screens.launcher.login import LoginScreen

__all__ = ["ROLES", "LauncherScreen", "LoginScreen", "Role"]
