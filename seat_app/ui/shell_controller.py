"""The seat's shell: log in, mount the workspaces the user's role allows, settings, log out, close cleanly.

The role comes from the login reply (``user.role``; ``GET /api/auth/me`` when a
server leaves it out): operator → today's flow, officer → liability, supervisor →
the dashboard, admin → all three (``seat_app.ui.workspaces``). What each workspace
does is its own business; the shell only starts, asks and stops them. An expired
session or an unreachable server brings back the login dialog with the reason
and a retry.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from qasync import asyncSlot

from seat_app import settings as settings_store
from seat_app.core.seat_settings import SeatSettings
from seat_app.services.api_client import ApiClient, ApiError, Login, Unreachable
from seat_app.services.ports import ApiPort
from seat_app.ui.dialogs.login_dialog import LoginDialog
from seat_app.ui.dialogs.settings_dialog import SettingsDialog
from seat_app.ui.main_window import MainWindow
from seat_app.ui.workspaces import workspaces_for
from seat_app.ui.workspaces.workspace import Workspace

log = logging.getLogger(__name__)

#: ``client_factory(server_url, timeout=..., verify=...)`` -> the REST client (ApiClient, or a fake)
ClientFactory = Callable[..., ApiPort]
#: ``workspaces(key, window, settings)`` -> a new workspace (seat_app.ui.workspaces.catalogue.Workspaces)
WorkspaceFactory = Callable[[str, MainWindow, SeatSettings], Workspace]


class ShellController(QObject):
    finished = Signal()  # the app may quit: the window closed (or login was abandoned) and all is shut down

    def __init__(self, settings: SeatSettings, *, workspaces: WorkspaceFactory, save_settings: bool = True,
                 client_factory: ClientFactory = ApiClient) -> None:
        super().__init__()
        self.settings = settings
        self.make_workspace = workspaces
        self.save_settings = save_settings
        self.client_factory = client_factory
        self.window = MainWindow()
        self.window.on_close = self.shutdown
        self.window.settings_action.triggered.connect(self.open_settings)
        self.window.logout_action.triggered.connect(self.logout)
        self.window.session = self._session
        self.login_dialog: LoginDialog | None = None
        self.client: ApiPort | None = None
        self.username = ""
        self.role = ""
        self.mounted: dict[str, Workspace] = {}
        self._shut_down = False

    def workspace(self, key: str) -> Workspace | None:
        return self.mounted.get(key)

    # --- start and login -------------------------------------------------------------------
    def start(self, password: str = "") -> None:
        """Shows the login; with a password (the demo's ``--user`` plus ``$KUAICHU_SEAT_PASSWORD``) logs in at once.

        The password goes straight to the login call and never into the dialog's field.
        """
        self.show_login()
        if password and self.settings.username:
            self.login_dialog.set_busy(True)
            self.login(self.settings.server_url, self.settings.username, password)

    def show_login(self, reason: str = "") -> None:
        if self.login_dialog is None:
            dialog = LoginDialog(self.settings.server_url, self.settings.username)
            dialog.server.setReadOnly(not self.settings.allow_server_change)  # IT's lock (core/it_config.py)
            dialog.loginRequested.connect(self.login)
            dialog.rejected.connect(self._login_abandoned)
            self.login_dialog = dialog
        if reason:
            self.login_dialog.show_info(reason)
        self.login_dialog.set_busy(False)
        self.login_dialog.show()
        self.login_dialog.raise_()

    @asyncSlot(str, str, str)
    async def login(self, server_url: str, username: str, password: str) -> None:
        dialog = self.login_dialog
        server_url = server_url if self.settings.allow_server_change else self.settings.server_url
        client = self._client_for(server_url)
        try:
            result = await self._call(client.login, username, password)
            role = await self._role(client, result)
        except Unreachable:
            dialog.show_error(self.tr("无法连接服务器 {0}，请检查网络或服务器地址后重试").format(server_url))
            return
        except ApiError as exc:
            dialog.show_error(exc.message)
            return
        keys = workspaces_for(role)
        if not keys:
            await self._call_quietly(client.logout)
            dialog.show_error(self.tr("账号 {0} 的角色（{1}）在坐席端没有可用的工作区，请联系管理员").format(
                username, role or self.tr("未知")))
            return
        self._remember(server_url, username)
        dialog.hide()
        self.window.user_label.setText(self.tr("当前用户：{0}").format(result.display_name))
        await self._mount(username, role, keys)
        self.window.show()
        log.info("logged in as %s (%s): %s", username, role, ", ".join(keys))

    async def _role(self, client: ApiPort, result: Login) -> str:
        role = result.user.get("role")
        if not role:  # a server that does not send it at login still says who we are
            role = (await self._call(client.me)).get("role")
        return str(role or "")

    async def _mount(self, username: str, role: str, keys: tuple[str, ...]) -> None:
        if self.mounted and (username, role) == (self.username, self.role):
            for workspace in self.mounted.values():  # the login had expired: carry on where we were
                workspace.resume()
            return
        await self._unmount()
        self.username, self.role = username, role
        for key in keys:
            workspace = self.make_workspace(key, self.window, self.settings)
            workspace.sessionExpired.connect(self._session_expired)
            self.mounted[key] = workspace
            self.window.add_workspace(workspace.page, workspace.title)
            workspace.start(self.client)

    async def _unmount(self) -> None:
        mounted, self.mounted = self.mounted, {}
        for workspace in mounted.values():
            await workspace.stop()
        self.window.remove_workspaces()
        for workspace in mounted.values():
            workspace.dispose()

    def _session(self) -> tuple[str, str] | None:
        token = getattr(self.client, "token", "")
        return (self.client.base_url, token) if self.client is not None and token else None

    def _client_for(self, server_url: str) -> ApiPort:
        if self.client is None or self.client.base_url != server_url.rstrip("/"):
            self.client = self.client_factory(server_url, timeout=self.settings.request_timeout_s,
                                              verify=self.settings.tls_verify)
        return self.client

    def _remember(self, server_url: str, username: str) -> None:
        changed = self.settings.evolve(server_url=server_url, username=username)
        if changed != self.settings:
            self.settings = changed
            if self.save_settings:
                settings_store.save(changed)

    def _login_abandoned(self) -> None:
        if not self.window.isVisible():
            self._finish()

    def _session_expired(self) -> None:
        self.show_login(self.tr("登录已过期，请重新登录（当前案件保持打开）"))

    @staticmethod
    async def _call(function: Callable, *args: object) -> object:
        return await asyncio.get_running_loop().run_in_executor(None, function, *args)

    async def _call_quietly(self, function: Callable) -> None:
        try:
            await self._call(function)
        except ApiError:
            pass

    # --- settings, logout, closing ------------------------------------------------------------
    def open_settings(self) -> None:
        dialog = SettingsDialog(self.settings, self.window)
        dialog.accepted.connect(lambda: self.apply_settings(dialog.result_settings()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def apply_settings(self, new: SeatSettings) -> None:
        self.settings = new
        if self.save_settings:
            settings_store.save(new)
        for workspace in self.mounted.values():
            workspace.apply_settings(new)

    @asyncSlot()
    async def logout(self) -> None:
        busy = [reason for reason in (w.busy_reason() for w in self.mounted.values()) if reason]
        if busy:
            self.window.show_notice(busy[0], error=True)
            return
        await self._unmount()  # every case view, preview and cached image goes with its workspace
        self.username = self.role = ""
        if self.client is not None:
            await self._call_quietly(self.client.logout)
        self.window.hide()
        self.window.user_label.setText("")
        self.window.set_link(None)
        self.window.show_notice("")
        if self.login_dialog is not None:
            self.login_dialog.forget_password()  # a shared seat: Enter must not log the last user back in
        self.show_login()

    @property
    def shut_down(self) -> bool:
        return self._shut_down

    async def shutdown(self) -> None:
        """Window closing: each workspace ends what it runs (a call: recording flushed, peer closed, server told)."""
        if self._shut_down:
            return
        self._shut_down = True
        for workspace in list(self.mounted.values()):
            await workspace.stop()
        self._finish()

    def _finish(self) -> None:
        if self.login_dialog is not None:
            self.login_dialog.hide()
        self.finished.emit()
