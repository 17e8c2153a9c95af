"""The chain-rule lesson in the real window: graph, passes, steps, clicks, deep chains."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from calcstudio.core.analysis import failed_result
from calcstudio.core.calculus import format_number
from calcstudio.core.engine import Engine
from calcstudio.ui.chain.lesson import ChainLesson
from calcstudio.ui.window.main_window import MainWindow
from tests.ui.window_helpers import open_window, type_function


@pytest.fixture
def window(qtbot, engine: Engine, tmp_path: Path) -> MainWindow:
    return open_window(qtbot, engine, tmp_path, "chain")


def lesson(window: MainWindow) -> ChainLesson:
    chain = window.lesson("chain")
    assert isinstance(chain, ChainLesson)
    return chain


def test_the_lessons_example_reads_as_the_lesson_writes_it(qtbot, window: MainWindow) -> None:
    type_function(qtbot, window, "sin((4x)^2)")
    chain = lesson(window)
    view = chain.panel.derivation
    chain.set_point({"x": 0.7})
    assert [box.label.text() for box in chain.graph_view.boxes] == ["4", "x", "×", "2", "^", "sin"]
    assert view.product_rule.plain == "f′ = A′(B(C(x))) · B′(C(x)) · C′(x)"
    assert view.product_written.plain == "= cos((4x)²)·2(4x)·4"
    truth = 32 * 0.7 * math.cos(16 * 0.49)
    assert f"{truth:.3f}" in view.product_numbers.text()
    qtbot.waitUntil(
        lambda: (
            [label.plain for label in view.simplified if label.isVisible()]
            == ["f'(x) = 32x·cos(16x²)"]
        ),
        timeout=15000,
    )
    assert "chain rule" in view.blocks[0].rows[0].rule.text()


def typeset_complete(chain: ChainLesson) -> bool:
    """Every formula on show has its picture, and no typesetting is asked for or under way."""
    view = chain.panel.derivation
    return all(label.picture is not None for label in view.formulas()) and chain._asked is None


def inked(label) -> bool:
    """Whether the label's picture has ink in it (not an empty image)."""
    image = label.picture
    return (
        image is not None
        and not image.isNull()
        and any(
            image.pixelColor(x, y).alpha() > 0
            for x in range(image.width())
            for y in range(image.height())
        )
    )


def test_links_and_steps_are_typeset_by_the_worker(qtbot, window: MainWindow) -> None:
    type_function(qtbot, window, "sin((4x)^2)")
    chain = lesson(window)
    view = chain.panel.derivation
    # At once: the text; just after it, its LaTeX, on its way to the worker.
    first, _, number = view.link_rows[0]
    assert first.plain == "A(u) = sin(u)" and first.picture is None
    qtbot.waitUntil(lambda: first.latex == r"A(u) = \sin\left(u\right)", timeout=2000)
    qtbot.waitUntil(lambda: typeset_complete(chain), timeout=20000)
    formulas = view.formulas()
    assert [label.latex for label in formulas[:6]] == [
        r"A(u) = \sin\left(u\right)",
        r"A^{\prime}\!(u) = \cos\left(u\right)",
        "B(u) = u^{2}",
        r"B^{\prime}\!(u) = 2 u",
        "C(x) = 4 x",
        r"C^{\prime}\!(x) = 4",
    ]
    assert view.product_written.latex == (
        r"= \cos\left(\left(4 x\right)^{2}\right)\cdot 2 \left(4 x\right)\cdot 4"
    )
    steps = view.blocks[0].rows
    assert steps[0].formula.latex == (
        r"\left(\sin\left(\left(4 x\right)^{2}\right)\right)^{\prime} = "
        r"32 x \cos\left(\left(4 x\right)^{2}\right)"
    )
    assert steps[0].statement.latex.startswith(r"\left(\sin\left(u\right)\right)^{\prime}")
    assert len(formulas) == 14  # 3 links and their slopes, 2 product lines, 3 steps and rules
    for label in formulas:
        assert inked(label), label.latex
        assert label.sizeHint().height() >= 12  # drawn at a readable size, not squashed
    # The numbers at a = 1 are text beside the pictures, and right.
    a = 1.0
    u = (4 * a) ** 2
    assert [row[2].text() for row in view.link_rows] == [
        f"<b>{format_number(math.cos(u))}</b>",
        f"<b>{format_number(2 * 4 * a)}</b>",
        "<b>4</b>",
    ]
    assert steps[0].value.text() == f"= <b>{format_number(32 * a * math.cos(16 * a * a))}</b>"
    # Another point: the same pictures at once (nothing asked of the worker), new numbers.
    chain.set_point({"x": 0.5})
    assert typeset_complete(chain)
    assert number.text() == f"<b>{format_number(math.cos(4.0))}</b>"
    assert steps[0].value.text() == f"= <b>{format_number(16 * math.cos(4.0))}</b>"


