"""An axis that works out its ticks and their labels' places in plain floats.

A pan of the function plot moves the x axis at every step, and pyqtgraph lays the axis out
again each time: its tick values through ``np.isclose`` on arrays of a dozen values (0.5 ms
a pan step, for the axis and the grid), its labels measured one by one through the painter
and placed through ``Point`` objects (another 0.5 ms). :class:`TickAxis` gives the same
ticks and the same layout from Python floats, with each label's size measured once.
"""

from __future__ import annotations

import bisect
import math
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QApplication

_LEFT_LABEL = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextDontClip
_RIGHT_LABEL = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextDontClip
_BOTTOM_LABEL = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextDontClip
_MEASURE_BOX = QRectF(0, 0, 100, 100)  # where pyqtgraph measures a label
_LAID_OUT = object()  # pyqtgraph's picture: None when the axis must be laid out again

TickLevels = list[tuple[float, list[float]]]
DrawSpecs = tuple[
    tuple[QPen, QPointF, QPointF],
    list[tuple[QPen, QPointF, QPointF]],
    list[tuple[QRectF, Any, str]],
]


def tick_values(levels: list[tuple[float, float]], low: float, high: float) -> TickLevels:
    """The ticks of each level of spacing between ``low`` and ``high``, as pyqtgraph gives them.

    Parameters
    ----------
    levels
        ``(spacing, offset)`` per level, coarsest first (``AxisItem.tickSpacing``).
    low, high
        The range, already multiplied by the axis's scale; ``low <= high``.

    Returns
    -------
    list of (spacing, values)
        Per level, the values ``start + k * spacing`` in the range, less those within a
        hundredth of a spacing of a coarser level's tick (the same floats pyqtgraph's
        ``AxisItem.tickValues`` computes with numpy, for an axis of scale 1).
    """
    ticks: TickLevels = []
    seen: list[float] = []  # the coarser levels' ticks, sorted
    for spacing, offset in levels:
        start = (math.ceil((low - offset) / spacing) * spacing) + offset
        count = int((high - start) / spacing) + 1
        tolerance = spacing * 0.01
        values = []
        for k in range(count):
            value = k * spacing + start
            at = bisect.bisect_left(seen, value)
            near = (at > 0 and value - seen[at - 1] <= tolerance) or (
                at < len(seen) and seen[at] - value <= tolerance
            )
            if not near:
                values.append(value)
        ticks.append((spacing, values))
        seen = sorted(seen + values)
    return ticks


