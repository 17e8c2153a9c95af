"""The lessons, in the order of their tabs. A new lesson is one more card here.

A card says what the window needs before the lesson is built (its key, the tab's title and
tooltip, which functions it shows) and where its class is. The window imports a lesson's
module only when the lesson is first needed: importing every lesson at start cost about a
tenth of a second of the window's start for tabs the learner may never open.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from calcstudio.ui.window.lesson import Lesson


@dataclass(frozen=True)
class LessonCard:
    """One lesson, as the window knows it before it is built.

    Attributes
    ----------
    key
        Short name for the command line and session files: ``calcstudio --lesson descent``.
    title
        The tab's text (``&&`` for a literal ampersand).
    tooltip
        The tab's tooltip: what the lesson shows, in a few words.
    variable_counts
        How many variables a function may have for this lesson to show it. When the learner
        types a function this lesson cannot show, the window moves to one that can.
    module, class_name
        Where the lesson's class is.
    """

    key: str
    title: str
    tooltip: str
    variable_counts: tuple[int, ...]
    module: str
    class_name: str

    def load(self) -> type[Lesson]:
        """The lesson's class (its module imported now if it was not yet)."""
        return getattr(importlib.import_module(self.module), self.class_name)


def _card(key: str, title: str, tooltip: str, counts: tuple[int, ...], name: str) -> LessonCard:
    return LessonCard(key, title, tooltip, counts, f"calcstudio.ui.{key}.lesson", name)


LESSONS: tuple[LessonCard, ...] = (
    _card(
        "tangent",
        "Tangent && secant",
        "The derivative as the limit of secant slopes",
        (1,),
        "TangentLesson",
    ),
    _card(
        "descent",
        "Gradient descent",
        "Roll a ball downhill: w ← w − η·f′(w)",
        (1,),
        "DescentLesson",
    ),
    _card(
        "surface",
        "Surface",
        "Functions of two variables: the loss landscape, partial derivatives, the gradient "
        "vector, saddles and optimizers racing on the surface",
        (2,),
        "SurfaceLesson",
    ),
    _card(
        "fit",
        "Fit a line",
        "Data, a line y = mx + c, and the sum of squared errors as a bowl over (m, c)",
        (),
        "FitLesson",
    ),
    _card(
        "chain",
        "Chain rule",
        "The chain rule step by step; backpropagation on the expression's graph",
        (1, 2),
        "ChainLesson",
    ),
    _card(
        "area",
        "Area",
        "Area under a curve as a sum of rectangles, the exact integral, and the error",
        (1,),
        "AreaLesson",
    ),
    _card(
        "newton",
        "Newton–Raphson",
        "Find where f is zero by following tangents down to the x-axis",
        (1,),
        "NewtonLesson",
    ),
)


def lesson_card(key: str) -> LessonCard:
    """The card of the lesson called ``key``.

    Raises
    ------
    KeyError
        If no lesson has that key.
    """
    for card in LESSONS:
        if card.key == key:
            return card
    raise KeyError(key)


def unshowable(variables: tuple[str, ...]) -> str | None:
    """Why no lesson shows a function of ``variables``, in words; None if one does."""
    counts = sorted({count for card in LESSONS for count in card.variable_counts})
    if len(variables) in counts:
        return None
    names = ", ".join(variables) or "none"
    shown = " or ".join(str(count) for count in counts)
    return (
        f"this function has {len(variables)} variables ({names}); "
        f"CalcStudio's lessons show functions of {shown}"
    )


__all__ = ["LESSONS", "LessonCard", "lesson_card", "unshowable"]
