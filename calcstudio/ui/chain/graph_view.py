"""The computational graph drawn as boxes and arrows, with its forward and backward passes.

Each node is a box with its operation, its value at the point (forward pass, in f's colour) and,
once the backward pass has reached it, its gradient ∂f/∂node (in f′'s colour). Each edge, once
the pass has gone through it, carries what it adds to its input's gradient. Items are made
once per graph; a step of the animation only changes the texts that change.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from calcstudio.core.calculus import format_number
from calcstudio.core.chain import Explanation
from calcstudio.ui.widgets import palette

NODE_WIDTH, NODE_HEIGHT = 96.0, 58.0
MAX_ZOOM = 1.5
"""A small graph is drawn at most this much larger than life (readable on a projector)."""
COLUMN_GAP, ROW_GAP = 190.0, 84.0
"""Room between columns for an edge's label (its gradient flow, up to ``-1.234e-04``)."""
_KIND_FILL = {"input": "#e8f1fa", "constant": "#f2f2f2"}
_SELECTED_PEN = QPen(QColor(palette.TANGENT), 3)


def _text(parent: QGraphicsItem, colour: str, bold: bool = False) -> QGraphicsSimpleTextItem:
    item = QGraphicsSimpleTextItem(parent)
    font = QFont()
    font.setBold(bold)
    item.setFont(font)
    item.setBrush(QColor(colour))
    return item


class _NodeBox(QGraphicsRectItem):
    """One node: a box with three lines of text (operation, value, gradient)."""

    def __init__(self, index: int) -> None:
        super().__init__(0, 0, NODE_WIDTH, NODE_HEIGHT)
        self.index = index
        self.setPen(QPen(QColor(palette.MUTED), 1))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        # Drawn once into a pixmap and reused until a text changes: a repaint of 60 boxes
        # of text is then 60 pixmap copies.
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.label = _text(self, "#000000", bold=True)
        self.value = _text(self, palette.FUNCTION)
        self.gradient = _text(self, palette.DERIVATIVE)

    def set_node(self, label: str, kind: str, tooltip: str) -> None:
        """Show a node of this kind and label."""
        self.setBrush(QBrush(QColor(_KIND_FILL.get(kind, "#ffffff"))))
        self.setToolTip(tooltip)
        self.label.setText(label if len(label) <= 12 else label[:11] + "…")
        self._centre(self.label, 4)
        self.value.setText("")
        self.gradient.setText("")

    def show_numbers(self, value: str, gradient: str) -> None:
        if self.value.text() != value:
            self.value.setText(value)
            self._centre(self.value, 22)
        if self.gradient.text() != gradient:
            self.gradient.setText(gradient)
            self._centre(self.gradient, 38)

    def _centre(self, item: QGraphicsSimpleTextItem, top: float) -> None:
        item.setPos((NODE_WIDTH - item.boundingRect().width()) / 2, top)


