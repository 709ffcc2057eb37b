"""Language and font for the whole app.

Source strings are Simplified Chinese (the product language), so the default
build needs no translation file. An English build loads
``seat_app/resources/i18n/seat_en.qm``; regenerate it after changing UI text with
``scripts/seat_i18n.sh`` (pyside6-lupdate, then pyside6-lrelease). The bundled
WenQuanYi Micro Hei font is registered so Chinese renders on a seat with no
CJK fonts installed.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from seat_app import paths

log = logging.getLogger(__name__)
_installed: list[QTranslator] = []


def install_translators(app: QCoreApplication, language: str) -> None:
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if language == "en":
        _load(app, str(paths.i18n_dir() / "seat_en.qm"))
        QLocale.setDefault(QLocale(QLocale.Language.English))
    else:
        _load(app, f"{qt_dir}/qtbase_zh_CN.qm")
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))


def _load(app: QCoreApplication, path: str) -> None:
    translator = QTranslator(app)
    if translator.load(path):
        app.installTranslator(translator)
        _installed.append(translator)
    else:
        log.warning("translation file not loaded: %s", path)


def install_font(app: QApplication) -> None:
    font_id = QFontDatabase.addApplicationFont(str(paths.font_file()))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if families:
        font = QFont(families[0])
        font.setPointSize(10)
        app.setFont(font)
