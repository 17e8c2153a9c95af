"""The limit table: the difference quotient for ever smaller h, the row nearest h highlighted.

Notes
-----
The rows come from :func:`calcstudio.core.calculus.limit_table`; this widget only writes them
and tints the row whose step is nearest the panel's current h.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from calcstudio.core.calculus import LimitRow, format_number, nearest_step
from calcstudio.ui.tangent.readouts import NONE, QUOTIENT_DIGITS, format_error
from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.log_slider import format_exact

TIP = (
    "Rise over run for ever smaller h: the digits settle on f′(a), the limit that "
    "defines the derivative. The highlighted row is nearest the current h."
)


class LimitTable(QTableWidget):
    """The columns h, the difference quotient, and its error against f′(a).

    Parameters
    ----------
    font
        The panel's font, for the header and the row height.
    """

    def __init__(self, font: QFont) -> None:
        super().__init__(0, 3)
        self._rows: list[LimitRow] = []
        self._highlighted = -1
        self.setHorizontalHeaderLabels(["h", "(f(a+h) − f(a))/h", "error vs f′(a)"])
        self.setToolTip(TIP)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(QFontMetrics(font).height() + 6)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setFont(font)
        # A fixed-width font lines the digits up, so their convergence is visible.
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))

    def fill(self, rows: Sequence[LimitRow], slope: float, h: float) -> None:
        """Show ``rows`` (errors only where ``slope``, f′(a), is finite) and highlight ``h``."""
        self._rows = list(rows)
        if self.rowCount() != len(self._rows):
            self.setRowCount(len(self._rows))
            self._highlighted = -1  # new rows: tint the nearest row afresh
        # The rows' items are kept and only their texts change (this runs on every keystroke).
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for i, row in enumerate(self._rows):
            error = format_error(row.error) if math.isfinite(slope) else NONE
            texts = (format_exact(row.step), format_number(row.quotient, QUOTIENT_DIGITS), error)
            for column, text in enumerate(texts):
                item = self.item(i, column)
                if item is None:
                    item = QTableWidgetItem()
                    item.setTextAlignment(right)
                    self.setItem(i, column, item)
                if item.text() != text:
                    item.setText(text)
        self.highlight(h)

    def highlight(self, h: float) -> None:
        """Tint and embolden the row whose step is nearest ``h``, and scroll to it."""
        index = nearest_step([row.step for row in self._rows], h)
        if index == self._highlighted:
            return
        tint = QColor(palette.SECANT)
        tint.setAlpha(60)
        for i in range(self.rowCount()):
            for column in range(self.columnCount()):
                item = self.item(i, column)
                if item is None:
                    continue
                item.setBackground(QBrush(tint) if i == index else QBrush())
                font = QFont(self.font())
                font.setBold(i == index)
                item.setFont(font)
        self._highlighted = index
        if index >= 0:
            self.scrollToItem(self.item(index, 0))

    def highlighted_row(self) -> int:
        """The row nearest the last h, or -1 when the table is empty."""
        return self._highlighted
