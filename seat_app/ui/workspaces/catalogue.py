"""Makes a workspace by its key, with the parts the app assembled (``seat_app.app``) or a test's fakes."""
from __future__ import annotations

from pathlib import Path

from seat_app.core.seat_settings import SeatSettings
from seat_app.services.ocr_port import OcrPort
from seat_app.services.seat_socket import SeatSocket
from seat_app.ui.main_window import MainWindow
from seat_app.ui.workspaces.officer.officer_controller import OfficerController
from seat_app.ui.workspaces.operator.operator_controller import OperatorController, SocketFactory
from seat_app.ui.workspaces.operator.wiring import CallWiring
from seat_app.ui.workspaces.supervisor.dashboard_controller import DashboardController
from seat_app.ui.workspaces.workspace import Workspace


class Workspaces:
    """``workspaces(key, window, settings)`` -> the workspace, new each login."""

    def __init__(self, *, ocr: OcrPort | None = None, call_wiring: CallWiring | None = None,
                 recordings_dir: Path | None = None, socket_factory: SocketFactory = SeatSocket) -> None:
        self.ocr = ocr
        self.call_wiring = call_wiring
        self.recordings_dir = recordings_dir
        self.socket_factory = socket_factory

    def __call__(self, key: str, window: MainWindow, settings: SeatSettings) -> Workspace:
        if key == "operator":
            return OperatorController(window, settings, ocr=self.ocr, call_wiring=self.call_wiring,
                                      recordings_dir=self.recordings_dir, socket_factory=self.socket_factory)
        if key == "liability":
            return OfficerController(window, settings, socket_factory=self.socket_factory)
        if key == "dashboard":
            return DashboardController(window, settings, socket_factory=self.socket_factory)
        raise KeyError(f"no workspace {key!r}")
