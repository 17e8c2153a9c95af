"""The lessons, in the order of their tabs. A new lesson is one more line here."""

from __future__ import annotations

from calcstudio.ui.area.lesson import AreaLesson
from calcstudio.ui.chain.lesson import ChainLesson
from calcstudio.ui.descent.lesson import DescentLesson
from calcstudio.ui.fit.lesson import FitLesson
from calcstudio.ui.newton.lesson import NewtonLesson
from calcstudio.ui.surface.lesson import SurfaceLesson
from calcstudio.ui.tangent.lesson import TangentLesson
from calcstudio.ui.window.lesson import Lesson

LESSONS: tuple[type[Lesson], ...] = (
    TangentLesson,
    DescentLesson,
    SurfaceLesson,
    FitLesson,
    ChainLesson,
    AreaLesson,
    NewtonLesson,
)
