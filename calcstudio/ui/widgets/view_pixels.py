"""How many data units a screen pixel spans in a pyqtgraph view."""

from __future__ import annotations

import pyqtgraph as pg


def pixel_size(view_box: pg.ViewBox) -> tuple[float, float]:
    """Data units per screen pixel of ``view_box`` in x and y (0 before it has a size).

    Read from the range and the size, not ``viewPixelSize()``: while the range is changing
    the view's transform is not yet updated. (Used by the descent overlay and the surface
    map's paths alike, so it lives here rather than in either lesson.)
    """
    (x_min, x_max), (y_min, y_max) = view_box.viewRange()
    width, height = float(view_box.width()), float(view_box.height())
    if width <= 0 or height <= 0:
        return 0.0, 0.0
    return (x_max - x_min) / width, (y_max - y_min) / height
