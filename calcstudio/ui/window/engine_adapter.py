"""The Qt side of the symbolic engine: results as signals, the worker's state in words.

:class:`~calcstudio.core.engine.Engine` is Qt-free and never blocks; this adapter watches
its pipe with a ``QSocketNotifier`` (so a result is handled the moment it arrives, with no
polling delay) and keeps a single-shot timer for the next deadline. Stale results (for text
the learner has typed past) are dropped here, so the window only ever sees the newest.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSocketNotifier, QTimer, Signal
from PySide6.QtWidgets import QWidget

from calcstudio.core.analysis import WITHOUT_SECOND_FORMULA
from calcstudio.core.engine import Engine, EngineResult

LATEST_START_MS = 1000
"""Longest a worker held for a window's first frame waits (a window never painted)."""

STARTING = "Starting the maths engine…"
COMPUTING = "Working out the derivatives…"
READY = "Maths engine ready."


class EngineAdapter(QObject):
    """Send text to the worker process and hear back through signals.

    Parameters
    ----------
    engine
        An engine to share (it stays open when the adapter closes), or None to start and
        own a new one. Either way the worker is started without waiting for it: at once,
        or after ``first_frame_of``'s first frame.
    parent
        The owning QObject.
    first_frame_of
        A widget about to be shown (the window) whose first frame the worker's start waits
        for: see :meth:`_start_after_first_paint`.
    """

    resultReady = Signal(object)
    """An :class:`~calcstudio.core.engine.EngineResult` for the newest request only."""
    integralReady = Signal(object)
    """An :class:`~calcstudio.core.area.exact.IntegralResult` for the newest integral only."""
    typesetReady = Signal(object)
    """A :class:`~calcstudio.core.typeset_task.TypesetResult` for the newest typeset request."""
    statusChanged = Signal(str)
    """What the engine is doing, in words for the status line."""

    def __init__(
        self,
        engine: Engine | None = None,
        parent: QObject | None = None,
        *,
        first_frame_of: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._owned = engine is None
        self.engine = Engine() if engine is None else engine
        self.status = ""
        self._notifier: QSocketNotifier | None = None
        self._watched: tuple[int | None, int | None] = (None, None)
        self._first_frame_of: QWidget | None = None
        self._deadline_timer = QTimer(self)
        self._deadline_timer.setSingleShot(True)
        self._deadline_timer.timeout.connect(self._on_wake)
        if first_frame_of is None:
            self.engine.start()
        else:
            self._start_after_first_paint(first_frame_of)
        self._watch()
        self._set_status(READY if self.engine.ready else STARTING)

    def _start_after_first_paint(self, widget: QWidget) -> None:
        """Hold the worker's start until ``widget`` has drawn its first frame.

        Starting a worker (an interpreter importing numpy, then sympy) on the machine's
        other core while the window builds and draws itself delayed the first frame by
        about a tenth of a second (the two cores slow each other); nothing in that frame
        needs the worker (the plot comes from the fast path), and requests made meanwhile
        wait for it. The first typeset formulas came no later: the worker's start was
        slowed as much. A widget that is not shown by the first turn of the event loop (a
        window built and never shown) does not hold it, nor does one whose paint does not
        come within :data:`LATEST_START_MS`.
        """
        self.engine.hold()
        if not self.engine.held:
            return  # a worker is running already (a shared engine)
        widget.installEventFilter(self)
        self._first_frame_of = widget
        QTimer.singleShot(0, self, self._release_unless_shown)
        QTimer.singleShot(LATEST_START_MS, self, self._release)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """On the held-for widget's first paint, start the worker once the frame is drawn."""
        if watched is self._first_frame_of and event.type() == QEvent.Type.Paint:
            # Started during the paint, a zero-time timer fires after the frame is flushed.
            QTimer.singleShot(0, self, self._release)
        return False

    def _release_unless_shown(self) -> None:
        if self._first_frame_of is not None and not self._first_frame_of.isVisible():
            self._release()

    def _release(self) -> None:
        if self._first_frame_of is not None:
            self._first_frame_of.removeEventFilter(self)
            self._first_frame_of = None
        if self.engine.held:
            self.engine.release()
            self._after_poll()

    def request(self, text: str, *, second_formula: bool = True) -> int:
        """Ask for ``text`` to be worked out; the newest text wins. Returns its request id.

        Without ``second_formula``, f″ of a function of one variable comes untypeset.
        """
        payload = (text,) if second_formula else (text, WITHOUT_SECOND_FORMULA)
        request_id = self.engine.submit(text, payload=payload)
        self._set_status(COMPUTING)
        self._after_poll()
        return request_id

    def request_integral(self, text: str, a: str, b: str, deadline: float = 5.0) -> int:
        """Ask for ∫ₐᵇ f; the newest integral wins (derivative requests are not dropped)."""
        request_id = self.engine.submit(text, deadline, task="integral", payload=(text, a, b))
        self._after_poll()
        return request_id

    def request_typeset(self, text: str, formulas: tuple[str, ...]) -> int:
        """Ask for LaTeX ``formulas`` (of the function ``text``) to be typeset; the newest
        request wins (derivative and integral requests are not dropped)."""
        request_id = self.engine.submit(text, task="typeset", payload=(text, *formulas))
        self._after_poll()
        return request_id

    def close(self) -> None:
        """Stop watching; stop the worker too if this adapter started it."""
        self._deadline_timer.stop()
        self._drop_notifier()
        if self._owned:
            self.engine.close()

    # --- internals ----------------------------------------------------------

    def _on_wake(self, *_: object) -> None:
        results = self.engine.poll()
        newest = [r for r in results if r.request_id == self.engine.latest_ids.get(r.task)]
        self._after_poll()
        for result in newest:
            if result.task == "integral":
                self.integralReady.emit(result)
                continue
            if result.task == "typeset":
                self.typesetReady.emit(result)
                continue
            self._report(result)
            self.resultReady.emit(result)
        if not newest and not self.engine.busy and self.engine.ready:
            self._set_status(READY if self.status == STARTING else self.status)

    def _report(self, result: EngineResult) -> None:
        if result.status in ("timeout", "crashed"):
            self._set_status(result.message)
        elif result.ok:
            self._set_status(f"Done in {result.seconds * 1000:.0f} ms.")
        else:
            self._set_status("Done: the text is not a function yet.")

    def _after_poll(self) -> None:
        """Re-arm the notifier (the pipe changes when the worker is respawned) and the timer."""
        self._watch()
        wait = self.engine.seconds_to_next_check()
        if wait is None:
            self._deadline_timer.stop()
        else:
            self._deadline_timer.start(max(1, int(wait * 1000) + 1))

    def _watch(self) -> None:
        # A respawned worker may get its pipe under the same descriptor number: the pid
        # tells the two apart.
        watched = (self.engine.pid, self.engine.fileno())
        if watched == self._watched:
            return
        self._drop_notifier()
        fd = watched[1]
        if fd is not None:
            self._notifier = QSocketNotifier(fd, QSocketNotifier.Type.Read, self)
            self._notifier.activated.connect(self._on_wake)
            self._watched = watched

    def _drop_notifier(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
        self._notifier = None
        self._watched = (None, None)

    def _set_status(self, text: str) -> None:
        if text != self.status:
            self.status = text
            self.statusChanged.emit(text)


__all__ = ["EngineAdapter"]
