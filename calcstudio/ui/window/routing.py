"""Which lesson shows which function: the window's choice of tab, and what each lesson has had.

A function the current lesson cannot show (two variables on the tangent tab) moves the window
to a lesson that can; typing one the old tab can show again moves it back, unless the learner
chose a tab since. A hidden lesson is handed the newest function once, when it is shown
(and built then, if it never was: see :mod:`calcstudio.ui.window.lesson_slots`).
"""

from __future__ import annotations

from collections.abc import Sequence

from calcstudio.ui.window.lesson import Lesson, ShownFunction
from calcstudio.ui.window.lesson_slots import LessonSlot


class LessonRouting:
    """The lessons in tab order and the bookkeeping of which function each has.

    Parameters
    ----------
    slots
        The window's lessons' slots, in tab order.
    """

    def __init__(self, slots: Sequence[LessonSlot]) -> None:
        self.slots = list(slots)
        self._given: dict[str, ShownFunction] = {}
        """What each lesson was last given."""
        self._last_for: dict[int, int] = {}
        """The tab last used for functions of each number of variables."""
        self.moved_from: int | None = None
        """The tab the window left on its own for a function that tab could not show."""

    def index(self, key: str) -> int:
        """The tab of the lesson called ``key``.

        Raises
        ------
        KeyError
            If there is none.
        """
        for index, slot in enumerate(self.slots):
            if slot.key == key:
                return index
        raise KeyError(f"no lesson called {key!r}")

    def lesson(self, key: str) -> Lesson:
        """The lesson called ``key`` (built now if it was not yet); KeyError if none."""
        return self.slots[self.index(key)].lesson

    def index_for(self, variable_count: int, current: int) -> int | None:
        """The tab to show a function of ``variable_count`` variables: the tab the window
        left on its own if it can show it again, else the current one if it can, else the
        one last used for such functions, else the first that can; None if none can."""
        for index in (self.moved_from, current):
            if index is not None and variable_count in self.slots[index].variable_counts:
                return index
        last = self._last_for.get(variable_count)
        if last is not None:
            return last
        for index, slot in enumerate(self.slots):
            if variable_count in slot.variable_counts:
                return index
        return None

    def show(self, index: int, shown: ShownFunction | None) -> None:
        """Tab ``index`` is on show with ``shown``: remember it, and catch its lesson up."""
        lesson = self.slots[index].lesson
        if shown is not None and len(shown.variables) in lesson.variable_counts:
            self._last_for[len(shown.variables)] = index
        self.catch_up(lesson, shown)

    def catch_up(self, lesson: Lesson, shown: ShownFunction | None) -> None:
        """Hand ``lesson`` the newest function it can show, once."""
        if shown is None or len(shown.variables) not in lesson.variable_counts:
            return
        if self._given.get(lesson.key) is not shown:
            self._given[lesson.key] = shown
            lesson.set_function(shown)
