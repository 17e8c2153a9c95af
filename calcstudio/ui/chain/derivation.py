"""The chain of links and the derivation step by step, typeset, with their numbers at the point.

Everything is written at once from an :class:`~calcstudio.core.chain.Explanation` as text (the
per-keystroke path); just after, each changed formula's LaTeX is written
(:mod:`calcstudio.core.chain.latex`, :meth:`DerivationView.write_latex`) and goes to the worker,
and its typeset picture takes the text's place when it comes (:meth:`add_pictures`). The
numbers at the point stay text: they change with the point, the formulas do not. Rows are made
once and reused, so a keystroke only changes their contents.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from calcstudio.core.calculus import format_number
from calcstudio.core.chain import Explanation
from calcstudio.core.chain.formula import display
from calcstudio.core.chain.latex import derivative_label, link_latex, product_latex, step_latex
from calcstudio.core.chain.steps import Step
from calcstudio.ui.chain.typeset_label import Pictures, TypesetLabel
from calcstudio.ui.widgets import palette

MAX_STEPS_SHOWN = 12
"""Derivation steps written out per variable; a long sum repeats the same few rules."""


def _maths(text: str) -> str:
    return f"<i>{escape(display(text))}</i>"


def _nested(names: list[str], variable: str) -> str:
    """``B(C(x))`` for the names B, C."""
    text = variable
    for name in reversed(names):
        text = f"{name}({text})"
    return text


def _label(text: str = "", *, muted: bool = False) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if muted:
        label.setStyleSheet(f"color: {palette.MUTED};")
    return label


class _StepRow(QWidget):
    """One step: the rule's name and statement, then the step's derivative and its value."""

    def __init__(self, ink: str) -> None:
        super().__init__()
        self.rule = _label()
        self.statement = TypesetLabel(palette.MUTED)
        self.statement.setStyleSheet(f"color: {palette.MUTED};")
        self.formula = TypesetLabel(ink)
        self.value = _label()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 4)
        layout.setSpacing(1)
        top, bottom = QHBoxLayout(), QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(self.rule)
        top.addWidget(self.statement)
        top.addStretch(1)
        bottom.setContentsMargins(16, 0, 0, 0)  # the working, under its rule
        bottom.setSpacing(6)
        bottom.addWidget(self.formula)
        bottom.addWidget(self.value)
        bottom.addStretch(1)
        layout.addLayout(top)
        layout.addLayout(bottom)

    def show_step(self, step: Step, partial: str | None, pictures: Pictures) -> None:
        """Show ``step``; ``partial`` names the variable of a partial derivative."""
        self.rule.setText(f"<b>{escape(step.rule)}</b>")
        statement = f"<span style='color:{palette.MUTED}'>{escape(step.statement)}</span>"
        self.statement.set_formula(statement, step.statement, step.statement_latex, pictures)
        derivative = _maths(step.derivative) if step.derivative else "—"
        if partial is None:
            plain = f"({display(step.expression)})′ = {display(step.derivative or '—')}"
            html = f"({_maths(step.expression)})′ = {derivative}"
        else:
            plain = f"∂/∂{partial} ({display(step.expression)}) = {display(step.derivative or '—')}"
            html = f"∂/∂{escape(partial)} ({_maths(step.expression)}) = {derivative}"
        self.formula.set_formula(html, plain, lambda: step_latex(step, partial), pictures)
        self.value.setText(f"= <b>{format_number(step.value)}</b>")


class _StepsBlock(QWidget):
    """The steps of one derivative (f′, or one partial derivative)."""

    def __init__(self, ink: str) -> None:
        super().__init__()
        self.ink = ink
        self.title = _label()
        self.more = _label(muted=True)
        self.rows: list[_StepRow] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self._layout.addWidget(self.title)
        self._layout.addWidget(self.more)

    def show_steps(
        self, title: str, steps: Sequence[Step], partial: str | None, pictures: Pictures
    ) -> None:
        self.title.setText(title)
        shown = steps[:MAX_STEPS_SHOWN]
        while len(self.rows) < len(shown):
            row = _StepRow(self.ink)
            self._layout.insertWidget(1 + len(self.rows), row)
            self.rows.append(row)
        for index, row in enumerate(self.rows):
            row.setVisible(index < len(shown))
            if index < len(shown):
                row.show_step(shown[index], partial, pictures)
        more = len(steps) - MAX_STEPS_SHOWN
        self.more.setText(f"… and {more} more steps of the same rules." if more > 0 else "")
        self.more.setVisible(more > 0)


class DerivationView(QWidget):
    """The chain of links, its product, the engine's simplified form, and the steps.

    Parameters
    ----------
    parent
        The parent widget.
    """

    formulasWritten = Signal()
    """The LaTeX of the formulas on show is written (:meth:`missing` says what to typeset)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ink = self.palette().color(QPalette.ColorRole.WindowText).name()
        self.pictures = Pictures()
        # The LaTeX is written just after the text is on screen, not before it.
        self._latex_timer = QTimer(self)
        self._latex_timer.setSingleShot(True)
        self._latex_timer.setInterval(0)
        self._latex_timer.timeout.connect(self.write_latex)
        self.chain_note = _label()
        self.chain_note.setWordWrap(True)
        self.links_box = QWidget()
        self.links_grid = QGridLayout(self.links_box)
        self.links_grid.setContentsMargins(0, 0, 0, 0)
        self.links_grid.setHorizontalSpacing(14)
        self.links_header = [_label("link", muted=True), _label("its slope", muted=True)]
        self.links_header.append(_label(muted=True))
        for column, header in enumerate(self.links_header):
            self.links_grid.addWidget(header, 0, column)
        self.links_grid.setColumnStretch(3, 1)
        self.link_rows: list[tuple[TypesetLabel, TypesetLabel, QLabel]] = []
        self.product_rule = TypesetLabel(self.ink)
        self.product_written = TypesetLabel(self.ink)
        self.product_numbers = _label()
        self.simplified_title = _label("Simplified by the maths engine:", muted=True)
        self.simplified: list[TypesetLabel] = []
        self.blocks: list[_StepsBlock] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.chain_note, self.links_box, self.product_rule, self.product_written):
            self._layout.addWidget(widget)
        self._layout.addWidget(self.product_numbers)
        self._layout.addWidget(self.simplified_title)
        self._simplified_at = self._layout.count()
        self._steps_heading = QLabel("<b>Step by step</b>")
        self._layout.addWidget(self._steps_heading)
        self.show_simplified(())

    # --- what is shown --------------------------------------------------------

    def formulas(self) -> list[TypesetLabel]:
        """Every formula on show, top to bottom."""
        shown = [label for row in self.link_rows for label in row[:2] if label.isVisibleTo(self)]
        shown += [
            label for label in (self.product_rule, self.product_written) if label.isVisibleTo(self)
        ]
        for block in self.blocks:
            if block.isVisibleTo(self):
                for row in block.rows:
                    if row.isVisibleTo(self):
                        shown += [row.statement, row.formula]
        return shown

    def missing(self) -> tuple[str, ...]:
        """LaTeX of the formulas on show that the worker has not typeset yet, in order."""
        wanted = (label.latex for label in self.formulas())
        fresh = (latex for latex in wanted if latex and latex not in self.pictures)
        return tuple(dict.fromkeys(fresh))

    def write_latex(self) -> None:
        """Write the LaTeX of every formula on show whose text changed, and say so."""
        self._latex_timer.stop()
        for label in self.formulas():
            label.write_latex(self.pictures)
        self.formulasWritten.emit()

    def add_pictures(self, latex: Sequence[str], svgs: Sequence[str]) -> None:
        """Keep what the worker typeset and show it where it belongs."""
        for formula, svg in zip(latex, svgs, strict=True):
            self.pictures.add(formula, svg)
        for label in self.formulas():
            label.refresh(self.pictures)

    def show_explanation(self, explanation: Explanation) -> None:
        """Write the chain, its product and the steps of ``explanation``."""
        variables = explanation.graph.variables
        at = ", ".join(f"{name} = {format_number(explanation.point[name])}" for name in variables)
        self._show_chain(explanation, at)
        while len(self.blocks) < len(variables):
            block = _StepsBlock(self.ink)
            self._layout.addWidget(block)
            self.blocks.append(block)
        for index, block in enumerate(self.blocks):
            block.setVisible(index < len(variables))
            if index < len(variables):
                name = variables[index]
                title = f"∂f/∂{name}" if len(variables) > 1 else f"f′({name})"
                steps = explanation.steps[name]
                partial = name if len(variables) > 1 else None
                block.show_steps(f"<b>{title}</b> at {at}:", steps, partial, self.pictures)
        self._latex_timer.start()

    def _show_chain(self, explanation: Explanation, at: str) -> None:
        links = explanation.links
        chained = len(links) >= 2
        self.chain_note.setVisible(not chained)
        self.chain_note.setText(
            ""
            if chained
            else "This function is not one function inside another, so its chain has one "
            "link: the steps below take it apart by the rules they name."
        )
        for widget in (self.links_box, self.product_rule, self.product_written):
            widget.setVisible(chained)
        self.product_numbers.setVisible(chained)
        if not chained:
            return
        self.links_header[2].setText(f"at {escape(at)}")
        while len(self.link_rows) < len(links):
            row = (TypesetLabel(self.ink), TypesetLabel(self.ink), _label())
            for column, widget in enumerate(row):
                self.links_grid.addWidget(widget, len(self.link_rows) + 1, column)
            self.link_rows.append(row)
        for index, (formula, slope, value) in enumerate(self.link_rows):
            for widget in (formula, slope, value):
                widget.setVisible(index < len(links))
            if index >= len(links):
                continue
            link = links[index]
            written = functools.partial(link_latex, link)
            name = f"<b>{link.name}</b>({escape(link.variable)})"
            plain = f"{link.name}({link.variable})"
            formula.set_formula(
                f"{name} = {_maths(link.formula)}",
                f"{plain} = {display(link.formula)}",
                lambda written=written: written()[0],
                self.pictures,
            )
            slope.set_formula(
                f"{link.name}′({escape(link.variable)}) = {_maths(link.slope or '—')}",
                f"{link.name}′({link.variable}) = {display(link.slope or '—')}",
                lambda written=written: written()[1],
                self.pictures,
            )
            value.setText(f"<b>{format_number(link.slope_value)}</b>")
        self._show_product(explanation)

    def _show_product(self, explanation: Explanation) -> None:
        links = explanation.links
        names = [link.name for link in links]
        variables = explanation.graph.variables
        several = len(variables) > 1
        derivative = f"∂f/∂{variables[0]}" if several else "f′"
        product = " · ".join(
            f"{name}′({_nested(names[i + 1 :], variables[0])})" for i, name in enumerate(names)
        )
        label = derivative_label(variables[0], several)
        both = functools.partial(product_latex, links, explanation.product, label)
        rule = f"{derivative} = {product}"
        self.product_rule.set_formula(escape(rule), rule, lambda: both()[0], self.pictures)
        written = explanation.product
        self.product_written.set_formula(
            f"= {_maths(written) if written else '—'}",
            f"= {display(written) if written else '—'}",
            lambda: both()[1],
            self.pictures,
        )
        value = math.prod(link.slope_value for link in links)
        self.product_numbers.setText(
            f"= {' · '.join(format_number(link.slope_value) for link in links)}"
            f" = <b style='color:{palette.DERIVATIVE}'>{format_number(value)}</b>"
        )

    def show_simplified(self, formulas: Sequence[tuple[str, str, str]]) -> None:
        """The engine's simplified f′ (or partial derivatives): ``(text, latex, svg)`` each,
        typeset already by the engine."""
        for _, latex, svg in formulas:
            self.pictures.add(latex, svg)
        while len(self.simplified) < len(formulas):
            label = TypesetLabel(palette.DERIVATIVE)
            label.setStyleSheet(f"color: {palette.DERIVATIVE};")
            self._layout.insertWidget(self._simplified_at + len(self.simplified), label)
            self.simplified.append(label)
        for index, label in enumerate(self.simplified):
            label.setVisible(index < len(formulas))
            if index < len(formulas):
                text, latex, _ = formulas[index]
                shown = display(text)
                label.set_formula(f"<b>{escape(shown)}</b>", shown, latex, self.pictures)
        self.simplified_title.setVisible(bool(formulas))


__all__ = ["MAX_STEPS_SHOWN", "DerivationView"]