class TickAxis(pg.AxisItem):
    """A bottom, left or right axis laid out as pyqtgraph would, in a third of its time.

    It keeps the tick values of the last few ranges (the grid lines ask for the ticks of
    the view's width, the axis for those of its own length, two pixels longer; a pan along x
    asks both again for the unchanged y ticks), finds new ones in plain floats, and keeps
    each label's measured size; ticks given with their texts (``setTicks``, the colour bar's
    levels) are laid out the same way. An axis set up otherwise (log scale, grid lines of its
    own, a top side, other tick styles) is left to pyqtgraph's code.
    """

    KEPT = 4
    """Ranges whose ticks are kept (the grid's and the axis's, before and after a move)."""
    SIZES_KEPT = 2000
    """Labels whose measured sizes are kept; past this many all are forgotten."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._ticks: dict[tuple[float, ...], TickLevels] = {}
        self._label_sizes: dict[tuple[tuple[str, int], str], tuple[float, float]] = {}
        self._specs: DrawSpecs | None = None

    def tickValues(self, low: float, high: float, size: float) -> TickLevels:
        """pyqtgraph's tick values for the range, worked out once per range, size and scale."""
        key = (float(low), float(high), float(size), float(self.scale))
        ticks = self._ticks.get(key)
        if ticks is None:
            if len(self._ticks) >= self.KEPT:
                self._ticks.pop(next(iter(self._ticks)))  # the oldest
            if self.logMode or self.scale != 1.0:
                ticks = super().tickValues(low, high, size)
            else:
                low, high = sorted((float(low), float(high)))
                ticks = tick_values(self.tickSpacing(low, high, size), low, high)
            self._ticks[key] = ticks
        return ticks

    def generateDrawSpecs(self, p: QPainter) -> DrawSpecs | None:
        """The axis line, the ticks and the labels to draw, as pyqtgraph lays them out."""
        style = self.style
        orientation = self.orientation
        if (
            orientation == "top"
            or self.logMode
            or self.grid is not False
            or style["tickAlpha"] is not None
            or any(style["stopAxisAtTick"])
            or not style["showValues"]
        ):
            return super().generateDrawSpecs(p)
        if style["tickFont"] is not None:
            p.setFont(style["tickFont"])
        bounds = self.mapRectFromParent(self.geometry())
        vertical = orientation != "bottom"
        if orientation == "left":
            span = (bounds.topRight() + QPointF(-1, -1), bounds.bottomRight() + QPointF(-1, 1))
            tick_stop, direction = bounds.right(), -1
        elif orientation == "right":
            span = (bounds.topLeft() + QPointF(1, -1), bounds.bottomLeft() + QPointF(1, 1))
            tick_stop, direction = bounds.left(), 1
        else:
            span = (bounds.topLeft() + QPointF(-1, 1), bounds.topRight() + QPointF(1, 1))
            tick_stop, direction = bounds.top(), 1
        ends = [self.mapToDevice(point) for point in span]
        if None in ends:
            return None
        length = ((ends[1].x() - ends[0].x()) ** 2 + (ends[1].y() - ends[0].y()) ** 2) ** 0.5
        if length == 0:
            return None
        fixed: list[list[str]] | None = None
        if self._tickLevels is None:
            levels = self.tickValues(self.range[0], self.range[1], length)
        else:  # ticks given with their texts (setTicks)
            levels = [(0.0, [value for value, _ in level]) for level in self._tickLevels]
            fixed = [[text for _, text in level] for level in self._tickLevels]

        width_of_range = self.range[1] - self.range[0]
        if width_of_range == 0:
            scale, offset = 1.0, 0.0
        elif vertical:
            scale = -bounds.height() / width_of_range
            offset = self.range[0] * scale - bounds.height()
        else:
            scale = bounds.width() / width_of_range
            offset = self.range[0] * scale
        ends_of_range = [x * scale - offset for x in self.range]
        lowest, highest = min(ends_of_range), max(ends_of_range)

        positions: list[list[float | None]] = []
        tick_specs = []
        base_pen = self.tickPen()
        for level, (_, values) in enumerate(levels):
            tick_length = style["tickLength"] / (level * 0.5 + 1.0)
            pen = base_pen
            if pen.brush().style() == Qt.BrushStyle.SolidPattern:
                pen = QPen(base_pen)
                colour = QColor(pen.color())
                colour.setAlpha(int(255 / (level + 1)))
                pen.setColor(colour)
            end = tick_stop + tick_length * direction
            placed: list[float | None] = []
            for value in values:
                x = value * scale - offset
                if x < lowest or x > highest:
                    placed.append(None)
                    continue
                placed.append(x)
                if vertical:
                    tick_specs.append((pen, QPointF(tick_stop, x), QPointF(end, x)))
                else:
                    tick_specs.append((pen, QPointF(x, tick_stop), QPointF(x, end)))
            positions.append(placed)
        axis_spec = (self.pen(), span[0], span[1])

        text_specs: list[tuple[QRectF, Any, str]] = []
        if len(self._label_sizes) > self.SIZES_KEPT:
            self._label_sizes.clear()  # labels of zooms long past
        font = (p.font().key(), p.device().logicalDpiY())
        gap = max(0, style["tickLength"]) + style["tickTextOffset"][0 if vertical else 1]
        outline = self.boundingRect()
        measured: list[tuple[float, float]] = []  # every label's size so far, all levels
        last_across = 0.0
        for level in range(min(len(levels), style["maxTextLevel"] + 1)):
            spacing, values = levels[level]
            strings = (
                self.tickStrings(values, self.autoSIPrefixScale * self.scale, spacing)
                if fixed is None
                else fixed[level]
            )
            if not strings:
                continue
            shown = [
                (x, text, self._label_size(p, font, text))
                for x, text in zip(positions[level], strings, strict=True)
                if x is not None
            ]
            measured += [size for _, _, size in shown]
            if measured:
                if vertical:
                    filled = sum(height for _, height in measured)
                    across = max(width for width, _ in measured)
                else:
                    filled = sum(width for width, _ in measured)
                    across = max(height for _, height in measured)
            else:
                filled = across = 0.0
            if level > 0 and any(
                len(text_specs) >= count and filled / length >= limit
                for count, limit in style["textFillLimits"]
            ):
                break  # this level's labels would crowd the axis
            last_across = across
            for x, text, size in shown:
                rect, flags = self._label_place(x, tick_stop + direction * gap, size)
                if outline & rect == rect:  # not sticking out of the axis
                    text_specs.append((rect, flags, text))
        self._updateMaxTextSize(last_across)
        return axis_spec, tick_specs, text_specs

    def _label_size(self, p: QPainter, font: tuple[str, int], text: str) -> tuple[float, float]:
        """A label's width and height in ``font``, measured as pyqtgraph measures it, once."""
        size = self._label_sizes.get((font, text))
        if size is None:
            box = p.boundingRect(_MEASURE_BOX, Qt.AlignmentFlag.AlignCenter, text)
            # pyqtgraph's own allowance: a measured box is usually a bit too tall.
            size = self._label_sizes[(font, text)] = (box.width(), box.height() * 0.8)
        return size

    def _label_place(self, x: float, edge: float, size: tuple[float, float]) -> tuple[QRectF, Any]:
        """Where a label of ``size`` goes for the tick at ``x``: against ``edge`` (the tick
        side's line plus the gap, towards the labels), centred on the tick."""
        width, height = size
        if self.orientation == "left":
            return QRectF(edge - width, x - height / 2, width, height), _LEFT_LABEL
        if self.orientation == "right":
            return QRectF(edge, x - height / 2, width, height), _RIGHT_LABEL
        return QRectF(x - width / 2, edge, width, height), _BOTTOM_LABEL

    def paint(self, p: QPainter, *_: object) -> None:
        """Draw the axis straight onto ``p``.

        pyqtgraph records the drawing in a ``QPicture`` and replays it; the axis is drawn
        whole into its kept pixmap (or onto the screen) anyway, so the recording only added
        its own cost. The layout is kept until pyqtgraph forgets it (``picture = None``).
        """
        if self.picture is None:
            p.save()
            p.setFont(self.style["tickFont"] or QApplication.font())  # as a QPicture's painter
            self._specs = self.generateDrawSpecs(p)
            p.restore()
            self.picture = _LAID_OUT
        if self._specs is not None:
            self.drawPicture(p, *self._specs)

    def setStyle(self, **kwargs: Any) -> None:
        """pyqtgraph's ``setStyle``; the kept ticks and label sizes are forgotten."""
        self._ticks.clear()
        self._label_sizes.clear()
        super().setStyle(**kwargs)