def test_stale_typeset_results_are_dropped(qtbot, window: MainWindow, engine: Engine) -> None:
    type_function(qtbot, window, "sin((4x)^2)")
    chain = lesson(window)
    view = chain.panel.derivation
    old = (r"A(u) = \sin\left(u\right)", view.product_written.latex)
    type_function(qtbot, window, "(x^2)^3")  # at once, while the first is being typeset
    qtbot.waitUntil(lambda: typeset_complete(chain), timeout=20000)
    shown = [label.latex for label in view.formulas()]
    assert "B(x) = x^{2}" in shown and not set(shown) & set(old)
    # A real answer for the old function, arriving late, changes nothing on show.
    late = engine.compute("sin((4x)^2)", task="typeset", payload=("sin((4x)^2)", *shown))
    assert late.ok and late.latex
    before = [label.picture for label in view.formulas()]
    view.pictures = type(view.pictures)()  # forget: a late answer must not bring them back
    chain._on_typeset(late)
    assert all(late_latex not in view.pictures for late_latex in late.latex)
    assert [label.picture for label in view.formulas()] == before


def test_the_seed_gradient_from_one_backward_pass(qtbot, window: MainWindow) -> None:
    type_function(qtbot, window, "w1^2 + 2w2^2")
    chain = lesson(window)
    assert window.current_lesson() is chain
    assert chain.point == {"w1": 1.0, "w2": -2.0}
    assert "∂f/∂w1 = 2, ∂f/∂w2 = -8" in chain.panel.progress_label.text()
    assert set(chain.panel.point_fields) == {"w1", "w2"}


def test_backward_pass_step_by_step(qtbot, window: MainWindow) -> None:
    type_function(qtbot, window, "x*sin(x)")
    chain = lesson(window)
    view = chain.graph_view
    chain.panel.reset_button.click()
    assert all(box.gradient.text() == "" for box in view.boxes)
    order = chain.explanation.result.order
    chain.panel.step_button.click()
    assert view.boxes[order[0]].gradient.text() == "∂f = 1"  # the output: ∂f/∂f = 1
    assert sum(box.gradient.text() != "" for box in view.boxes) == 1
    for _ in range(len(order) - 1):
        chain.panel.step_button.click()
    x = chain.explanation.graph.input_index("x")
    expected = math.sin(1.0) + math.cos(1.0)  # at the tangent lesson's a = 1
    assert view.boxes[x].gradient.text() == f"∂f = {expected:.3f}"
    assert not chain.panel.step_button.isEnabled()
    chain.panel.play_button.click()  # plays again from the output
    qtbot.waitUntil(lambda: all(box.gradient.text() for box in view.boxes), timeout=10000)


def test_clicking_a_node_shows_its_paths(qtbot, window: MainWindow) -> None:
    type_function(qtbot, window, "x*sin(x)")
    chain = lesson(window)
    view = chain.graph_view
    x = chain.explanation.graph.input_index("x")
    box = view.boxes[x]
    centre = view.mapFromScene(box.sceneBoundingRect().center())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    text = chain.panel.node_label.text()
    assert text.count("Path x →") == 2  # x is used twice: two paths to the output
    assert "The paths add up" in text
    assert view.selected == x


def test_typing_a_point_recomputes_the_passes(qtbot, window: MainWindow) -> None:
    type_function(qtbot, window, "x^3")
    chain = lesson(window)
    field = chain.panel.point_fields["x"]
    field.selectAll()
    qtbot.keyClicks(field, "2")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert chain.point == {"x": 2.0}
    assert "∂f/∂x = 12" in chain.panel.progress_label.text()
    field.selectAll()
    qtbot.keyClicks(field, "two")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert chain.panel.point_message.isVisible()
    assert chain.point == {"x": 2.0}  # a bad number changes nothing


