"""A text readout that changes every animation frame without re-laying out its window.

A ``QLabel`` asks its parent's layout to recompute on every ``setText``; in the descent panel
that re-laid out the whole panel sixty times a second and cost more than the step itself.
:class:`LiveText` wraps and paints its own lines, and asks for a new layout only when the
number of lines changes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QSize
from PySide6.QtGui import QColor, QContextMenuEvent, QGuiApplication, QPainter, QPaintEvent
from PySide6.QtWidgets import QMenu, QSizePolicy, QWidget

ADVANCES_KEPT = 2000
"""Word widths a readout keeps (numbers change every frame; the words around them do not)."""


class LiveText(QWidget):
    """Plain text, word-wrapped to the width, in one colour; right-click copies it.

    Parameters
    ----------
    parent
        The parent widget.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._colour = QColor(self.palette().color(self.foregroundRole()))
        self._wrapped: tuple[str, int, list[str]] = ("", -1, [])
        self._advances: dict[str, float] = {}
        """The widths of the words written so far (emptied when the font changes)."""
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def text(self) -> str:
        """The text shown (lines separated by newlines)."""
        return self._text

    def set_text(self, text: str) -> None:
        """Show ``text``; a newline starts a new line, long lines wrap at spaces."""
        if text == self._text:
            return
        lines_before = len(self._lines(self.width()))
        self._text = text
        if len(self._lines(self.width())) != lines_before:
            self.updateGeometry()  # the only change that needs the layout
        self.update()

    def clear(self) -> None:
        """Show nothing."""
        self.set_text("")

    def set_colour(self, colour: str) -> None:
        """Draw the text in ``colour``."""
        if QColor(colour) != self._colour:
            self._colour = QColor(colour)
            self.update()

    # --- geometry -----------------------------------------------------------

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        lines = self._lines(width)
        return len(lines) * self.fontMetrics().lineSpacing() if self._text else 0

    def sizeHint(self) -> QSize:
        width = max(self.width(), 200)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        return QSize(100, self.heightForWidth(max(self.width(), 100)))

    def _lines(self, width: int) -> list[str]:
        text, cached_width, lines = self._wrapped
        if text == self._text and cached_width == width:
            return lines
        lines = []
        space = self._advance(" ")
        for paragraph in self._text.split("\n") if self._text else []:
            words: list[str] = []
            used = 0.0
            for word in paragraph.split(" "):
                # A line's width is the sum of its words' and spaces' (each word measured
                # once and kept: a readout's words mostly repeat from frame to frame).
                size = self._advance(word)
                if words and used + space + size > width:
                    lines.append(" ".join(words))
                    words, used = [word], size
                else:
                    used += space + size if words else size
                    words.append(word)
            lines.append(" ".join(words))
        self._wrapped = (self._text, width, lines)
        return lines

    def _advance(self, word: str) -> float:
        """The width of ``word`` in this widget's font."""
        size = self._advances.get(word)
        if size is None:
            if len(self._advances) >= ADVANCES_KEPT:
                self._advances.clear()
            size = self._advances[word] = self.fontMetrics().horizontalAdvance(word)
        return size

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:  # the words measure differently now
            self._advances.clear()
            self._wrapped = ("", -1, [])
        super().changeEvent(event)

    # --- painting and copying -----------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self._colour)
        metrics = self.fontMetrics()
        for index, line in enumerate(self._lines(self.width())):
            painter.drawText(QPointF(0, metrics.ascent() + index * metrics.lineSpacing()), line)
        painter.end()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = QMenu(self)
        menu.addAction("Copy", lambda: QGuiApplication.clipboard().setText(self._text))
        menu.exec(event.globalPos())


__all__ = ["LiveText"]
