"""The view follows the descent: ball and trail stay in sight, smoothly, until the learner
pans or zooms by hand (then the *Follow* box unticks itself, and Play ticks it again)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QCheckBox

from calcstudio.core.framing import range_to_follow, step_towards

FRAME_MS = 16
"""One frame of the smooth move."""
CLOSE_ENOUGH = 1e-3
"""A move ends when every edge is this close to its target, as a fraction of the range."""

Range = tuple[tuple[float, float], tuple[float, float]]


class ViewFollower(QObject):
    """Moves a plot's view to keep the given points in sight while :attr:`box` is ticked.

    Parameters
    ----------
    plot_item
        The plot whose view follows.
    parent
        The owner.

    Attributes
    ----------
    box : QCheckBox
        *Follow*: ticked, the view follows; a pan or zoom by hand unticks it.
    """

    def __init__(self, plot_item: pg.PlotItem, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._view_box: pg.ViewBox = plot_item.getViewBox()
        self.box = QCheckBox("Follow")
        self.box.setChecked(True)
        self.box.setToolTip(
            "Keep the ball and its trail in view. Panning or zooming by hand turns this off "
            "until the next Play."
        )
        self._stopped_by_hand = False
        self._xs = self._ys = np.empty(0)
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._on_frame)
        self._view_box.sigRangeChangedManually.connect(self._on_moved_by_hand)
        self.box.toggled.connect(self._on_toggled)

    def following(self) -> bool:
        """Whether the view follows."""
        return self.box.isChecked()

    def target(self) -> Range | None:
        """Where the view is moving to, or None when the points are in sight."""
        if self._xs.size == 0:
            return None
        view = self._view()
        target = range_to_follow(view, self._xs, self._ys)
        return None if target == view else target

    def play_started(self) -> None:
        """Play was pressed: follow again if a pan or zoom by hand had stopped it."""
        if self._stopped_by_hand:
            self._stopped_by_hand = False
            self.box.setChecked(True)

    def keep_in_view(self, xs: np.ndarray, ys: np.ndarray) -> None:
        """Move the view (smoothly) so the points ``(xs, ys)`` are in sight, if following."""
        self._xs, self._ys = np.asarray(xs, float), np.asarray(ys, float)
        if self.following() and self.target() is not None:
            self._timer.start()

    def stop(self) -> None:
        """Stop a move under way (the view stays where it is)."""
        self._timer.stop()

    def _view(self) -> Range:
        (x_min, x_max), (y_min, y_max) = self._view_box.viewRange()
        return (float(x_min), float(x_max)), (float(y_min), float(y_max))

    def _on_frame(self) -> None:
        # The target is worked out afresh each frame, from the view as it is now: a view the
        # window set meanwhile (a preset's) is followed from, never overwritten.
        target = self.target() if self.following() else None
        if target is None:
            self._timer.stop()
            return
        x_range, y_range = self._view()
        x, y = step_towards(x_range, target[0]), step_towards(y_range, target[1])
        if all(
            abs(now - goal) <= CLOSE_ENOUGH * (pair[1] - pair[0])
            for moved, pair in ((x, target[0]), (y, target[1]))
            for now, goal in zip(moved, pair, strict=True)
        ):
            x, y = target
        self._view_box.setRange(xRange=x, yRange=y, padding=0)

    def _on_moved_by_hand(self, *_: object) -> None:
        self.stop()
        if self.following():
            self._stopped_by_hand = True
            self.box.setChecked(False)

    def _on_toggled(self, checked: bool) -> None:
        if not checked:
            self.stop()
        else:
            self._stopped_by_hand = False
