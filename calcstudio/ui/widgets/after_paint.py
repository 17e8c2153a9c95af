"""Work that waits for a widget's next paint, so what the learner watches is drawn first.

A keystroke changes the plot and the side panel's numbers. Qt paints every widget that
changed in one pass, so writing the panel in the same handler as the plot puts the panel's
layout and a dozen label repaints between the key and the plot on screen. Queued here, the
numbers are written just after the plot's frame has been flushed, before the next one.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class AfterPaint(QObject):
    """Runs queued work once ``widget`` has painted (or after ``latest_ms`` if it does not).

    Work queued under a name replaces older work under that name, so a burst of edits
    before a paint writes the panel once, for the newest edit.

    Parameters
    ----------
    widget
        The widget whose paint the work waits for (the plot's viewport).
    latest_ms
        The longest wait, for an edit that changed nothing on ``widget``: about a frame.
    """

    def __init__(self, widget: QWidget, latest_ms: int = 16) -> None:
        super().__init__(widget)
        self._widget = widget
        self._queued: dict[str, Callable[[], None]] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.run_now)
        self._latest_ms = latest_ms
        widget.installEventFilter(self)

    @property
    def pending(self) -> bool:
        """Whether work is waiting for the paint."""
        return bool(self._queued)

    def is_queued(self, name: str) -> bool:
        """Whether work called ``name`` is waiting for the paint."""
        return name in self._queued

    def call(self, name: str, work: Callable[[], None]) -> None:
        """Run ``work`` after the widget's next paint, instead of any older work called
        ``name``; at the next turn of the event loop if the widget is not on screen."""
        self._queued[name] = work
        if not self._widget.isVisible():
            self._timer.start(0)
        elif not self._timer.isActive():
            self._timer.start(self._latest_ms)

    def cancel(self) -> None:
        """Drop the queued work (the window is closing)."""
        self._queued.clear()
        self._timer.stop()

    def run_now(self) -> None:
        """Run the queued work at once, oldest name first."""
        self._timer.stop()
        queued, self._queued = self._queued, {}
        for work in queued.values():
            work()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._queued:
            # Started during the paint, a zero-time timer fires at the event loop's next
            # turn: after this frame is on screen.
            self._timer.start(0)
        return False


__all__ = ["AfterPaint"]
