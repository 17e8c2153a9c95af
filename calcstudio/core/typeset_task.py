"""The worker's ``"typeset"`` task: formulas the window wrote as LaTeX, typeset as SVG.

A lesson that writes its own formulas on every keystroke (the chain rule's links and steps,
written without sympy by :mod:`calcstudio.core.language.latex`) sends their LaTeX here, so the
typesetter (about 30-90 ms a formula) runs in the worker process, never on the GUI thread.
One request typesets formulas in order for about :data:`BATCH_SECONDS` and answers with those
it finished; the lesson asks again for the rest. So the first formulas appear soon, and the
worker is never tied up long enough to delay the derivatives of the next keystroke.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from calcstudio.core.analysis import Status

BATCH_SECONDS = 0.15
"""About how long one request may typeset (it always finishes at least one formula)."""


@dataclass(frozen=True)
class TypesetResult:
    """Typeset formulas for one request.

    Attributes
    ----------
    request_id
        The id the engine gave the request.
    text
        The function the formulas belong to, as typed (to drop results for older text).
    status
        ``"ok"``, or ``"timeout"`` / ``"crashed"`` when the worker did not answer.
    message
        Empty when ok; otherwise what went wrong, in words.
    latex
        The formulas typeset, in the order asked: the first of those asked for, all of
        them when there was time.
    svgs
        One SVG document per formula in ``latex``; ``""`` where mathtext cannot read it
        (the window then keeps the formula's text).
    seconds
        Worker time spent.
    """

    request_id: int
    text: str
    status: Status
    message: str = ""
    latex: tuple[str, ...] = ()
    svgs: tuple[str, ...] = field(default=(), repr=False)
    seconds: float = 0.0
    task: str = "typeset"

    @property
    def ok(self) -> bool:
        """True if the worker answered."""
        return self.status == "ok"


def typeset_formulas(
    text: str, formulas: tuple[str, ...], request_id: int = 0, budget: float = BATCH_SECONDS
) -> TypesetResult:
    """Typeset ``formulas`` in order until ``budget`` seconds have passed.

    Parameters
    ----------
    text
        The function they belong to (copied into the result).
    formulas
        LaTeX formulas, e.g. ``A(u) = \\sin\\left(u\\right)``.
    request_id
        Copied into the result.
    budget
        Seconds after which no further formula is started.
    """
    from calcstudio.core.typeset import formula_svg

    began = time.perf_counter()
    done: list[str] = []
    svgs: list[str] = []
    for latex in formulas:
        if done and time.perf_counter() - began > budget:
            break
        done.append(latex)
        svgs.append(formula_svg(latex))
    seconds = time.perf_counter() - began
    return TypesetResult(request_id, text, "ok", "", tuple(done), tuple(svgs), seconds)


__all__ = ["BATCH_SECONDS", "TypesetResult", "typeset_formulas"]
