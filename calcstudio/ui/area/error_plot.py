"""The error of each rule against n on log-log axes, with the slopes −1 and −2 drawn and named."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from calcstudio.core.area.riemann import EXPECTED_ORDER, RULE_NAMES, RULES, Rule, measured_order
from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.log_plot import log_log_plot
from calcstudio.ui.widgets.plot_items import cache_as_pixmaps

RULE_COLOURS: dict[Rule, str] = {
    "left": "#1b9e77",
    "right": "#d95f02",
    "midpoint": "#7570b3",
    "trapezoid": "#e7298a",
    "upper": "#66a61e",
    "lower": "#a6761d",
}
"""One colour per rule, on the error plot only (none of f, f′, f″ or the area fills)."""
GUIDE = "#888888"
_EMPTY = np.empty(0)


class ErrorPlot(QWidget):
    """|sum − ∫| against n for the rules, on log-log axes, with guide lines of slope −1 and −2.

    Attributes
    ----------
    curves : dict of pyqtgraph.PlotDataItem
        One per rule, empty until :meth:`set_errors`.
    guides : dict of pyqtgraph.PlotDataItem
        The straight lines of slope −1 and −2 (keys 1 and 2).
    marker : pyqtgraph.PlotDataItem
        The current n and the current rule's error.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = log_log_plot("n (rectangles)", "|sum − ∫|", 200)
        item = self.plot.getPlotItem()
        # Log axes draw many labels; their range rarely changes, so keep them as pixmaps.
        cache_as_pixmaps(item.getAxis("bottom"), item.getAxis("left"))
        self.legend = item.addLegend(offset=(5, -5), labelTextSize="8pt")  # bottom left: empty
        self.curves: dict[Rule, pg.PlotDataItem] = {}
        for rule in RULES:
            curve = pg.PlotDataItem(_EMPTY, _EMPTY, pen=pg.mkPen(RULE_COLOURS[rule], width=1))
            item.addItem(curve)
            self.curves[rule] = curve
        self.guides = {
            order: pg.PlotDataItem(
                _EMPTY, _EMPTY, pen=pg.mkPen(GUIDE, width=1.5, style=Qt.PenStyle.DashLine)
            )
            for order in (1, 2)
        }
        self.guide_labels = {
            order: pg.TextItem(f"slope −{order}", color=GUIDE, anchor=(0, 1)) for order in (1, 2)
        }
        for order in (1, 2):
            item.addItem(self.guides[order])
            item.addItem(self.guide_labels[order])
        self.marker = pg.PlotDataItem(
            _EMPTY, _EMPTY, pen=None, symbol="o", symbolSize=9, symbolBrush=palette.TANGENT
        )
        item.addItem(self.marker)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {palette.MUTED};")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        layout.addWidget(self.message)
        self.orders: dict[Rule, float] = {}
        """The measured slope of each rule's curve."""
        self._ns = _EMPTY
        self._errors: dict[Rule, np.ndarray] = {}
        self._legend_rules: tuple[Rule, ...] = ()
        self._decades: tuple[float, ...] = ()
        item.getViewBox().disableAutoRange()

    def set_errors(
        self,
        ns: np.ndarray,
        errors: Mapping[Rule, np.ndarray],
        current: Rule,
        floor: float = 0.0,
    ) -> None:
        """Show each rule's errors against ``ns``; the current rule drawn thicker.

        Errors below ``floor`` are rounding (see
        :func:`~calcstudio.core.area.riemann.rounding_floor`) and are not drawn.
        """
        self.plot.show()
        self._ns = np.asarray(ns, dtype=float)
        self._errors = {rule: np.abs(np.asarray(e, dtype=float)) for rule, e in errors.items()}
        self.orders = {}
        labels: dict[Rule, str] = {}
        for rule, curve in self.curves.items():
            e = self._errors.get(rule)
            if e is None:
                curve.setData(_EMPTY, _EMPTY)
                continue
            shown = np.isfinite(e) & (e > floor)
            curve.setData(self._ns[shown], e[shown])
            width = 2.5 if rule == current else 1
            if curve.opts["pen"].widthF() != width:
                curve.setPen(pg.mkPen(RULE_COLOURS[rule], width=width))
            large = self._ns >= 4
            self.orders[rule] = measured_order(self._ns[large], e[large], floor)
            slope = self.orders[rule]
            words = f"slope {slope:.2f}".replace("-", "−") if np.isfinite(slope) else "no slope"
            labels[rule] = f"{RULE_NAMES[rule]}: {words}"
        self._label_legend(labels)
        self._fit_range()
        self._errors = {rule: np.where(e > floor, e, 0.0) for rule, e in self._errors.items()}
        self._draw_guides()
        if all(np.isnan(slope) for slope in self.orders.values()):
            self.message.setText(
                "Every sum here is exact to rounding (as for a whole period of sin or cos, "
                "or a straight line for the midpoint and trapezoid rules): no slope to measure."
            )
            return
        expected = all(
            abs(slope + EXPECTED_ORDER[rule]) <= 0.15
            for rule, slope in self.orders.items()
            if np.isfinite(slope)
        )
        if expected:
            self.message.setText(
                "Each doubling of n halves the error of the left and right sums (slope −1) and"
                " quarters that of the midpoint and trapezoid sums (slope −2)."
            )
        else:
            self.message.setText(
                "Some measured slopes differ from −1 and −2: those hold for f smooth on [a, b]"
                " once the pieces are narrow next to how f bends; here f has a corner or jump,"
                " or n is not yet that large."
            )

    def _label_legend(self, labels: dict[Rule, str]) -> None:
        # Rebuilding a legend costs a frame: only when the rules on show change.
        if tuple(labels) != self._legend_rules:
            self.legend.clear()
            for rule, text in labels.items():
                self.legend.addItem(self.curves[rule], text)
            self._legend_rules = tuple(labels)
            return
        for rule, text in labels.items():
            self.legend.getLabel(self.curves[rule]).setText(text)

    def _fit_range(self) -> None:
        """Whole decades around every error drawn; re-set only when they change (the log
        axes re-draw their ticks whenever the range moves)."""
        drawn = [curve.yData for curve in self.curves.values() if curve.yData is not None]
        values = np.concatenate([*drawn, np.empty(0)]) if drawn else np.empty(0)
        values = values[np.isfinite(values) & (values > 0)]
        if values.size == 0:
            return
        decades = (
            0.0,
            float(np.log10(self._ns.max())),
            float(np.floor(np.log10(values.min()))),
            float(np.ceil(np.log10(values.max()))),
        )
        if decades != self._decades:
            self._decades = decades
            box = self.plot.getPlotItem().getViewBox()
            box.setRange(xRange=decades[:2], yRange=decades[2:], padding=0.02)

    def set_current(self, n: int, error: float, floor: float = 0.0) -> None:
        """Mark the current n on the current rule's curve (not at rounding level)."""
        if np.isfinite(error) and abs(error) > floor:
            self.marker.setData([float(n)], [abs(float(error))])
        else:
            self.marker.setData(_EMPTY, _EMPTY)

    def clear(self, message: str) -> None:
        """Show nothing but ``message`` (no integral to measure errors against)."""
        for curve in (*self.curves.values(), *self.guides.values(), self.marker):
            curve.setData(_EMPTY, _EMPTY)
        for label in self.guide_labels.values():
            label.setText("")
        self.legend.clear()
        self._legend_rules = ()
        self.orders = {}
        self.plot.hide()
        self.message.setText(message)

    def _draw_guides(self) -> None:
        ns = self._ns
        if ns.size == 0:
            return
        for order in (1, 2):
            # Through the largest error of the rules of this order, a little below it.
            heights = [
                e[0]
                for rule, e in self._errors.items()
                if EXPECTED_ORDER[rule] == order and e[0] > 0
            ]
            if not heights:
                self.guides[order].setData(_EMPTY, _EMPTY)
                self.guide_labels[order].setText("")
                continue
            start = 0.3 * max(heights)
            line = start * (ns / ns[0]) ** -order
            self.guides[order].setData(ns, line)
            # Text items sit in the view's own (log10) coordinates.
            middle = ns.size // 3
            self.guide_labels[order].setText(f"slope −{order}")
            self.guide_labels[order].setPos(np.log10(ns[middle]), np.log10(line[middle]))


__all__ = ["RULE_COLOURS", "ErrorPlot"]