class GraphView(QGraphicsView):
    """The graph of the function on show; click a node to ask about it.

    Parameters
    ----------
    parent
        The parent widget.
    """

    nodeClicked = Signal(int)
    """The index of the node the learner clicked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chainGraph")
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setBackgroundBrush(QColor("white"))
        self.setMinimumSize(320, 200)
        self.explanation: Explanation | None = None
        self._box_pool: list[_NodeBox] = []
        self._edge_pool: list[tuple[QGraphicsPathItem, QGraphicsSimpleTextItem]] = []
        self._edge_pen = QPen(QColor("#888888"), 1.5)
        self.boxes: list[_NodeBox] = []
        self.edges: list[tuple[int, int, int, QGraphicsPathItem, QGraphicsSimpleTextItem]] = []
        self.revealed = 0
        """How many nodes of the backward pass's order have their gradient shown."""
        self.selected: int | None = None

    # --- content ------------------------------------------------------------

    def set_explanation(self, explanation: Explanation, *, rebuild: bool) -> None:
        """Show ``explanation``: build the items if the graph changed, else renumber them."""
        self.explanation = explanation
        if rebuild:
            self._build(explanation)
        self._renumber()

    def set_revealed(self, revealed: int) -> None:
        """Show the gradients of the first ``revealed`` nodes of the backward pass."""
        self.revealed = revealed
        self._renumber()

    def select(self, index: int | None) -> None:
        """Outline node ``index`` (None: no node)."""
        if self.selected is not None and self.selected < len(self.boxes):
            self.boxes[self.selected].setPen(QPen(QColor(palette.MUTED), 1))
        self.selected = index
        if index is not None:
            self.boxes[index].setPen(_SELECTED_PEN)

    def _build(self, explanation: Explanation) -> None:
        """Place a box per node and an arrow per edge, reusing the items of the last graph
        (making Qt items is the slow part of a keystroke)."""
        scene = self.scene()
        graph, layout = explanation.graph, explanation.layout
        self.select(None)
        while len(self._box_pool) < len(graph.nodes):
            box = _NodeBox(len(self._box_pool))
            scene.addItem(box)
            self._box_pool.append(box)
        for box in self._box_pool[len(graph.nodes) :]:
            box.hide()
        self.boxes = self._box_pool[: len(graph.nodes)]
        for index, (node, box) in enumerate(zip(graph.nodes, self.boxes, strict=True)):
            box.set_node(node.label, node.kind, f"computes {node.text}")
            box.setPos(
                layout.columns[index] * COLUMN_GAP,
                layout.rows[index] * ROW_GAP - NODE_HEIGHT / 2,
            )
            box.show()
        edges = graph.edges()
        while len(self._edge_pool) < len(edges):
            item = scene.addPath(QPainterPath(), self._edge_pen)
            item.setZValue(-1)
            self._edge_pool.append((item, _text(item, palette.DERIVATIVE)))
        for item, _label in self._edge_pool[len(edges) :]:
            item.hide()
        self.edges = []
        for (target, position, source), (item, label) in zip(edges, self._edge_pool, strict=False):
            start = self.boxes[source].pos() + QPointF(NODE_WIDTH, NODE_HEIGHT / 2)
            end = self.boxes[target].pos() + QPointF(0, NODE_HEIGHT / 2)
            path = QPainterPath(start)
            middle = (start.x() + end.x()) / 2
            path.cubicTo(QPointF(middle, start.y()), QPointF(middle, end.y()), end)
            path.addPolygon(_arrow_head(end))
            item.setPath(path)
            item.show()
            # Near the input's end, where edges into one node have not met yet.
            label.setPos(start + QPointF(6, -18))
            label.setText("")
            self.edges.append((target, position, source, item, label))
        margin = 24.0
        width = max(layout.columns) * COLUMN_GAP + NODE_WIDTH
        top = min(layout.rows) * ROW_GAP - NODE_HEIGHT / 2
        height = (max(layout.rows) - min(layout.rows)) * ROW_GAP + NODE_HEIGHT
        scene.setSceneRect(QRectF(-margin, top - margin, width + 2 * margin, height + 2 * margin))
        self._fit()

    def _renumber(self) -> None:
        explanation = self.explanation
        if explanation is None:
            return
        result = explanation.result
        done = set(result.order[: self.revealed])
        for index, box in enumerate(self.boxes):
            value = f"= {format_number(result.values[index])}"
            gradient = f"∂f = {format_number(result.adjoints[index])}" if index in done else ""
            box.show_numbers(value, gradient)
        for target, position, _source, _item, label in self.edges:
            text = ""
            if target in done:
                flow = result.adjoints[target] * result.local[target][position]
                text = f"+{format_number(flow)}" if flow >= 0 else format_number(flow)
            if label.text() != text:
                label.setText(text)

    # --- view ---------------------------------------------------------------

    def _fit(self) -> None:
        rect: QRectF = self.scene().sceneRect()
        if rect.isEmpty():
            return
        self.resetTransform()
        view = self.viewport().rect()
        scale = min(view.width() / rect.width(), view.height() / rect.height(), MAX_ZOOM)
        self.scale(scale, scale)
        self.centerOn(rect.center())

    def resizeEvent(self, event: object) -> None:  # type: ignore[override]
        """Keep the whole graph in view."""
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._fit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """A click on a node selects it and asks about it."""
        item = self.itemAt(event.position().toPoint())
        while item is not None and not isinstance(item, _NodeBox):
            item = item.parentItem()
        if isinstance(item, _NodeBox):
            self.select(item.index)
            self.nodeClicked.emit(item.index)
        super().mousePressEvent(event)


def _arrow_head(tip: QPointF) -> QPolygonF:
    size = 7.0
    return QPolygonF([tip, tip + QPointF(-size, -size / 2), tip + QPointF(-size, size / 2), tip])
