"""The gradient that reaches each layer of a deep chain, on a log scale, beside its bound."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from calcstudio.core.chain import DeepChain
from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.axes import plain_axes

_FLOOR = 1e-300
"""Smallest gradient drawn: a log scale cannot show 0."""


class DepthPlot(pg.PlotWidget):
    """|∂f/∂(input of layer k)| against k, and the largest it can be.

    Parameters
    ----------
    parent
        The parent widget.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background="w", enableMenu=False)  # no context menu
        self.setObjectName("depthPlot")
        self.setMinimumHeight(140)
        self.setLogMode(y=True)
        self.setLabel("bottom", "layer k (1 is nearest the input)")
        self.setLabel("left", "|∂f/∂ input of layer k|")
        plain_axes(self.getPlotItem())
        self.legend = self.addLegend(offset=(10, 10))  # top left: the curves rise to the right
        self.gradients = self.plot(
            [],
            [],
            pen=pg.mkPen(palette.DERIVATIVE, width=2),
            symbol="o",
            symbolSize=6,
            symbolBrush=QColor(palette.DERIVATIVE),
            name="gradient reaching layer k",
        )
        self.bound = self.plot(
            [],
            [],
            pen=pg.mkPen(palette.MUTED, width=1.5, style=Qt.PenStyle.DashLine),
            name="largest possible",
        )

    def show_chain(self, chain: DeepChain) -> None:
        """Draw ``chain``'s gradients and their bound."""
        self.gradients.setData(chain.layers, np.maximum(chain.gradients, _FLOOR))
        self.bound.setData(chain.layers, np.maximum(chain.bounds, _FLOOR))
        bound_name = {
            "sigmoid": f"bound (|w|/4)ⁿ⁻ᵏ⁺¹ = {abs(chain.weight) / 4:.3g}ⁿ⁻ᵏ⁺¹",
            "tanh": f"bound |w|ⁿ⁻ᵏ⁺¹ = {abs(chain.weight):.3g}ⁿ⁻ᵏ⁺¹",
            "linear": f"exactly |w|ⁿ⁻ᵏ⁺¹ = {abs(chain.weight):.3g}ⁿ⁻ᵏ⁺¹",
        }[chain.family]
        self.legend.getLabel(self.bound).setText(bound_name)
        self.enableAutoRange()
