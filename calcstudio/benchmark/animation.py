"""Timing an animation's frames the way its timer takes them.

A descent panel plays on a timer; each timeout is one frame (:meth:`RunPlayback.tick`): a
step of every run, the redraw, and the repaint Qt then performs. While it plays, the panel
reads its verdicts about ten times a second, not on every frame; a step taken by hand reads
them every time. So the frames are timed with the animation playing, at 60 steps a second (one
step a frame, the fastest the animation goes without taking several steps a frame), with the
timer's own timeouts held back so that each frame is taken, and timed, here alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from calcstudio.ui.descent.playback import FRAME_MS

FRAMES_PER_SECOND = round(1000 / FRAME_MS)
"""The speed the frames are timed at: the animation's fastest frame rate, one step of every
run per frame."""


def animation_frames(panel: Any, frames: int, repaint: Callable[[], None]) -> list[float]:
    """The durations of ``frames`` frames of ``panel``'s animation, each followed by
    ``repaint`` (the repaint Qt performs after a frame), in seconds.

    ``panel`` is a descent panel (a :class:`calcstudio.ui.descent.playback.RunPlayback`
    with ``speed_spin``, ``play`` and ``stop``); some of its runs must still be going after
    the last frame (the animation stops once all have stopped).
    """
    from PySide6.QtCore import QSignalBlocker

    panel.speed_spin.setValue(FRAMES_PER_SECOND)
    panel.play()
    times = []
    try:
        with QSignalBlocker(panel.timer):
            for _ in range(frames):
                started = time.perf_counter()
                panel.tick()
                repaint()
                times.append(time.perf_counter() - started)
        assert panel.timer.isActive(), "every run stopped during the frames"
    finally:
        panel.stop()
    return times
