"""The install step must leave a working set of packages: headless OpenCV only, PySide6 below 6.12."""
import sys
from importlib import metadata

import pytest


def _installed(name: str) -> bool:
    try:
        metadata.version(name)
        return True
    except metadata.PackageNotFoundError:
        return False


def test_only_headless_opencv_is_installed():
    assert _installed("opencv-python-headless")
    assert not _installed("opencv-python"), "opencv-python carries its own Qt and breaks PySide6; run scripts/install.sh"
    import cv2
    import numpy as np

    # The cv2 that loads is the headless build (no GUI backend, so no Qt of its own), and it decodes.
    gui = next(line for line in cv2.getBuildInformation().splitlines() if line.strip().startswith("GUI:"))
    assert gui.split(":", 1)[1].strip() == "NONE", gui
    image = np.zeros((8, 12, 3), np.uint8)
    image[2:6, 3:9] = (0, 128, 255)
    ok, png = cv2.imencode(".png", image)
    assert ok
    decoded = cv2.imdecode(np.frombuffer(png.tobytes(), np.uint8), cv2.IMREAD_COLOR)
    assert decoded.shape == image.shape and (decoded == image).all()


def test_pyside6_is_below_6_12():
    major, minor = (int(x) for x in metadata.version("PySide6").split(".")[:2])
    assert (major, minor) < (6, 12), "PySide6 6.12.0 aborts at exit after aiortc under qasync (PITFALLS.md)"


def test_python_version_supported_by_rapidocr():
    assert (3, 11) <= sys.version_info[:2] < (3, 13)


def test_rapidocr_models_ship_in_the_wheel():
    from pathlib import Path

    import rapidocr_onnxruntime

    models = list((Path(rapidocr_onnxruntime.__file__).parent / "models").glob("*.onnx"))
    assert len(models) >= 3, models


@pytest.mark.parametrize("command", ["kuaichu-server", "kuaichu-seat", "kuaichu-ocr", "kuaichu-phone-sim"])
def test_console_scripts_are_declared(command):
    scripts = {ep.name for ep in metadata.entry_points(group="console_scripts")}
    assert command in scripts


def _declared_scripts() -> dict[str, str]:
    import tomllib
    from pathlib import Path

    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["scripts"]


@pytest.mark.parametrize(("command", "target"), sorted(_declared_scripts().items()))
def test_every_declared_entry_point_resolves_in_this_tree(command, target):
    """pyproject's [project.scripts] name a callable that this tree has (a moved module breaks the command)."""
    entry_point = metadata.EntryPoint(name=command, value=target, group="console_scripts")
    assert callable(entry_point.load()), target
