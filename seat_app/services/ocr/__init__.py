"""Local OCR for the seat: plates, driving licences, vehicle licences and 交强险 papers.

Runs on the seat's own CPU with the PP-OCRv4 models inside rapidocr-onnxruntime. Qt-free,
so the UI (through a worker), the ``kuaichu-ocr`` CLI and the tests all share it.
"""
