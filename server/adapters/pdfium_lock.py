"""The one lock for PDFium in the server process.

PDFium is not thread-safe, not even across different documents: two threads calling it at once can
crash or corrupt the process (pypdfium2's documentation, "Incompatibility with Threading"). Handlers run
in a thread pool, so every use of pypdfium2 in the server (the progress page's page images, the review's
check of an uploaded PDF) holds this lock for as long as it touches PDFium.
"""
from __future__ import annotations

import threading

PDFIUM_LOCK = threading.Lock()
