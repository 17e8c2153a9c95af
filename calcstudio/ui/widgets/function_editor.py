"""The function editor: a text field, its error line, and the recent-functions history."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor, QFont, QInputMethodEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from calcstudio.core.language import (
    MAX_LENGTH,
    ParseError,
    canonical_function_name,
    parse_tree,
)
from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.bounded_undo import BoundedUndo

HISTORY_LENGTH = 20


class FunctionEditor(QWidget):
    """Where the learner types ``f(x) = ...``.

    Every edit is syntax-checked at once (no sympy, microseconds). Valid text is
    announced with :attr:`functionEdited`; an error is shown under the field in plain
    words with its span underlined, and nothing is emitted, so the last good plot stays.
    """

    functionEdited = Signal(str, object)
    """Syntactically valid text and its :class:`~calcstudio.core.language.SyntaxTree`,
    emitted on every edit (so nothing downstream parses it again)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = QLineEdit()
        self.field.setObjectName("functionField")
        font = QFont(self.field.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        self.field.setFont(font)
        self.field.setPlaceholderText("Type a function, e.g. x^2, sin((4x)^2) or 1/(1+e^-x)")
        self.field.setClearButtonEnabled(True)
        self.field.setToolTip(
            "Type maths as you would write it: 2x, x^2 or x², sin(x), e^x, √x, |x|.\n"
            "You may start with 'f(x) ='. Undo with Ctrl+Z, redo with Ctrl+Shift+Z."
        )
        self.history_button = QToolButton()
        self.history_button.setText("Recent")
        self.history_button.setToolTip("Functions you plotted recently")
        self.history_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.history_menu = QMenu(self)
        self.history_button.setMenu(self.history_menu)

        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setStyleSheet(f"color: {palette.ERROR};")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # One line is always kept for it, so the plot does not jump as an error comes and goes.
        self.error_label.setMinimumHeight(self.error_label.fontMetrics().lineSpacing())

        row = QHBoxLayout()
        prompt = QLabel("f =")
        prompt.setFont(font)
        row.addWidget(prompt)
        row.addWidget(self.field, 1)
        row.addWidget(self.history_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.error_label)

        self.history: list[str] = []
        self.error: ParseError | None = None
        self.field.textChanged.connect(self._on_text_changed)
        self.undo = BoundedUndo(self.field)
        self.undo.rebuilt.connect(self._underline_error)
        self._rebuild_history_menu()

    # --- text ---------------------------------------------------------------

    def text(self) -> str:
        """The text in the field."""
        return self.field.text()

    def set_text(self, text: str) -> None:
        """Replace the text as one undoable edit (like a paste), which re-plots."""
        self.field.selectAll()
        self.field.insert(text)

    def _on_text_changed(self, text: str) -> None:
        if len(text) >= self.field.maxLength():
            # Qt cut the paste at its own limit: say ours, and that the text was cut.
            self.show_error(
                ParseError(
                    f"too long: at most {MAX_LENGTH} characters; the pasted text was longer "
                    f"than {self.field.maxLength()} characters and was cut",
                    MAX_LENGTH,
                    len(text),
                )
            )
            return
        try:
            tree = parse_tree(text)
        except ParseError as error:
            self.show_error(error)
            return
        self.clear_error()
        self.functionEdited.emit(text, tree)

    def set_in_use(self, note: str | None) -> None:
        """Let the learner type (``note`` None), or grey the field out with ``note`` under it
        saying why (a lesson that works on its own data, not on f)."""
        in_use = note is None
        self.field.setEnabled(in_use)
        self.history_button.setEnabled(in_use)
        self.error_label.setStyleSheet(f"color: {palette.ERROR if in_use else palette.MUTED};")
        if not in_use:
            self.error_label.setText(note)
        elif self.error is not None:
            self.show_error(self.error)
        else:
            self.error_label.clear()

    # --- errors -------------------------------------------------------------

    def show_error(self, error: ParseError) -> None:
        """Show ``error`` in words under the field and underline its span."""
        self.error = error
        message = error.message
        # A sentence starts with a capital, but a function's name keeps its case: "sin needs".
        first_word = re.match(r"[a-z0-9]*", message).group(0)
        if canonical_function_name(first_word) is None:
            message = f"{message[0].upper()}{message[1:]}"
        self.error_label.setText(f"{message}. The last good plot stays until this is fixed.")
        self._underline(error.start, error.end)

    def clear_error(self) -> None:
        """Remove the error line and the underline."""
        if self.error is None:
            return  # nothing to remove: clearing the label would re-lay out the window
        self.error = None
        self.error_label.clear()
        self._underline(0, 0)

    def _underline_error(self) -> None:
        if self.error is not None:
            self._underline(self.error.start, self.error.end)

    def _underline(self, start: int, end: int) -> None:
        # QLineEdit has no rich text; an input-method event is its documented way to
        # format a span without changing the text or the undo stack.
        attributes = []
        if end > start or (start == end and start >= len(self.text()) and self.text()):
            if end == start:  # an error at the very end: mark the last character
                start = max(0, start - 1)
                end = start + 1
            # Imported at the first error: PySide6 creates its enums (its Property alone has
            # 116 members) on import, which the window's start has no need of.
            from PySide6.QtGui import QTextCharFormat

            span_format = QTextCharFormat()
            span_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            span_format.setUnderlineColor(QColor(palette.ERROR))
            span_format.setBackground(QColor("#fde2e2"))
            attributes.append(
                QInputMethodEvent.Attribute(
                    QInputMethodEvent.AttributeType.TextFormat,
                    start - self.field.cursorPosition(),
                    end - start,
                    span_format,
                )
            )
        QCoreApplication.sendEvent(self.field, QInputMethodEvent("", attributes))

    # --- history ------------------------------------------------------------

    def remember(self, text: str) -> None:
        """Put a function that plotted successfully at the top of the history."""
        text = text.strip()
        if not text:
            return
        if text in self.history:
            self.history.remove(text)
        self.history.insert(0, text)
        del self.history[HISTORY_LENGTH:]
        self._rebuild_history_menu()

    def set_history(self, history: list[str]) -> None:
        """Restore a saved history (newest first)."""
        self.history = [text for text in history if isinstance(text, str)][:HISTORY_LENGTH]
        self._rebuild_history_menu()

    def _rebuild_history_menu(self) -> None:
        self.history_menu.clear()
        for text in self.history:
            action = self.history_menu.addAction(text)
            action.triggered.connect(lambda _=False, t=text: self.set_text(t))
        self.history_button.setEnabled(bool(self.history))