def test_deep_sigmoid_chain_vanishes_under_its_bound(qtbot, window: MainWindow) -> None:
    chain = lesson(window)
    chain.panel.depth_spin.setValue(20)
    # The data as given (getData() would return it log-transformed, as drawn).
    layers, gradients = chain.depth_plot.gradients.xData, chain.depth_plot.gradients.yData
    bounds = chain.depth_plot.bound.yData
    assert list(layers) == list(range(1, 21))
    assert bounds[0] == pytest.approx(4.0**-20)
    assert np.all(gradients <= bounds)
    assert chain.panel.depth_verdict.text().startswith("Vanishing")


def test_training_the_deep_chain_opens_the_descent(qtbot, window: MainWindow) -> None:
    chain = lesson(window)
    chain.panel.depth_spin.setValue(4)
    chain.panel.train_button.click()
    assert window.current_lesson().key == "descent"
    text = window.editor.text()
    assert text == "(sigmoid(1.0*sigmoid(1.0*sigmoid(1.0*sigmoid(w*0.5)))) - 0.9)^2"
    assert window.plotted_text == text


def test_a_constant_has_a_graph_and_a_zero_slope(qtbot, window: MainWindow) -> None:
    type_function(qtbot, window, "pi")
    chain = lesson(window)
    assert [box.label.text() for box in chain.graph_view.boxes] == ["pi"]
    assert "∂f/∂x = 0," in chain.panel.progress_label.text()


def test_the_point_and_the_deep_chain_come_back_from_a_session(qtbot, window: MainWindow) -> None:
    chain = lesson(window)
    chain.restore_state(
        {"point": {"w1": 0.5, "w2": 3.0}, "family": "tanh", "depth": 7, "weight": 2}
    )
    type_function(qtbot, window, "w1*w2")
    assert chain.point == {"w1": 0.5, "w2": 3.0}
    assert chain.panel.deep_chain_settings() == ("tanh", 7, 2.0)
    assert "∂f/∂w1 = 3, ∂f/∂w2 = 0.5" in chain.panel.progress_label.text()


def test_typesetting_the_worker_could_not_finish_leaves_the_text(qtbot, window: MainWindow) -> None:
    type_function(qtbot, window, "x*sin(x)")
    chain = lesson(window)
    view = chain.panel.derivation
    said: list[str] = []
    chain.statusMessage.connect(said.append)
    view.write_latex()  # as its timer does: the LaTeX is written and sent to the worker
    assert chain._asked is not None
    # What the engine sends when the worker was stopped at its deadline, for this function.
    stopped = failed_result("typeset", 99, ("x*sin(x)", "x"), "timeout", "It took too long.")
    chain._on_typeset(stopped)
    assert said == ["It took too long. The formulas are shown as text."]
    assert chain._asked is None  # not asked again: it would only stop the worker again
    assert all(label.picture is None for label in view.formulas())
    assert view.blocks[0].rows[0].formula.plain == "(x·sin(x))′ = sin(x) + x·cos(x)"


def test_pictures_kept_are_bounded(monkeypatch) -> None:
    from calcstudio.core.typeset_task import typeset_formulas
    from calcstudio.ui.chain import typeset_label

    latex = tuple(f"x^{{{k}}} + {k}" for k in range(6))
    answer = typeset_formulas("x", latex, budget=60.0)
    pictures = typeset_label.Pictures(capacity=4)
    for formula, svg in zip(answer.latex, answer.svgs, strict=True):
        pictures.add(formula, svg)
    assert [formula in pictures for formula in latex] == [False] * 2 + [True] * 4
    drawn = [pictures.image(formula, "#000000", 1.0) for formula in latex[2:]]
    assert all(image is not None and not image.isNull() for image in drawn)
    assert pictures._image_bytes == sum(image.sizeInBytes() for image in drawn)
    # Past the byte budget the oldest drawings go (their SVG stays, to draw them again).
    monkeypatch.setattr(typeset_label, "IMAGE_BYTES", drawn[-1].sizeInBytes())
    again = pictures.image(latex[2], "#ff0000", 1.0)
    assert again is not None and pictures._image_bytes == again.sizeInBytes()
    assert latex[3] in pictures


def test_the_lesson_opens_on_the_materials_chain(qtbot, window: MainWindow) -> None:
    chain = lesson(window)
    assert chain.show_first_preset()
    assert window.editor.text() == "sin((4x)^2)"
    assert chain.point == {"x": 0.5}
    assert "A(u) = sin(u)" in chain.panel.preset_label.text()
    truth = 32 * 0.5 * math.cos(16 * 0.25)  # 32x·cos(16x²) at x = 0.5, by hand
    assert format_number(truth) in chain.panel.derivation.product_numbers.text()


