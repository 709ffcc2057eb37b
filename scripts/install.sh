#!/usr/bin/env bash
# Installs everything Kuaichu needs on a fresh Debian machine with Python 3.11:
# system packages (Chromium for the browser tests, a CJK font, Xvfb, poppler, Qt's X11 libraries,
# nginx and coturn for the scale-out tests),
# a virtual environment in .venv with the project and its dev tools, and only the headless OpenCV.
# Safe to run again: every step is idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  chromium fonts-wqy-microhei xvfb xauth poppler-utils zbar-tools
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
  libxcb-xinerama0 libxcb-randr0 libxcb-shape0 libpulse0 libasound2
  nginx coturn redis-server binutils   # binutils: strip for the seat bundle; tests/support/nginx.py, tests/support/coturn.py, the Redis broker tests
  liblapack3 libblas3                  # the seat bundle's LAPACK for OpenCV, in place of its 37 MB OpenBLAS (build_installer.spec)
)

install_system_packages() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "==> apt-get install ${missing[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

pick_python() {
  for candidate in python3.11 python3.12 python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(not ((3,11) <= sys.version_info[:2] < (3,13)))'; then
      echo "$candidate"; return 0
    fi
  done
  echo "error: Python 3.11 or 3.12 is required (rapidocr-onnxruntime needs < 3.13)" >&2
  exit 1
}

install_python_packages() {
  local py
  py=$(pick_python)
  [ -x .venv/bin/python ] || "$py" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
  echo "==> pip install -e .[dev,redis]"
  .venv/bin/python -m pip install -q -e ".[dev,redis]"
  # rapidocr-onnxruntime pulls in opencv-python, whose bundled Qt breaks PySide6. Keep only the
  # headless build; both share the cv2 directory, so the headless one is reinstalled afterwards.
  if .venv/bin/python -m pip show -q opencv-python >/dev/null 2>&1; then
    .venv/bin/python -m pip uninstall -q -y opencv-python
    local headless
    headless=$(.venv/bin/python -c 'import tomllib; print(next(d for d in tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"] if d.startswith("opencv-python-headless")))')
    .venv/bin/python -m pip install -q --force-reinstall --no-deps "$headless"   # the version pyproject.toml pins
  fi
}

install_system_packages
install_python_packages
echo "==> installed"
