"""One OCR engine for the whole session: loading the models takes a second, reading a frame far less."""
from __future__ import annotations

import pytest

from seat_app.services.ocr.engine import OcrEngine
from seat_app.services.ocr.plate import PlateReader
from seat_app.services.ocr.reader import OcrReader


@pytest.fixture(scope="session")
def engine() -> OcrEngine:
    engine = OcrEngine()
    engine.warm_up()
    return engine


@pytest.fixture(scope="session")
def reader(engine: OcrEngine) -> OcrReader:
    return OcrReader(engine)


@pytest.fixture(scope="session")
def plate_reader(engine: OcrEngine) -> PlateReader:
    return PlateReader(engine)
