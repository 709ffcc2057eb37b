#!/usr/bin/env bash
# Builds the seat bundle IT installs, dist/kuaichu-seat/ (build_installer.spec), and prints its size and
# build time. Usage: scripts/build_seat_bundle.sh [DISTDIR [WORKDIR]]   (defaults: dist, build)
# On Windows the same spec builds with: .venv\Scripts\pyinstaller --noconfirm build_installer.spec
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
DIST=${1:-dist}
WORK=${2:-build}
started=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --log-level WARN --distpath "$DIST" --workpath "$WORK" build_installer.spec
seconds=$(( $(date +%s) - started ))
bundle="$DIST/kuaichu-seat"
size_mb=$(du -sm "$bundle" | cut -f1)
echo "bundle: $bundle"
echo "size: ${size_mb} MB unpacked ($(find "$bundle" -type f | wc -l) files)"
echo "build time: ${seconds} s"
echo "largest parts:"
# awk reads the whole list (head would close the pipe early, and pipefail would fail the build on sort's SIGPIPE)
du -sm "$bundle"/_internal/* | sort -rn | awk 'NR <= 12 {printf "  %5d MB  %s\n", $1, $2}'
