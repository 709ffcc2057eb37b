#!/usr/bin/env bash
# Refresh the seat's English translation after changing UI text.
# Source strings are Simplified Chinese (self.tr / QCoreApplication.translate in seat_app/ui and seat_app/app.py).
#   1. pyside6-lupdate collects new strings into seat_app/resources/i18n/seat_en.ts (existing translations are kept);
#   2. translate the "unfinished" ones, e.g. with pyside6-linguist seat_app/resources/i18n/seat_en.ts;
#   3. pyside6-lrelease compiles seat_en.qm, which `kuaichu-seat --lang en` loads.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
"$BIN/pyside6-lupdate" $(find seat_app/ui -name '*.py' | sort) seat_app/app.py \
  -ts seat_app/resources/i18n/seat_en.ts -source-language zh_CN -target-language en -no-obsolete
"$BIN/pyside6-lrelease" seat_app/resources/i18n/seat_en.ts -qm seat_app/resources/i18n/seat_en.qm
