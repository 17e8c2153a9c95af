"""A text field's undo history, kept to its latest edits so that it cannot grow for ever.

Qt keeps every edit of a ``QLineEdit`` for undo (about 20 bytes for each character typed,
deleted or replaced) and never lets one go: the function field of a window that has plotted
10,000 functions held some 10 MB of them, the only memory the benchmark's soak saw grow. This
remembers the texts the field has shown lately and, once every ``limit`` edits, rebuilds Qt's
history from the last ``keep`` of them, so Ctrl+Z still walks back through those.
"""

from __future__ import annotations

from collections import deque

from PySide6.QtCore import QObject, QSignalBlocker, QTimer, Signal
from PySide6.QtWidgets import QLineEdit

UNDO_KEEP = 100
"""Texts Ctrl+Z can still go back through once the history has been rebuilt."""
UNDO_LIMIT = 1000
"""Edits between rebuilds: Qt's history never holds more than about this many plus
:data:`UNDO_KEEP`."""


class BoundedUndo(QObject):
    """Keeps ``field``'s undo history to its latest edits.

    Parameters
    ----------
    field
        The text field.
    keep
        How many of the latest texts undo reaches back through after a rebuild.
    limit
        How many edits pass between rebuilds.

    Signals
    -------
    rebuilt()
        The history was rebuilt (the text, cursor and selection are as they were; formats
        set by input-method events, such as an error's underline, must be set again).
    """

    rebuilt = Signal()

    def __init__(self, field: QLineEdit, keep: int = UNDO_KEEP, limit: int = UNDO_LIMIT) -> None:
        super().__init__(field)
        self._field = field
        self._limit = limit
        self._texts: deque[str] = deque([field.text()], maxlen=keep + 1)
        self._edits = 0
        # Rebuilt once the event that made the edit has finished: the field may still be
        # in the middle of its own key handling when it says its text changed.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.rebuild)
        field.textChanged.connect(self._on_text_changed)

    @property
    def edits(self) -> int:
        """Edits since the history was last rebuilt."""
        return self._edits

    def _on_text_changed(self, text: str) -> None:
        self._texts.append(text)
        self._edits += 1
        if self._edits >= self._limit and not self._timer.isActive():
            self._timer.start()

    def rebuild(self) -> None:
        """Replace Qt's history by one undo step per remembered text, oldest first.

        Put off while the learner has undone something (their redo would be lost); the next
        edit tries again.
        """
        field = self._field
        if field.isRedoAvailable():
            return
        texts = list(self._texts)
        cursor = field.cursorPosition()
        start, length = field.selectionStart(), len(field.selectedText())
        with QSignalBlocker(field):  # the text ends as it was: nothing to re-plot
            field.setText(texts[0])  # clears Qt's history
            for text in texts[1:]:
                field.selectAll()
                field.insert(text)
            if start >= 0 and length:
                field.setSelection(start, length)
            else:
                field.setCursorPosition(cursor)
        self._edits = 0
        self.rebuilt.emit()


__all__ = ["UNDO_KEEP", "UNDO_LIMIT", "BoundedUndo"]
