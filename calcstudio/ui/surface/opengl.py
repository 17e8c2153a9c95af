"""Can this window draw in 3-D? The answer, in words a learner understands.

The 3-D view needs OpenGL: the PyOpenGL package and a graphics context from the system.
Two questions are cheap (which platform Qt runs on, whether PyOpenGL is installed) and are
asked when the panel is built; creating a context loads the graphics driver (about 100 ms
the first time on Mesa), so it is asked only when the learner first turns the 3-D view on.
"""

from __future__ import annotations

import functools
import importlib.util

from PySide6.QtGui import QGuiApplication, QOffscreenSurface, QOpenGLContext

HEADLESS_PLATFORMS = frozenset({"offscreen", "minimal", "vnc"})
"""Qt platforms that draw without a graphics driver: no OpenGL there."""
MINIMUM_VERSION = (2, 0)
"""pyqtgraph's 3-D items draw with shader programs, which came with OpenGL 2.0."""
MAP_INSTEAD = "The map shows the same landscape seen from above."


def quick_problem() -> str | None:
    """Why there can be no 3-D view, as far as is known without loading a driver; or None."""
    platform = QGuiApplication.platformName()
    if platform in HEADLESS_PLATFORMS:
        return (
            "The 3-D view needs OpenGL (3-D graphics), but this window is drawn without a "
            f'screen or graphics driver (Qt\'s "{platform}" platform), so it is off here. '
            + MAP_INSTEAD
        )
    if importlib.util.find_spec("OpenGL") is None:
        return (
            "The 3-D view needs the PyOpenGL package, which is not installed: run "
            "pip install PyOpenGL and start CalcStudio again. " + MAP_INSTEAD
        )
    return None


@functools.cache
def opengl_problem() -> str | None:
    """Why there can be no 3-D view here, or None when an OpenGL context can be made.

    The answer is kept: the graphics driver does not come and go while the window is open.
    """
    quick = quick_problem()
    if quick is not None:
        return quick
    context = QOpenGLContext()
    surface = QOffscreenSurface()
    surface.create()
    if not context.create() or not surface.isValid() or not context.makeCurrent(surface):
        return (
            "The 3-D view needs OpenGL (3-D graphics), and this computer offers none to "
            "CalcStudio (no graphics driver, or a remote desktop without 3-D). " + MAP_INSTEAD
        )
    context.doneCurrent()
    version = context.format().majorVersion(), context.format().minorVersion()
    if not context.isOpenGLES() and version < MINIMUM_VERSION:
        return (
            f"The 3-D view needs OpenGL {MINIMUM_VERSION[0]}.{MINIMUM_VERSION[1]} or newer, "
            f"and this computer's graphics driver offers only {version[0]}.{version[1]}. "
            + MAP_INSTEAD
        )
    return None
