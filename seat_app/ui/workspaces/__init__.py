"""One workspace per role. The role comes from the login reply (``user.role``, as ``GET /api/auth/me``).

operator → today's flow (queue, call, capture, checklist); officer → liability;
supervisor → the dashboard; admin → all three.
"""
from __future__ import annotations

#: workspace keys per role, in tab order
WORKSPACES_BY_ROLE: dict[str, tuple[str, ...]] = {
    "operator": ("operator",),
    "officer": ("liability",),
    "supervisor": ("dashboard",),
    "admin": ("operator", "liability", "dashboard"),
}


def workspaces_for(role: str) -> tuple[str, ...]:
    """The workspaces a role may use; none for a role the seat does not know."""
    return WORKSPACES_BY_ROLE.get(role, ())
