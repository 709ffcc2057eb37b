"""Where the seat finds its files, from a checkout, a wheel install and a PyInstaller bundle alike.

Everything that locates a file on disk asks here, so the frozen build needs no
special cases elsewhere. The seat's own files (font, translations, sample plate) are
package data in seat_app/resources, found with ``importlib.resources``; the PyInstaller
spec bundles that directory under the same name. Config files: the IT-wide defaults are
read first, then the user's own file (seat_app/settings.py); both can be moved by
environment variables for tests and unusual installs.
"""
from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path

APP_DIR_NAME = "kuaichu"


def package_dir() -> Path:
    """The seat_app package directory, or its copy in PyInstaller's unpack directory when frozen."""
    if getattr(sys, "frozen", False) and hasattr(sys, "_MEIPASS"):
        return Path(sys._MEIPASS) / "seat_app"
    # A wheel installs unzipped, so files() is a real directory; Qt and Pillow want a path.
    return Path(str(resources.files("seat_app")))


def resources_dir() -> Path:
    return package_dir() / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def i18n_dir() -> Path:
    return resource("i18n")


def font_file() -> Path:
    return resource("fonts", "wqy-microhei.ttc")


def sample_plate() -> Path:
    """A rendered 川A5F7K2 blue plate, so IT can check a fresh install's OCR: ``kuaichu-ocr`` on it."""
    return resource("samples", "plate.png")


def samples_dir() -> Path:
    """The self-test's sample pictures and their truth, samples.json (scripts/self_test_samples.py)."""
    return resource("samples")


def it_example_file() -> Path:
    """An example of the IT-wide seat.json, every key explained in the README."""
    return resource("seat.example.json")


def it_defaults_file() -> Path:
    """IT-wide defaults: $KUAICHU_SEAT_DEFAULTS, else /etc/kuaichu/seat.json, %PROGRAMDATA%\\Kuaichu\\seat.json
    on Windows, /Library/Application Support/Kuaichu/seat.json on macOS."""
    if os.environ.get("KUAICHU_SEAT_DEFAULTS"):
        return Path(os.environ["KUAICHU_SEAT_DEFAULTS"])
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "Kuaichu" / "seat.json"
    if sys.platform == "darwin":
        return Path("/Library/Application Support/Kuaichu/seat.json")
    return Path("/etc") / APP_DIR_NAME / "seat.json"


def user_config_dir() -> Path:
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / "Kuaichu"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "Kuaichu"
    return Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config")) / APP_DIR_NAME


def user_settings_file() -> Path:
    """The user's own settings: $KUAICHU_SEAT_CONFIG, else seat.json in the user's config directory."""
    if os.environ.get("KUAICHU_SEAT_CONFIG"):
        return Path(os.environ["KUAICHU_SEAT_CONFIG"])
    return user_config_dir() / "seat.json"


def user_data_dir() -> Path:
    """Recording segments wait here until uploaded: $KUAICHU_SEAT_DATA, else a per-user data directory."""
    if os.environ.get("KUAICHU_SEAT_DATA"):
        return Path(os.environ["KUAICHU_SEAT_DATA"])
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local")) / "Kuaichu"
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / APP_DIR_NAME


def recordings_dir() -> Path:
    return user_data_dir() / "recordings"
