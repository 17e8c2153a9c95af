"""The view follows the descent: ball and trail stay in sight, smoothly, until the learner
pans or zooms by hand (then the *Follow* box unticks itself, and Play ticks it again)."""

from __future__ import annotations

from collections.abc import Sequence

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


class PathBounds:
    """The box around a path's finite points so far, widened by the points added since the
    last :meth:`update` only.

    Following the view needs only each axis's least and greatest point; taking them afresh
    from seven paths of 100,000 points every frame cost more than the rest of the frame.
    """

    def __init__(self) -> None:
        self._clear(None)

    def _clear(self, first: tuple[float, float] | None) -> None:
        self._seen = 0
        self._first = first
        self.low = np.array([np.inf, np.inf])
        """Least x and y so far (inf before any finite point)."""
        self.high = np.array([-np.inf, -np.inf])
        """Greatest x and y so far."""

    def update(self, xs: np.ndarray, ys: np.ndarray) -> None:
        """Take in the points of ``(xs, ys)`` added since the last call.

        The whole path is passed each time; earlier points must be unchanged, else it is a
        new path, recognised by a different first point or a shorter length.
        """
        first = (float(xs[0]), float(ys[0])) if xs.size else None
        if xs.size < self._seen or first != self._first:
            self._clear(first)
        new_x, new_y = xs[self._seen :], ys[self._seen :]
        self._seen = xs.size
        finite = np.isfinite(new_x) & np.isfinite(new_y)
        if finite.any():
            new_x, new_y = new_x[finite], new_y[finite]
            self.low = np.fmin(self.low, (new_x.min(), new_y.min()))
            self.high = np.fmax(self.high, (new_x.max(), new_y.max()))


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
        self._bounds: list[PathBounds] = []
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

    def keep_paths_in_view(self, paths: Sequence[tuple[np.ndarray, np.ndarray]]) -> None:
        """Like :meth:`keep_in_view` for every point of the paths ``(xs, ys)``, which grow
        from call to call (a frame looks only at the points added since the last)."""
        while len(self._bounds) < len(paths):
            self._bounds.append(PathBounds())
        del self._bounds[len(paths) :]
        for bounds, (xs, ys) in zip(self._bounds, paths, strict=True):
            bounds.update(np.asarray(xs, float), np.asarray(ys, float))
        # The corners of the box around every path: the view only looks at the extremes.
        corners = [(b.low, b.high) for b in self._bounds if np.all(b.low <= b.high)]
        xs = np.array([c[i][0] for c in corners for i in (0, 1)])
        ys = np.array([c[i][1] for c in corners for i in (0, 1)])
        self.keep_in_view(xs, ys)

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
