"""The landscape as a 3-D surface the learner turns with the mouse, with the point and paths.

Beside the map, on request. The heights, the box and what is cut off come from
:mod:`calcstudio.core.surface.mesh`; the colours are the map's. ``pyqtgraph.opengl`` (and
with it PyOpenGL) is imported only when the view is first shown, so the window's start does
not pay for it; the lesson asks :mod:`calcstudio.ui.surface.opengl` first whether it can be.

While hidden the view only keeps what it was last given; when shown it draws that. Per
descent frame it updates the data of its line and point items, never rebuilds them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from calcstudio.core.numbers import format_number
from calcstudio.core.surface.landscape import Landscape
from calcstudio.core.surface.mesh import (
    BOX_HEIGHT,
    HeightFrame,
    SurfaceMesh,
    lifted_points,
    path_segments,
    surface_mesh,
)
from calcstudio.ui.surface.bands import band_colours
from calcstudio.ui.surface.landscape_view import POINT
from calcstudio.ui.widgets import palette

if TYPE_CHECKING:
    from pyqtgraph.opengl import GLViewWidget

HOW_TO = "Drag to turn the surface, scroll to zoom."
TEXT_COLOUR = (40, 40, 40, 255)


def rgba(colour: str) -> tuple[float, float, float, float]:
    """``colour`` (``"#rrggbb"``) as four floats in [0, 1], as OpenGL takes it."""
    return pg.mkColor(colour).getRgbF()


def mesh_colours(mesh: SurfaceMesh, level_count: int) -> np.ndarray:
    """``(nx·ny, 4)`` vertex colours (in the mesh's vertex order): the map's band colours as
    they look on its white background (the map lets a little white through), opaque."""
    words = band_colours(level_count)  # 0xffRRGGBB, already mixed with the white background
    table = np.ones((len(words), 4), dtype=np.float32)
    for channel, shift in enumerate((16, 8, 0)):
        table[:, channel] = ((words >> shift) & 0xFF) / 255
    return table[mesh.bands].reshape(-1, 4)


SOFT_SHADING = "calcstudioSoftShading"
"""The surface's shader: the map's colours, a little darker where a face turns away from
the light (pyqtgraph's "shaded" darkens them to a fifth, so colours could not be read)."""
_VERTEX = """
uniform mat4 u_mvp;
uniform mat3 u_normal;
attribute vec4 a_position;
attribute vec3 a_normal;
attribute vec4 a_color;
varying vec4 v_color;
varying vec3 v_normal;
void main() {
    v_normal = normalize(u_normal * a_normal);
    v_color = a_color;
    gl_Position = u_mvp * a_position;
}
"""
_FRAGMENT = """
#ifdef GL_ES
precision mediump float;
#endif
varying vec4 v_color;
varying vec3 v_normal;
void main() {
    float p = abs(dot(v_normal, normalize(vec3(0.4, -0.4, -1.0))));
    gl_FragColor = vec4(v_color.rgb * (0.55 + 0.45 * p), v_color.a);
}
"""


def soft_shading() -> Any:
    """The :data:`SOFT_SHADING` program (made once; pyqtgraph keeps programs by name)."""
    from pyqtgraph.opengl import shaders

    if SOFT_SHADING not in shaders.ShaderProgram.names:
        shaders.ShaderProgram(
            SOFT_SHADING,
            [shaders.VertexShader(_VERTEX), shaders.FragmentShader(_FRAGMENT)],
        )
    return shaders.getShaderProgram(SOFT_SHADING)


class SurfaceScene:
    """The 3-D items: the surface, a frame with labels, the point, the paths and the balls.

    Parameters
    ----------
    gl
        The ``pyqtgraph.opengl`` module (imported by the caller, lazily).
    """

    def __init__(self, gl: Any) -> None:
        self.gl = gl
        self.frame: HeightFrame | None = None
        self.surface = gl.GLSurfacePlotItem(
            shader=soft_shading(), smooth=False, computeNormals=True, glOptions="opaque"
        )
        self.outline = gl.GLLinePlotItem(
            mode="lines", color=(0.4, 0.4, 0.4, 1.0), width=1, glOptions="opaque"
        )
        self.labels = [gl.GLTextItem(color=TEXT_COLOUR, font=QFont("Sans", 10)) for _ in range(4)]
        self.point = gl.GLScatterPlotItem(size=13, color=rgba(POINT), glOptions="opaque")
        self.balls = gl.GLScatterPlotItem(size=11, glOptions="opaque")
        self.paths: list[Any] = []
        self._colours: list[tuple[float, float, float, float]] = []

    def items(self) -> list[Any]:
        """Every item, in the order they are added to a view."""
        return [self.surface, self.outline, *self.labels, self.point, self.balls, *self.paths]

    def set_landscape(self, view: Landscape, variables: tuple[str, str]) -> None:
        """Draw ``view`` as a surface in its box, with the box's floor, scale and names."""
        mesh = surface_mesh(view)
        self.frame = mesh.frame
        self.surface.setData(
            x=mesh.x, y=mesh.y, z=mesh.z, colors=mesh_colours(mesh, len(view.levels))
        )
        rx, ry = mesh.frame.reach
        corners = np.array([[-rx, -ry], [rx, -ry], [rx, ry], [-rx, ry], [-rx, -ry]])
        floor = np.column_stack((corners, np.zeros(5)))
        floor_edges = np.stack((floor[:-1], floor[1:]), axis=1).reshape(-1, 3)
        post = np.array([[-rx, -ry, 0.0], [-rx, -ry, BOX_HEIGHT]])  # the L axis, front left
        self.outline.setData(pos=np.concatenate((floor_edges, post)))
        flag = Qt.AlignmentFlag
        # The L axis's ends are labelled below and above it, not beside (off the edge).
        texts = [
            (variables[0], (0.0, -ry - 0.15, 0.0), flag.AlignHCenter | flag.AlignVCenter),
            (variables[1], (rx + 0.15, 0.0, 0.0), flag.AlignHCenter | flag.AlignVCenter),
            (f"L = {_short(mesh.frame.floor)}", (-rx, -ry, 0.0), flag.AlignHCenter | flag.AlignTop),
            (
                f"L = {_short(mesh.frame.ceiling)}",
                (-rx, -ry, BOX_HEIGHT),
                flag.AlignHCenter | flag.AlignBottom,
            ),
        ]
        for label, (text, position, alignment) in zip(self.labels, texts, strict=True):
            label.setData(text=text, pos=position, alignment=alignment)

    def show_runs(self, colours: Sequence[str]) -> None:
        """One path item per run, in its colour (items are kept and reused)."""
        self._colours = [rgba(c) for c in colours]
        while len(self.paths) < len(colours):
            self.paths.append(
                self.gl.GLLinePlotItem(mode="lines", width=2.5, antialias=True, glOptions="opaque")
            )
        for index, path in enumerate(self.paths):
            path.setVisible(index < len(colours))
            colour = self._colours[index] if index < len(colours) else (0, 0, 0, 1)
            path.setData(pos=np.empty((0, 3)), color=colour)
        self.balls.setData(pos=np.empty((0, 3)))

    def set_point(self, w1: float, w2: float, value: float) -> None:
        """Put the point at ``(w1, w2)`` on the surface (hidden outside the view)."""
        if self.frame is None:
            return
        placed = lifted_points(self.frame, np.array([[w1, w2]]), np.array([value]))
        self.point.setData(pos=placed[np.isfinite(placed).all(axis=1)])

    def set_paths(self, paths: Sequence[np.ndarray], values: Sequence[np.ndarray]) -> None:
        """Each run's points so far on the surface, at heights L (``values``), and its ball."""
        if self.frame is None:
            return
        ends, colours = [], []
        for index, (path, points, heights) in enumerate(
            zip(self.paths, paths, values, strict=False)
        ):
            path.setData(pos=path_segments(self.frame, points, heights))
            end = lifted_points(self.frame, points[-1:], heights[-1:])[0]
            if np.isfinite(end).all():
                ends.append(end)
                colours.append(self._colours[index])
        self.balls.setData(
            pos=np.array(ends).reshape(-1, 3), color=np.array(colours).reshape(-1, 4)
        )


def _short(value: float) -> str:
    return format_number(value).replace("-", "−")


class Surface3DView(QWidget):
    """A caption (how to turn it, what is cut off) over the 3-D view, built when first shown.

    The lesson hands it the landscape, the point and the paths whether shown or not; only
    a shown view draws them.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = QLabel(HOW_TO)
        self.caption.setObjectName("surface3dCaption")
        self.caption.setWordWrap(True)
        self.caption.setStyleSheet(f"color: {palette.MUTED};")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.addWidget(self.caption)
        self.scene: SurfaceScene | None = None
        self.widget: GLViewWidget | None = None
        self.variables = ("w1", "w2")
        # What it was last given (drawn when shown):
        self.landscape: Landscape | None = None
        self.point: tuple[float, float, float] | None = None
        """``(w1, w2, L)``."""
        self.colours: list[str] = []
        self.paths: tuple[Sequence[np.ndarray], Sequence[np.ndarray]] = ([], [])
        """The runs' points and L at each."""
        self.hide()

    @property
    def drawing(self) -> bool:
        """Whether the view is built and shown (hidden, it only keeps what it is given)."""
        return self.scene is not None and not self.isHidden()

    def set_shown(self, shown: bool) -> None:
        """Show the view (building it the first time) with everything it was given, or hide it."""
        if not shown:
            self.hide()
            return
        if self.scene is None:
            self._build()
        self.show()
        self._draw_all()

    def set_landscape(self, view: Landscape | None, variables: tuple[str, str]) -> None:
        """A new landscape (a new function or view); the point and paths are placed anew."""
        self.landscape, self.variables = view, variables
        if self.drawing:
            self._draw_all()

    def set_point(self, w1: float, w2: float, value: float) -> None:
        """The point and L there."""
        self.point = (w1, w2, value)
        if self.drawing and self.scene is not None:
            self.scene.set_point(w1, w2, value)

    def show_runs(self, colours: Sequence[str]) -> None:
        """New runs, in these colours."""
        self.colours = list(colours)
        self.paths = ([], [])
        if self.drawing and self.scene is not None:
            self.scene.show_runs(self.colours)
            self._add_items()  # a race may bring more paths than were made

    def set_paths(self, paths: Sequence[np.ndarray], values: Sequence[np.ndarray]) -> None:
        """The runs' points so far and L at each."""
        self.paths = (paths, values)
        if self.drawing and self.scene is not None:
            self.scene.set_paths(paths, values)

    def _build(self) -> None:
        # Here, not at the top: the import takes about 200 ms and needs PyOpenGL.
        import pyqtgraph.opengl as gl

        self.widget = gl.GLViewWidget()
        self.widget.setBackgroundColor("w")
        self.widget.setMinimumSize(200, 200)
        self.widget.setCameraPosition(distance=3.0, elevation=40, azimuth=-60)
        self.widget.opts["center"] = pg.Vector(0, 0, BOX_HEIGHT / 3)
        self.layout_.addWidget(self.widget, 1)
        self.scene = SurfaceScene(gl)

    def _add_items(self) -> None:
        if self.scene is None or self.widget is None:
            return
        for item in self.scene.items():
            if item not in self.widget.items:
                self.widget.addItem(item)

    def _draw_all(self) -> None:
        scene, widget = self.scene, self.widget
        if scene is None or widget is None:
            return
        if self.landscape is None:
            self.caption.setText(HOW_TO)
            return
        scene.set_landscape(self.landscape, self.variables)
        scene.show_runs(self.colours)
        self._add_items()
        assert scene.frame is not None
        self.caption.setText(" ".join(filter(None, (HOW_TO, scene.frame.note()))))
        if self.point is not None:
            scene.set_point(*self.point)
        scene.set_paths(*self.paths)
