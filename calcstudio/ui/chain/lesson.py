"""The chain-rule lesson: the function on show as a computational graph, backpropagation on it
step by step, the chain of links and the derivation, and deep chains that vanish or explode.

Everything is built from the syntax tree on each keystroke (:func:`calcstudio.core.chain.explain`)
and shown at once as text; the worker typesets the links and steps (their pictures replace the
text as they come, newest function only) and sends the simplified final derivative.
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QSplitter

from calcstudio.core.analysis import EngineResult
from calcstudio.core.calculus import format_number
from calcstudio.core.chain import Explanation, deep_chain, explain
from calcstudio.core.chain.depth import training_loss_text, verdict
from calcstudio.core.chain.formula import display
from calcstudio.core.chain.graph import paths_to_output
from calcstudio.core.language import ParseError, parse_tree
from calcstudio.core.typeset_task import TypesetResult
from calcstudio.resource_files import read_json
from calcstudio.ui.chain.depth_plot import DepthPlot
from calcstudio.ui.chain.graph_view import GraphView
from calcstudio.ui.chain.panel import ChainPanel
from calcstudio.ui.widgets.log_slider import format_exact
from calcstudio.ui.window.lesson import Lesson, LessonHost, ShownFunction, from_card

STEP_MS = 450
"""Time between two nodes of the backward-pass animation."""
PRESETS_FILE = "chain_presets.json"
"""The lesson's examples: the material's chains, a gradient from one pass, a neuron."""
SEED_POINT = (1.0, -2.0)
"""Where a function of two variables starts: the lesson's example point for w1² + 2w2²."""
TRAINING_TARGET = {"sigmoid": 0.9, "tanh": 0.9, "linear": 2.0}
"""What the deep chain's output should be when its weight is trained by descent."""
TRAINING_INPUT = 0.5


