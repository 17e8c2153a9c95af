"""What a lesson is to the window: one tab, its side panel, and what it draws.

The window knows lessons by a list (:data:`calcstudio.ui.window.lessons.LESSONS`), never by
hand-written branches for each. A lesson is built with the window as its
:class:`LessonHost`, and from then on the window only calls the few methods of
:class:`Lesson`: it hands over the function the learner typed, says when the lesson is on
show, forwards clicks on the shared plot and the engine's results, and asks for the state to
keep in a session file.

A lesson either draws on the shared function plot (``view`` is None: the tangent, the ball,
the rectangles of an area) or brings a main view of its own (a landscape, a graph), which the
window shows in the plot's place while the lesson's tab is current.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from calcstudio.core.analysis import EngineResult
    from calcstudio.core.language import SyntaxTree
    from calcstudio.core.numeric import Evaluator
    from calcstudio.ui.widgets.math_view import MathView
    from calcstudio.ui.widgets.plot_view import PlotView
    from calcstudio.ui.window.engine_adapter import EngineAdapter


@dataclass(frozen=True)
class ShownFunction:
    """The function on show, as the window hands it to a lesson.

    Attributes
    ----------
    text
        What the learner typed.
    tree
        Its syntax tree (parsed once per keystroke by the window).
    variables
        Its variables, in the order the tree gives them (``("x",)``, ``("w1", "w2")``).
    f, df, d2f
        For one variable: f, f′ and f″ from the fast path (forward differentiation of the
        tree), restricted to f's domain. None for more variables; a lesson of two variables
        builds what it needs from ``tree`` with :mod:`calcstudio.core`.
    """

    text: str
    tree: SyntaxTree
    variables: tuple[str, ...]
    f: Evaluator | None = None
    df: Evaluator | None = None
    d2f: Evaluator | None = None

    @property
    def variable(self) -> str:
        """The first variable's name (the x of a one-variable function)."""
        return self.variables[0] if self.variables else "x"


class LessonHost(Protocol):
    """What the window offers its lessons."""

    plot: PlotView
    """The shared plot of f (and f′, f″) for lessons of one variable."""
    formulas: MathView
    """The typeset formula panel."""
    adapter: EngineAdapter
    """The symbolic worker, through its Qt adapter."""

    @property
    def point(self) -> float:
        """The point a of the tangent lesson, which other lessons of one variable share."""

    def set_function_text(self, text: str, *, fit: bool = False) -> None:
        """Put ``text`` in the editor as one undoable edit (a preset, say)."""

    def show_lesson(self, key: str) -> None:
        """Make the lesson called ``key`` current (a lesson that hands over to another)."""

    def show_status(self, message: str, timeout_ms: int = 5000) -> None:
        """Say ``message`` in the status bar for a while."""


class Lesson(QObject):
    """Base class of a lesson: a tab with a side panel and what it draws.

    Subclasses set the class attributes, build ``panel`` (and ``view`` or ``under_plot``
    if they have one) in ``__init__``, and override what they need of the methods below;
    every method has a harmless default.

    Parameters
    ----------
    host
        The window.
    """

    key: ClassVar[str] = ""
    """Short name for the command line and session files: ``calcstudio --lesson descent``."""
    title: ClassVar[str] = ""
    """The tab's text (``&&`` for a literal ampersand)."""
    tooltip: ClassVar[str] = ""
    """The tab's tooltip: what the lesson shows, in a few words."""
    variable_counts: ClassVar[tuple[int, ...]] = (1,)
    """How many variables a function may have for this lesson to show it. When the learner
    types a function this lesson cannot show, the window moves to one that can."""

    statusMessage = Signal(str)
    """Something to say in the status bar."""
    presetChosen = Signal(object)
    """The learner picked one of the lesson's presets: a dict with its ``text`` and
    optionally ``x_range`` and ``y_range``. The window puts the text in the editor, frames the
    view, then calls :meth:`preset_framed` with the same dict."""

    def __init__(self, host: LessonHost) -> None:
        super().__init__()
        self.host = host
        self.panel: QWidget = QWidget()
        """The side panel, shown in the lesson's tab (the window makes it scrollable)."""
        self.view: QWidget | None = None
        """A main view of the lesson's own, shown in the shared plot's place; None to draw
        on the shared plot."""
        self.under_plot: QWidget | None = None
        """A widget shown under the shared plot while the lesson is current (the loss plot
        of the descent); None for none."""

    def set_function(self, shown: ShownFunction) -> None:
        """Show ``shown``, a function this lesson can show (see ``variable_counts``).

        Called for the current lesson on every edit that parses; a hidden lesson is called
        when it is shown again, once, with the newest function.
        """

    def set_active(self, active: bool) -> None:
        """The lesson's tab became current (True) or stopped being current (False).

        A hidden lesson draws nothing on the shared plot and runs no timers.
        """

    def plot_clicked(self, x: float) -> None:
        """The learner clicked the shared plot at ``x`` while this lesson was current."""

    def engine_result(self, result: EngineResult) -> None:
        """The worker's result for the function on show (formulas, what only sympy finds)."""

    def preset_framed(self, preset: dict[str, Any]) -> None:
        """A preset of this lesson was put in the editor and framed; set up its start."""

    def focus_points(self) -> tuple[float, ...]:
        """The x of what the learner watches (a ball, a point), which *Fit view* keeps in view."""
        return ()

    def pending(self) -> str | None:
        """What the lesson is still working out for what it shows, in a few words that fit
        "… took too long" (``"the integral"``), or None once it has settled (the default).

        A lesson that waits for the worker (or a search about to run) says so here until
        the answer is on show; ``calcstudio --screenshot`` waits for it, up to a deadline.
        """
        return None

    def show_first_preset(self) -> bool:
        """Show the lesson's first preset (``calcstudio --lesson KEY`` with no function).

        Returns False if the lesson has no presets of its own.
        """
        return False

    def state(self) -> dict[str, Any]:
        """What to keep of this lesson in a session file: plain JSON data."""
        return {}

    def restore_state(self, state: dict[str, Any]) -> None:
        """Put back what :meth:`state` gave; unknown or bad fields are ignored here and
        reported by the session reader."""

    def stop(self) -> None:
        """Stop animations and pending work (the window is closing)."""


LessonType = TypeVar("LessonType", bound=type[Lesson])


def from_card(key: str) -> Callable[[LessonType], LessonType]:
    """Class decorator: ``@from_card("surface")`` gives a lesson the key, title, tooltip and
    variable counts of its card in :data:`calcstudio.ui.window.lessons.LESSONS`, the one place
    for what the window knows before a lesson is built."""
    from calcstudio.ui.window.lessons import lesson_card

    card = lesson_card(key)

    def decorate(cls: LessonType) -> LessonType:
        cls.key, cls.title, cls.tooltip = card.key, card.title, card.tooltip
        cls.variable_counts = card.variable_counts
        return cls

    return decorate