def test_each_example_is_worked_out_at_its_point(qtbot, window: MainWindow) -> None:
    chain = lesson(window)
    gradients = {  # by hand, at each example's point
        "(x^2)^3": {"x": 6.0},  # 6x⁵ at 1
        "w1^2 + 2w2^2": {"w1": 2.0, "w2": -8.0},
        "sigmoid(2w + b)": {"w": 2 * 0.25, "b": 0.25},  # σ′(0) = 1/4, times the input 2
    }
    for index, preset in enumerate(chain.presets):
        chain.panel.preset_box.activated.emit(index)
        assert window.editor.text() == preset["text"]
        assert window.current_lesson() is chain, preset["name"]
        assert chain.point == {k: float(v) for k, v in preset["point"].items()}
        assert chain.panel.preset_label.text()
        explanation = chain.explanation
        assert explanation is not None
        found = dict(
            zip(
                explanation.graph.variables,
                explanation.result.gradient(explanation.graph),
                strict=True,
            )
        )
        if preset["text"] in gradients:
            assert found == pytest.approx(gradients[preset["text"]]), preset["name"]
        elif preset["text"] == "sigmoid(sigmoid(sigmoid(x)))":
            # σ′(σ(σ(0)))·σ′(σ(0))·σ′(0), each factor at most 1/4
            assert 0 < found["x"] <= 1 / 64


def test_typing_another_function_drops_the_examples_words(qtbot, window: MainWindow) -> None:
    chain = lesson(window)
    chain.show_first_preset()
    assert chain.panel.preset_label.isVisibleTo(chain.panel)
    type_function(qtbot, window, "(x^2)^3")
    assert chain.panel.preset_box.currentIndex() == -1
    assert not chain.panel.preset_label.isVisibleTo(chain.panel)


def test_a_formula_label_wraps_its_text_once_per_width(qtbot, monkeypatch) -> None:
    # The derivation's layout asks each label its height several times a pass; a rich
    # text was laid out afresh each time (a 63-node function's keystroke: 45 → 33 ms).
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QLabel

    from calcstudio.ui.chain.typeset_label import TypesetLabel

    label = TypesetLabel("#000000")
    qtbot.addWidget(label)
    label.setText("∂y/∂x = <i>cos</i>(x) · " * 12)
    asked: list[int] = []
    own = QLabel.heightForWidth

    def counted(self: QLabel, width: int) -> int:
        asked.append(width)
        return own(self, width)

    monkeypatch.setattr(QLabel, "heightForWidth", counted)
    tall = [label.heightForWidth(width) for width in (120, 400, 120, 400, 120)]
    assert asked == [120, 400] and tall[0] == tall[2] == tall[4] > tall[1] == tall[3]
    label.setText("short")  # a new text is wrapped again
    assert label.heightForWidth(120) == own(label, 120) < tall[0]
    label.setFont(QFont(label.font().family(), 3 * label.font().pointSize()))
    assert label.heightForWidth(120) == own(label, 120)  # and so is a new font


def test_typing_here_samples_no_hidden_plot_and_the_plot_catches_up(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    plot = window.plot
    assert not plot.isVisible()  # the graph stands in its place
    type_function(qtbot, window, "sin(x)")
    chain = lesson(window)
    qtbot.waitUntil(lambda: chain.shown is not None and chain.shown.text == "sin(x)")
    xs, ys = plot.function_curve.getData()
    assert not np.allclose(np.asarray(ys), np.sin(np.asarray(xs)), equal_nan=True)
    # Exported from here, the plot is sampled first: the picture is of sin.
    assert window.menus.export_png_to(str(tmp_path / "plot.png"))
    xs, ys = plot.function_curve.getData()
    np.testing.assert_allclose(ys, np.sin(xs), atol=1e-12)
    type_function(qtbot, window, "x^3")
    window.show_lesson("tangent")
    qtbot.waitUntil(plot.isVisible)
    xs, ys = plot.function_curve.getData()
    np.testing.assert_allclose(ys, np.asarray(xs) ** 3, rtol=1e-12)
    assert xs.min() <= plot.view_x_range()[0] + 1e-9 and xs.max() >= plot.view_x_range()[1] - 1e-9
