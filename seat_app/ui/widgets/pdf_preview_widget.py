"""A PDF shown in the seat (QtPdf's QPdfView): the preview of a liability document, or the one issued.

The bytes are kept in a QBuffer the document reads from; nothing is written to disk.
"""
from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class PdfPreviewWidget(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = QLabel(self.tr("尚未预览认定书"))
        self.caption.setWordWrap(True)
        self.document = QPdfDocument(self)
        self.view = QPdfView()
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._buffer: QBuffer | None = None
        self.window_button = QPushButton(self.tr("在单独窗口中查看"))
        self.window_button.setEnabled(False)
        self.window_button.clicked.connect(self.open_window)
        self.pdf_window: QDialog | None = None
        header = QHBoxLayout()
        header.addWidget(self.caption, 1)
        header.addWidget(self.window_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.view, 1)

    def show_pdf(self, data: bytes, caption: str) -> bool:
        """False when the bytes are no PDF QtPdf can read (the caption then says so)."""
        self.document.close()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer
        ok = self.document.status() == QPdfDocument.Status.Ready and self.document.pageCount() > 0
        self.caption.setText(caption if ok else self.tr("无法显示这份 PDF（{0} 字节）").format(len(data)))
        self.window_button.setEnabled(ok)
        return ok

    def open_window(self) -> None:
        """The same document in a window of its own, A4 high, beside the workspace."""
        if self.pdf_window is None:
            self.pdf_window = QDialog(self.window())
            self.pdf_window.setWindowTitle(self.tr("道路交通事故认定书"))
            view = QPdfView(self.pdf_window)
            view.setDocument(self.document)
            view.setPageMode(QPdfView.PageMode.MultiPage)
            view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            QVBoxLayout(self.pdf_window).addWidget(view)
            self.pdf_window.resize(720, 980)
        self.pdf_window.show()
        self.pdf_window.raise_()

    def page_count(self) -> int:
        return self.document.pageCount()

    def clear(self) -> None:
        self.window_button.setEnabled(False)
        if self.pdf_window is not None:
            self.pdf_window.hide()
        self.document.close()
        self.caption.setText(self.tr("尚未预览认定书"))
