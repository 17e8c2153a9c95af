"""A plot on log-log axes for errors against a step or a count (h, n)."""

from __future__ import annotations

import pyqtgraph as pg

from calcstudio.ui.widgets.axes import plain_axes


def log_log_plot(bottom: str, left: str, minimum_height: int) -> pg.PlotWidget:
    """A white plot with log-log axes, a light grid, no context menu or buttons.

    Parameters
    ----------
    bottom, left
        The axes' labels.
    minimum_height
        In pixels, so the curves stay readable in a side panel.
    """
    plot = pg.PlotWidget(background="w", enableMenu=False)
    plot.setMinimumHeight(minimum_height)
    item = plot.getPlotItem()
    item.setLogMode(True, True)
    plain_axes(item)
    item.hideButtons()
    item.showGrid(x=True, y=True, alpha=0.25)
    item.setLabel("bottom", bottom)
    item.setLabel("left", left)
    return plot


__all__ = ["log_log_plot"]
