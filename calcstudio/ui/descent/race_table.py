"""The race as it stands: a table of the racers' numbers, and the finish order in words."""

from __future__ import annotations

from collections.abc import Sequence
from typing import get_args

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from calcstudio.core.optimize import OPTIMIZERS, Run
from calcstudio.core.optimize.base import format_number
from calcstudio.core.optimize.diagnosis import Diagnosis, Kind
from calcstudio.ui.descent.race import colour_of

CELL_PADDING = 8
"""Pixels a race-table cell needs beyond its text's width (Qt's margins either side)."""


def finish_order(runs: Sequence[tuple[str, Run]]) -> str:
    """The race result in a few lines: who converged first, who is still going, who is out.

    Parameters
    ----------
    runs
        ``(name, run)`` for each racer.

    Examples
    --------
    ``Finish: 1. Newton (6 steps, f = −1.070) · 2. GD (22 steps, f = −3.514)``, then
    ``Still rolling: Momentum, Adam``.
    """
    finished = sorted(
        (run.step_count, run.values[-1], name) for name, run in runs if run.status == "converged"
    )
    places = [
        # No-break spaces: a place is wrapped onto the next line whole, never "3." alone.
        f"{place}. {name} ({steps} step{'s' * (steps != 1)}, f = {format_number(loss)})".replace(
            " ", "\u00a0"
        )
        for place, (steps, loss, name) in enumerate(finished, start=1)
    ]
    lines = [f"Finish: {'  ·  '.join(places)}" if places else "Finish: nobody has converged yet"]
    going = [name for name, run in runs if run.status in ("running", "max_steps")]
    if going:
        verb = (
            "still rolling" if any(run.status == "running" for _, run in runs) else "out of steps"
        )
        lines.append(f"{verb.capitalize()}: {', '.join(going)}")
    out = [
        f"{name} ({'diverged' if run.status == 'diverged' else 'left the domain'})"
        for name, run in runs
        if run.status in ("diverged", "undefined")
    ]
    if out:
        lines.append(f"Out: {', '.join(out)}")
    return "\n".join(lines)


class RaceTable(QTableWidget):
    """The racers' numbers side by side, one row per optimizer, in the racers' colours.

    Parameters
    ----------
    parent
        The parent widget.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 6, parent)
        self.setObjectName("raceTable")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setToolTip("Each racer's step k, position, loss and slope; hover a name for more")

        # Widths set up front for the usual numbers (resizing to the contents would measure
        # every cell at every step of the animation); a longer one widens its column.
        def widest(texts: Sequence[str]) -> int:
            return max(self._cell_width(text) for text in texts)

        number = widest(["−8.888e−8", "−0.0008888"])
        widths = (
            widest([spec.short_name for spec in OPTIMIZERS.values()]),
            widest(["99999"]),
            number,
            number,
            number,
            widest(get_args(Kind)),
        )
        header = self.horizontalHeader()
        for column, width in enumerate(widths):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.setColumnWidth(column, width)
        header.setStretchLastSection(True)
        self._columns_width = sum(widths) + 2 * self.frameWidth()
        self._shape: tuple[int, str] | None = None

    def _cell_width(self, text: str) -> int:
        """The column width that shows ``text`` whole (Qt elides a longer one with "…")."""
        return self.fontMetrics().horizontalAdvance(text) + CELL_PADDING

    def _fit_column(self, column: int, text: str) -> None:
        """Widen ``column`` if ``text`` would be cut; never narrow it (the columns would
        jitter as the numbers change). A number written exactly, such as 0.536870912, is
        wider than the widths set up front."""
        needed = self._cell_width(text)
        if needed > self.columnWidth(column):
            self._columns_width += needed - self.columnWidth(column)
            self.setColumnWidth(column, needed)
            self.updateGeometry()

    def minimumSizeHint(self) -> QSize:
        # As wide as its columns: a narrower panel scrolls rather than cutting them off.
        return QSize(self._columns_width, super().minimumSizeHint().height())

    def headers(self, variable: str) -> list[str]:
        """The column titles for a function of ``variable`` (a subclass may show more)."""
        v = variable
        return ["optimizer", "k", v, f"f({v})", f"f′({v})", "status"]

    def row(self, key: str, run: Run, kind: str) -> tuple[str, ...]:
        """One racer's cells: its name, step k, position, loss, slope and verdict."""
        return (
            OPTIMIZERS[key].short_name,
            str(run.step_count),
            format_number(run.points[-1, 0]),
            format_number(run.values[-1]),
            format_number(run.gradients[-1, 0]),
            kind,
        )

    def show_runs(
        self, runs: Sequence[tuple[str, Run]], verdicts: Sequence[Diagnosis], variable: str
    ) -> None:
        """One row per run: its name, step k, position, loss, slope and verdict."""
        if self._shape != (len(runs), variable):
            self._shape = (len(runs), variable)
            self.setHorizontalHeaderLabels(self.headers(variable))
            self.setRowCount(len(runs))
            # Exactly as tall as its rows: the panel scrolls, never the table.
            rows = sum(self.rowHeight(row) for row in range(len(runs)))
            self.setFixedHeight(self.horizontalHeader().sizeHint().height() + rows + 4)
        last = self.columnCount() - 1
        for row, ((key, run), verdict) in enumerate(zip(runs, verdicts, strict=True)):
            for column, text in enumerate(self.row(key, run, verdict.kind)):
                item = self.item(row, column)
                if item is None:
                    item = QTableWidgetItem()
                    self.setItem(row, column, item)
                if item.text() != text:  # an unchanged cell costs nothing to repaint
                    item.setText(text)
                    if column < last:  # the last column stretches to the table's edge
                        self._fit_column(column, text)
            name = self.item(row, 0)
            name.setForeground(QColor(colour_of(key)))
            name.setToolTip(f"{OPTIMIZERS[key].display_name}: {verdict.message}")