@from_card("chain")
class ChainLesson(Lesson):
    """The chain rule, the computational graph and backpropagation.

    Parameters
    ----------
    host
        The window.
    """

    def __init__(self, host: LessonHost) -> None:
        super().__init__(host)
        self.panel: ChainPanel = ChainPanel()
        self.graph_view = GraphView()
        self.depth_plot = DepthPlot()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.graph_view)
        splitter.addWidget(self.depth_plot)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([560, 240])
        self.view = splitter
        self.shown: ShownFunction | None = None
        self.explanation: Explanation | None = None
        self.point: dict[str, float] = {}
        self._asked: tuple[str, tuple[str, ...]] | None = None
        """The function and the formulas whose typesetting is under way."""
        self._restored_point: dict[str, float] | None = None
        """A point from a session file, for the next function of its variables."""
        self.timer = QTimer(self)
        self.timer.setInterval(STEP_MS)
        self.timer.timeout.connect(self._on_tick)
        self.presets: list[dict[str, Any]] = read_json(PRESETS_FILE)
        for preset in self.presets:
            self.panel.preset_box.addItem(preset["name"])
        self.panel.preset_box.setCurrentIndex(-1)
        self.panel.presetChosen.connect(self._on_preset)
        self.panel.pointEdited.connect(self._on_point_edited)
        self.panel.step_button.clicked.connect(self.step_back)
        self.panel.play_button.toggled.connect(self._on_play_toggled)
        self.panel.reset_button.clicked.connect(self.reset_backward)
        self.panel.deepChainChanged.connect(self._show_deep_chain)
        self.panel.trainRequested.connect(self._on_train_requested)
        self.graph_view.nodeClicked.connect(self.show_node)
        host.adapter.typesetReady.connect(self._on_typeset)
        self.panel.derivation.formulasWritten.connect(self._ask_for_typesetting)
        self._show_deep_chain()

    # --- the lesson interface ----------------------------------------------

    def set_function(self, shown: ShownFunction) -> None:
        """Build the graph, the passes and the steps of the new function."""
        same_variables = self.shown is not None and self.shown.variables == shown.variables
        self.shown = shown
        chosen = self.panel.preset_box.currentIndex()
        if 0 <= chosen < len(self.presets) and self.presets[chosen]["text"] != shown.text:
            self.panel.preset_box.setCurrentIndex(-1)  # its words are about another function
            self.panel.show_preset_lesson("")
        if not same_variables:
            self.point = self._start_point(shown.variables)
        self._explain(rebuild=True)

    def set_active(self, active: bool) -> None:
        """A hidden lesson runs no animation."""
        if not active:
            self._stop()

    def engine_result(self, result: EngineResult) -> None:
        """The simplified derivative(s), once the engine has them."""
        if self.shown is None or result.text != self.shown.text:
            return
        self.panel.derivation.show_simplified(
            [(f"{g.label} = {g.shown}", g.latex, g.svg) for g in result.gradient]
        )

    def preset_framed(self, preset: dict[str, Any]) -> None:
        """Say what the example is about and work it out at its point."""
        self.panel.show_preset_lesson(preset.get("lesson", ""))
        point = preset.get("point", {})
        if self.shown is not None and set(point) == set(self.point):
            self.set_point({name: float(value) for name, value in point.items()})

    def show_first_preset(self) -> bool:
        """Open on the material's chain, sin((4x)²)."""
        self._on_preset(0)
        return True

    def _on_preset(self, index: int) -> None:
        if 0 <= index < len(self.presets):
            self.panel.preset_box.setCurrentIndex(index)
            self.presetChosen.emit(self.presets[index])

    def state(self) -> dict[str, Any]:
        """The point and the deep chain's settings."""
        family, depth, weight = self.panel.deep_chain_settings()
        return {"point": dict(self.point), "family": family, "depth": depth, "weight": weight}

    def restore_state(self, state: dict[str, Any]) -> None:
        """Put back the deep chain's settings and the point (for a function of the same
        variables); anything that is not of the right kind is left as it is."""
        family, depth, weight = state.get("family"), state.get("depth"), state.get("weight")
        index = self.panel.family_box.findData(family)
        if index >= 0:
            self.panel.family_box.setCurrentIndex(index)
        if isinstance(depth, int) and not isinstance(depth, bool):
            self.panel.depth_spin.setValue(depth)
        if isinstance(weight, int | float) and math.isfinite(weight):
            self.panel.weight_field.setText(format_exact(float(weight)))
            self._show_deep_chain()
        point = state.get("point")
        if isinstance(point, dict) and all(
            isinstance(v, int | float) and math.isfinite(v) for v in point.values()
        ):
            self._restored_point = {str(k): float(v) for k, v in point.items()}
            if self.shown is not None and set(self._restored_point) == set(self.point):
                self.set_point(self._restored_point)

    def stop(self) -> None:
        """Stop the backward-pass animation."""
        self._stop()

    # --- the point and the passes ------------------------------------------

    def _start_point(self, variables: tuple[str, ...]) -> dict[str, float]:
        if self._restored_point is not None and set(self._restored_point) == set(variables):
            return {name: self._restored_point[name] for name in variables}
        if len(variables) == 1:
            return {variables[0]: self.host.point}
        return dict(zip(variables, SEED_POINT, strict=False))

    def set_point(self, point: dict[str, float]) -> None:
        """Work the passes out at ``point`` (a value for each variable)."""
        self.point = {name: float(point[name]) for name in self.point}
        self._explain(rebuild=False)

    def _on_point_edited(self, point: dict[str, float]) -> None:
        self.set_point(point)

    def _explain(self, *, rebuild: bool) -> None:
        shown = self.shown
        if shown is None:
            return
        self._stop()
        self.explanation = explain(shown.tree, shown.text, self.point)
        if rebuild:
            self.panel.derivation.show_simplified(())
            self.panel.show_node("Click a node of the graph to see what it does.")
        self.panel.set_variables(self.point)
        self.panel.show_explanation(self.explanation)
        self.graph_view.set_explanation(self.explanation, rebuild=rebuild)
        self.reveal(len(self.explanation.graph.nodes))
        if self.graph_view.selected is not None:
            self.show_node(self.graph_view.selected)

    # --- typeset formulas -----------------------------------------------------

    def _ask_for_typesetting(self) -> None:
        """Send the worker the formulas on show it has not typeset yet (once each)."""
        shown = self.shown
        missing = self.panel.derivation.missing()
        if shown is None or not missing or self._asked == (shown.text, missing):
            return
        self._asked = (shown.text, missing)
        self.host.adapter.request_typeset(shown.text, missing)

    def _on_typeset(self, result: TypesetResult) -> None:
        """Typeset formulas arrive: show them, and ask for the rest."""
        self._asked = None
        if self.shown is None or result.text != self.shown.text:
            return  # for a function the learner has typed past
        if not result.ok:
            # The text stays; asking again would only stop the worker again.
            self.statusMessage.emit(f"{result.message} The formulas are shown as text.")
            return
        self.panel.derivation.add_pictures(result.latex, result.svgs)
        self._ask_for_typesetting()

    # --- the backward pass ---------------------------------------------------

    def reveal(self, revealed: int) -> None:
        """Show the gradients of the first ``revealed`` nodes the backward pass visits."""
        explanation = self.explanation
        if explanation is None:
            return
        total = len(explanation.graph.nodes)
        revealed = max(0, min(revealed, total))
        self.graph_view.set_revealed(revealed)
        names = explanation.graph.variables
        gradient = ", ".join(
            f"∂f/∂{name} = {format_number(value)}"
            for name, value in zip(names, explanation.gradient, strict=True)
        )
        self.panel.show_progress(revealed, total, gradient)

    def step_back(self) -> None:
        """Pass the gradient back through one more node."""
        if self.explanation is not None:
            revealed = self.graph_view.revealed
            total = len(self.explanation.graph.nodes)
            self.reveal(0 if revealed >= total else revealed + 1)

    def reset_backward(self) -> None:
        """Start the backward pass again at the output."""
        self._stop()
        self.reveal(0)

    def _on_play_toggled(self, playing: bool) -> None:
        if not playing:
            self.timer.stop()
            return
        if self.explanation is not None and self.graph_view.revealed >= len(
            self.explanation.graph.nodes
        ):
            self.reveal(0)
        self.timer.start()

    def _on_tick(self) -> None:
        explanation = self.explanation
        if explanation is None or self.graph_view.revealed >= len(explanation.graph.nodes):
            self._stop()
            return
        self.reveal(self.graph_view.revealed + 1)

    def _stop(self) -> None:
        self.timer.stop()
        if self.panel.play_button.isChecked():
            self.panel.play_button.setChecked(False)

    # --- a clicked node ------------------------------------------------------

    def show_node(self, index: int) -> None:
        """Say what node ``index`` computes, its local derivatives, and its paths to f."""
        explanation = self.explanation
        if explanation is None or index >= len(explanation.graph.nodes):
            return
        graph, result = explanation.graph, explanation.result
        node = graph.nodes[index]
        lines = [
            f"<b>{escape(node.label)}</b> computes <i>{escape(display(node.text))}</i>"
            f" = {format_number(result.values[index])}."
        ]
        for position, source in enumerate(node.inputs):
            lines.append(
                f"Local derivative ∂({escape(node.label)})/∂({escape(graph.nodes[source].text)})"
                f" = {format_number(result.local[index][position])}"
            )
        routes = paths_to_output(graph, result, index)
        for path, product in routes:
            labels = " → ".join(escape(graph.nodes[i].label) for i in path)
            lines.append(f"Path {labels}: product of local derivatives {format_number(product)}")
        if len(routes) > 1:
            lines.append(
                f"The paths add up: ∂f/∂{escape(node.label)} = "
                f"{format_number(result.adjoints[index])}"
            )
        else:
            lines.append(f"∂f/∂node = {format_number(result.adjoints[index])}")
        self.graph_view.select(index)
        self.panel.show_node("<br>".join(lines))

    # --- deep chains ----------------------------------------------------------

    def _show_deep_chain(self) -> None:
        family, depth, weight = self.panel.deep_chain_settings()
        chain = deep_chain(family, depth, weight, TRAINING_INPUT)
        self.depth_plot.show_chain(chain)
        self.panel.show_depth_verdict(verdict(chain))

    def _on_train_requested(self) -> None:
        family, depth, weight = self.panel.deep_chain_settings()
        text = training_loss_text(family, depth, weight, TRAINING_INPUT, TRAINING_TARGET[family])
        try:
            parse_tree(text)
        except ParseError:
            self.statusMessage.emit(
                f"A chain of {depth} layers is too deep to type as one function; "
                "try 20 layers or fewer."
            )
            return
        self.host.show_lesson("descent")
        self.host.set_function_text(text, fit=True)
