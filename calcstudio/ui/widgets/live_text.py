"""A text readout that changes every animation frame without re-laying out its window.

A ``QLabel`` asks its parent's layout to recompute on every ``setText``; in the descent panel
that re-laid out the whole panel sixty times a second and cost more than the step itself.
:class:`LiveText` wraps and paints its own lines, and asks for a new layout only when the
number of lines changes.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QSize
from PySide6.QtGui import QColor, QContextMenuEvent, QGuiApplication, QPainter, QPaintEvent
from PySide6.QtWidgets import QMenu, QSizePolicy, QWidget


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
        metrics = self.fontMetrics()
        lines = []
        for paragraph in self._text.split("\n") if self._text else []:
            line = ""
            for word in paragraph.split(" "):
                longer = f"{line} {word}" if line else word
                if line and metrics.horizontalAdvance(longer) > width:
                    lines.append(line)
                    line = word
                else:
                    line = longer
            lines.append(line)
        self._wrapped = (self._text, width, lines)
        return lines

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
