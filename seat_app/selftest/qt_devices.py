"""The self-test's one Qt part: the audio devices Qt multimedia sees (none is a warning, not a failure:
a seat without a headset can still take a call and type; the operator just cannot talk)."""
from __future__ import annotations

from seat_app.selftest.checks import PASS, WARN, Check, SelfTestConfig


def check_devices(config: SelfTestConfig) -> tuple[str, str]:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtMultimedia import QMediaDevices

    if QCoreApplication.instance() is None:  # from the command line; the seat's window has its own
        check_devices.app = QCoreApplication(["kuaichu-seat"])
    inputs, outputs = QMediaDevices.audioInputs(), QMediaDevices.audioOutputs()
    cameras = QMediaDevices.videoInputs()

    def named(devices, default) -> str:
        names = [d.description() + (" (default)" if d.id() == default.id() else "") for d in devices]
        return ", ".join(names) if names else "none"

    line = (f"microphones: {named(inputs, QMediaDevices.defaultAudioInput())}; "
            f"speakers: {named(outputs, QMediaDevices.defaultAudioOutput())}; cameras: {len(cameras)}")
    if not inputs or not outputs:
        missing = " and ".join(kind for kind, found in (("microphone", inputs), ("speaker", outputs)) if not found)
        return WARN, f"no {missing}: the operator cannot talk with the driver ({line})"
    return PASS, line


DEVICES_CHECK = Check("devices", "Qt multimedia audio devices", check_devices, qt=True)
