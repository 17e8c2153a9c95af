"""The contour lines of a map as one NaN-separated curve whose extent is known beforehand.

pyqtgraph finds a curve's extent with ``nanmin``/``nanmax`` over all its points, after every
``setData`` and again after every change of the view's transform (a pan): for the 10,000 to
20,000 points of twelve contour lines that was about 1 to 2 ms of each pan (measured here,
see README). The lines of a landscape never leave its grid, so the grid's rectangle serves
as their extent without looking at the points.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF

from calcstudio.ui.widgets.quick_curve import QuickCurve


class ContourCurve(QuickCurve):
    """Contour lines drawn as one curve, pieces separated by NaN, inside a known rectangle.

    A :class:`~calcstudio.ui.widgets.quick_curve.QuickCurve` whose extent is the rectangle:
    its bounding rectangle is padded the same quick way, and kept over a pan."""

    def __init__(self, pen: object) -> None:
        super().__init__(pen=pen, connect="finite")
        self._extent: tuple[tuple[float, float], tuple[float, float]] | None = None

    def set_lines(self, lines: np.ndarray, rect: QRectF) -> None:
        """Draw ``lines`` (``(k, 2)``, pieces separated by rows of NaN), which lie in ``rect``
        (plot units)."""
        self._extent = (rect.left(), rect.right()), (rect.top(), rect.bottom())
        self.setData(lines[:, 0], lines[:, 1], connect="finite")

    def clear_lines(self) -> None:
        """Draw nothing."""
        self._extent = None
        self.setData([], [])

    def dataBounds(  # pyqtgraph passes orthoRange by name
        self,
        ax: int,
        frac: float = 1.0,
        orthoRange: object = None,  # noqa: N803
    ) -> tuple[float | None, float | None]:
        """The rectangle's side along axis ``ax`` (0: w1, 1: w2), or nothing with no lines."""
        if self._extent is None or self.xData is None or len(self.xData) == 0:
            return (None, None)
        low, high = self._extent[ax]
        return (min(low, high), max(low, high))
