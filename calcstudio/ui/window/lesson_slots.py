"""A lesson's place in the window, and the lesson itself once it is first needed.

Building every lesson's panel and views at start cost the window about half of its start-up
time, for tabs the learner may never open. A :class:`LessonSlot` knows its lesson's class
(its key, title and which functions it shows) from the start, and builds the lesson the
first time something needs it: its tab becomes current, a function is handed to it, or the
window asks for it by key. Until then it keeps the state a session restored for it, gives
that state back when the session is saved, and restores it as the lesson is built.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from calcstudio.ui.window.lesson import Lesson


class LessonSlot:
    """One lesson's tab, holding the lesson once it is built.

    Parameters
    ----------
    lesson_class
        The lesson's class.
    build
        Makes the lesson and puts it into the window (its panel into the tab, its views into
        the window's stack, its signals connected), inactive.
    """

    def __init__(self, lesson_class: type[Lesson], build: Callable[[type[Lesson]], Lesson]) -> None:
        self.lesson_class = lesson_class
        self._build = build
        self._lesson: Lesson | None = None
        self._restored: dict[str, Any] = {}
        """State restored while the lesson was not built yet, to restore as it is built."""

    @property
    def key(self) -> str:
        """The lesson's key (``"tangent"``, ``"surface"``, ...)."""
        return self.lesson_class.key

    @property
    def variable_counts(self) -> tuple[int, ...]:
        """How many variables a function may have for the lesson to show it."""
        return self.lesson_class.variable_counts

    @property
    def built(self) -> bool:
        """Whether the lesson has been built."""
        return self._lesson is not None

    @property
    def lesson(self) -> Lesson:
        """The lesson, built now if it was not yet (with the state restored for it)."""
        if self._lesson is None:
            self._lesson = self._build(self.lesson_class)
            if self._restored:
                state, self._restored = self._restored, {}
                self._lesson.restore_state(state)
        return self._lesson

    def state(self) -> dict[str, Any]:
        """The lesson's state; before it is built, what was restored for it (if anything)."""
        return self._lesson.state() if self._lesson is not None else dict(self._restored)

    def restore_state(self, state: dict[str, Any]) -> None:
        """Restore ``state`` into the lesson, now or as it is built (a later restore of the
        same field wins, as it would on a built lesson)."""
        if self._lesson is not None:
            self._lesson.restore_state(state)
        else:
            self._restored.update(state)

    def deactivate(self) -> None:
        """Tell a built lesson it is not on show (one never built never was)."""
        if self._lesson is not None:
            self._lesson.set_active(False)
            if self._lesson.under_plot is not None:
                self._lesson.under_plot.hide()

    def stop(self) -> None:
        """Stop a built lesson's animations and pending work."""
        if self._lesson is not None:
            self._lesson.stop()


__all__ = ["LessonSlot"]
