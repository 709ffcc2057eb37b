"""What the operator's workspace needs from the app for a call: engines, and the audio devices per call.

``seat_app.app.CallWiring`` is the real one (aiortc engines, Qt audio devices, one
peer registry); ``tests/seat_app/doubles.py`` has a fake with fake engines.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from seat_app.services.audio_control import MutableSource
from seat_app.services.ports import CallEnginePort, SegmentUpload


class CallAudio(Protocol):
    """One call's microphone and speaker; ``warning`` says which device is missing ("" when none is)."""

    @property
    def source(self) -> MutableSource: ...
    @property
    def warning(self) -> str: ...

    def close(self) -> None: ...


class CallWiring(Protocol):
    def make_engine(self, case_id: str, ice_servers: list[dict[str, Any]], recording_dir: Path | None,
                    upload: SegmentUpload) -> CallEnginePort: ...
    def audio(self, case_id: str) -> CallAudio | None: ...
    def release(self, case_id: str) -> None: ...
