"""What the line-fit lesson shows beside its panel: the data and the bowl side by side, a key to
their marks under them (so no legend covers the data), and the loss against step below.

The bowl over (m, c) is drawn with each axis scaled to its own range by default, so it fills
its plot however different the spans of m and c; the *Same scale on both axes* box shows true
angles instead (∇L then crosses the contour lines at right angles, and a long thin valley
looks as thin as it is).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from calcstudio.ui.fit.data_view import DataView
from calcstudio.ui.surface.landscape_view import GRADIENT, POINT, STEEPEST, LandscapeView
from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.loss_plot import LossPlot

SAME_SCALE_HELP = (
    "On: a unit is as long on screen on both axes, so ∇L crosses the contour lines at right "
    "angles and the bowl's true shape shows (a long thin valley may then be a sliver). Off: "
    "each axis fits its own range, so the bowl fills the map, and ∇L need not look "
    "perpendicular to the contours."
)
LOSS_SHARE = (4, 1)
"""How the height is shared between the two plots and the loss against step."""
PLOT_SHARE = (9, 11)
"""How the width is shared between the data and the bowl (which has a colour bar too)."""
LOSS_MIN_HEIGHT = 80
"""The loss plot can shrink this far in a small window (the plots above matter more)."""


def _mark(colour: str, symbol: str, text: str) -> str:
    return f"<span style='color:{colour}'>{symbol}</span>&nbsp;{escape(text)}"


class FitView(QWidget):
    """The data view, the landscape, their key, and the loss plot.

    Parameters
    ----------
    loss_plot
        The descent's loss-against-step plot, shown under the others.
    parent
        The parent widget.
    """

    def __init__(self, loss_plot: LossPlot, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_view = DataView()
        self.landscape = LandscapeView()
        self.landscape.legend.setVisible(False)  # the key under the plots says it all
        self.plots = QSplitter(Qt.Orientation.Horizontal)
        self.plots.addWidget(self.data_view)
        self.plots.addWidget(self.landscape)
        self.plots.setChildrenCollapsible(False)
        for index, share in enumerate(PLOT_SHARE):
            self.plots.setStretchFactor(index, share)
        self.plots.setSizes([share * 100 for share in PLOT_SHARE])
        self.key = QLabel()
        self.key.setWordWrap(True)
        self.key.setTextFormat(Qt.TextFormat.RichText)
        self.key.setObjectName("fitKey")
        self.same_scale_box = QCheckBox("Same scale on both axes")
        self.same_scale_box.setToolTip(SAME_SCALE_HELP)
        top = QWidget()
        column = QVBoxLayout(top)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.plots, 1)
        row = QHBoxLayout()
        row.setContentsMargins(4, 0, 4, 0)
        row.addWidget(self.key, 1)
        row.addWidget(self.same_scale_box, 0, Qt.AlignmentFlag.AlignTop)
        column.addLayout(row)
        loss_plot.plot.setMinimumHeight(LOSS_MIN_HEIGHT)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(loss_plot)
        self.splitter.setChildrenCollapsible(False)
        for index, share in enumerate(LOSS_SHARE):
            self.splitter.setStretchFactor(index, share)
        self.splitter.setSizes([share * 1000 for share in LOSS_SHARE])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.set_same_scale(False)
        self.same_scale_box.toggled.connect(self.set_same_scale)
        self.curve = "line"
        self.pair = ("m", "c")
        self.runs: tuple[Sequence[str], Sequence[str]] = ([palette.DESCENT], ["descent path"])
        self.show_runs(*self.runs)

    def show_model(self, curve: str, pair: tuple[str, str]) -> None:
        """Name what is fitted (``"line"`` or ``"parabola"``) and the bowl's pair in the key."""
        self.curve, self.pair = curve, pair
        self.show_runs(*self.runs)

    def set_same_scale(self, same: bool) -> None:
        """One scale on both axes of the bowl (true angles), or each axis fitted to its range."""
        self.landscape.plot.setAspectLocked(same)
        self.landscape.redraw()

    def show_runs(self, colours: Sequence[str], names: Sequence[str]) -> None:
        """Write the key: the data's marks, then the bowl's, with each run's path."""
        self.runs = (list(colours), list(names))
        handles = " (drag a ■)" if self.curve == "line" else ""
        paths = [_mark(c, "━", name) for c, name in zip(colours, names, strict=True)]
        data = [
            _mark(palette.FUNCTION, "●", "data"),
            _mark(palette.TANGENT, "━", f"{self.curve}{handles}"),
            _mark(palette.DERIVATIVE, "┃", "errors"),
        ]
        bowl = [
            _mark(POINT, "●", f"({self.pair[0]}, {self.pair[1]})"),
            _mark("#000000", "○", "least squares" if self.curve == "line" else "bottom"),
            _mark("#000000", "□", "start"),
            _mark(GRADIENT, "→", "∇L"),
            _mark(STEEPEST, "→", "−∇L"),
            *paths,
        ]
        self.key.setText(
            "<b>Data:</b> " + " &nbsp; ".join(data) + "<br><b>Bowl:</b> " + " &nbsp; ".join(bowl)
        )
