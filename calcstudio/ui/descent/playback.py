"""Playing runs on a timer: the part the one- and two-variable descents share.

A mixin for a widget that has ``runs`` (``(key, Run)`` pairs), a ``timer``, ``play``, ``stop``
and ``_redraw``: it turns the speed into steps per frame, advances every run a frame's worth,
and applies the step limit to the runs there are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QTimer

    from calcstudio.core.optimize import Run

FRAME_MS = 1000.0 / 60.0
"""The animation never redraws faster than 60 times a second; faster speeds take more steps."""
VERDICT_MS = 100.0
"""While playing, the readouts are written and the verdicts read again about this often
(every frame at slower speeds).

A verdict reads a run's path and probes the function (about 1 ms a racer): at 60 frames a
second, seven racers would spend a fifth of each frame or more on words that change far more
slowly than that. The numbers beside them (step, position, loss, slope) are written at the
same moments, so that a row's numbers and its verdict are of the same step: at 60 a second
nobody reads them, and writing and repainting the race's table took a tenth of a frame."""


class RunPlayback:
    """Speed, frames and step limits of runs played on a timer (a mixin; see the module)."""

    runs: list[tuple[str, Run]]
    timer: QTimer
    _steps_per_tick: int
    _frames_since_verdicts: int = 0

    def play(self) -> None:  # provided by the widget
        raise NotImplementedError

    def stop(self) -> None:  # provided by the widget
        raise NotImplementedError

    def _redraw(self) -> None:  # provided by the widget
        raise NotImplementedError

    def _show_verdicts(self) -> None:  # provided by the widget: written if due
        raise NotImplementedError

    def tick(self) -> None:
        """One frame of the animation, what each timeout of the timer does; when every run
        has stopped, the animation stops with fresh verdicts."""
        if self._advance():
            self.stop()

    def _stop_playing(self) -> None:
        """Stop the timer; a run paused mid-way gets fresh readouts and verdicts (they may be
        a few frames old while it plays)."""
        playing = self.timer.isActive()
        self.timer.stop()
        if playing and self.runs:
            self._show_verdicts()

    def _readouts_due(self) -> bool:
        """Whether this frame writes the readouts and reads the verdicts again: always when
        not playing (a step by hand, a reset, a stop: each stops the timer first), else every
        frame that starts :data:`VERDICT_MS` after the last reading, counted in the timer's
        frames."""
        if not self.timer.isActive():
            self._frames_since_verdicts = 0
            return True
        self._frames_since_verdicts += 1
        if self._frames_since_verdicts * max(self.timer.interval(), 1) >= VERDICT_MS:
            self._frames_since_verdicts = 0
            return True
        return False

    def _advance(self) -> bool:
        """Take one frame's steps with every run and redraw; True once every run has stopped."""
        for _ in range(self._steps_per_tick):
            for _, run in self.runs:
                run.step()
        self._redraw()
        return all(run.finished for _, run in self.runs)

    def _on_play_toggled(self, checked: bool) -> None:
        if checked:
            self.play()
        else:
            self.stop()

    def _on_speed_changed(self, speed: int) -> None:
        interval = max(FRAME_MS, 1000.0 / speed)
        self._steps_per_tick = max(1, round(speed * interval / 1000.0))
        self.timer.setInterval(round(interval))

    def _on_max_steps_changed(self, max_steps: int) -> None:
        for _, run in self.runs:
            run.set_max_steps(max_steps)
        if self.runs:
            self._redraw()
