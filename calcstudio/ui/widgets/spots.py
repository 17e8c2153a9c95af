"""Moving the spots of a scatter plot in place.

``ScatterPlotItem.setData`` rebuilds every spot (its record, symbol, pen, brush and place in
the symbol atlas): about 1 ms for the 1,000 points of a dragged dataset, on every move. When
only where the spots are changes, writing the new places into the item's records and
telling the view that its extent changed is enough: the item reads them on every paint.

A marker that moves on every frame (a bowl's bottom under a dragged data point, the dragged
point itself) is better moved whole: :func:`shift_spots` moves the item, whose spots stay
put in it, so an item kept as a pixmap (``cache_as_pixmaps``) is copied to its new place
instead of painted afresh (0.3 to 0.7 ms a move for a one-spot scatter plot).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg


def move_spots(
    item: pg.ScatterPlotItem,
    index: int | slice,
    x: float | np.ndarray,
    y: float | np.ndarray,
) -> None:
    """Move the spots ``index`` of ``item`` to ``(x, y)``; symbols, pens and brushes stay."""
    item.data["x"][index] = x
    item.data["y"][index] = y
    item.prepareGeometryChange()
    item.bounds = [None, None]  # the item's cached extent of its data
    item.informViewBoundsChanged()
    item.update()


def shift_spots(item: pg.ScatterPlotItem, x: float, y: float) -> None:
    """Move all the spots of ``item`` together, its first to ``(x, y)``, by moving the item
    (its spots keep their places in it). :func:`place_spots` puts the item back."""
    item.setPos(x - float(item.data["x"][0]), y - float(item.data["y"][0]))


def place_spots(item: pg.ScatterPlotItem, *args: object, **kwargs: object) -> None:
    """``item.setData(*args, **kwargs)`` with the item back at its own place, so the new
    spots show where their data says, whatever :func:`shift_spots` did before."""
    item.setPos(0.0, 0.0)
    item.setData(*args, **kwargs)


def spot_places(item: pg.ScatterPlotItem) -> tuple[np.ndarray, np.ndarray]:
    """Where the spots of ``item`` are shown, in its view's coordinates: their data moved
    by wherever :func:`shift_spots` put the item."""
    offset = item.pos()
    return item.data["x"] + offset.x(), item.data["y"] + offset.y()
