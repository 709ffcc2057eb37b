"""What the main window hosts: one role's page and what it runs, mounted after login.

The shell (``seat_app.ui.shell_controller``) mounts the workspaces the user's role
allows, asks each one before logging out (``busy_reason``), and stops each one
before the window closes. A workspace reports an expired login through
``sessionExpired``; the shell brings the login back.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from seat_app.core.seat_settings import SeatSettings
from seat_app.services.ports import ApiPort


class Workspace(QObject):
    sessionExpired = Signal()

    def __init__(self, key: str, title: str, page: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.title = title
        self.page = page

    def start(self, client: ApiPort) -> None:
        """After login, with the logged-in client."""

    def resume(self) -> None:
        """After logging in again (the token had expired): the same user, a fresh token in the client."""

    def busy_reason(self) -> str:
        """Why the user may not log out now ("" when they may)."""
        return ""

    async def stop(self) -> None:
        """Logging out or closing: end what runs here and tell the server."""

    def apply_settings(self, settings: SeatSettings) -> None:
        """The user saved new settings."""

    def dispose(self) -> None:
        self.page.deleteLater()
        self.deleteLater()
