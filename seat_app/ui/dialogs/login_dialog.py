"""Log in to the server. The controller does the network call; this dialog only asks and shows the outcome.

It stays usable while the login is in flight (the button shows progress), and
a failure (wrong password, server unreachable, locked out) is shown in place
with the retry one click away.
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget


class LoginDialog(QDialog):
    loginRequested = Signal(str, str, str)  # server URL, user name, password

    def __init__(self, server_url: str = "", username: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("快处坐席 - 登录"))
        self.setMinimumWidth(380)
        self.server = QLineEdit(server_url)
        self.username = QLineEdit(username)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel("")
        self.message.setObjectName("error")
        self.message.setWordWrap(True)
        self.login_button = QPushButton(self.tr("登录"))
        self.login_button.setObjectName("primary")
        self.login_button.setDefault(True)
        self.login_button.clicked.connect(self._submit)
        self.password.returnPressed.connect(self._submit)
        form = QFormLayout()
        form.addRow(self.tr("服务器"), self.server)
        form.addRow(self.tr("用户名"), self.username)
        form.addRow(self.tr("密码"), self.password)
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("交通事故视频快处 · 坐席"))
        title.setStyleSheet("font-size: 16px; font-weight: bold;")
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.login_button)
        (self.password if username else self.username).setFocus()

    def _submit(self) -> None:
        if not self.login_button.isEnabled():
            return
        if not self.username.text().strip() or not self.password.text():
            self.show_error(self.tr("请输入用户名和密码"))
            return
        self.set_busy(True)
        self.message.setText("")
        self.loginRequested.emit(self.server.text().strip(), self.username.text().strip(), self.password.text())

    def set_busy(self, busy: bool) -> None:
        self.login_button.setEnabled(not busy)
        self.login_button.setText(self.tr("正在登录…") if busy else self.tr("登录"))

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        self.message.setText(text)
        self.password.selectAll()
        self.password.setFocus()

    def forget_password(self) -> None:
        """After logging out: the field is empty and the next user types their own name and password."""
        self.password.clear()
        self.message.setText("")
        self.username.selectAll()
        self.username.setFocus()

    def show_info(self, text: str) -> None:
        """A reason to log in again (session expired), shown before the operator types."""
        self.message.setText(text)
