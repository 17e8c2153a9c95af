"""The worker's partial derivatives of a surface, named after the function typed."""

from __future__ import annotations

from calcstudio.core.analysis import analyse, function_name
from calcstudio.core.engine import Engine


def test_partials_of_the_seed_bowl_from_the_real_worker() -> None:
    with Engine(deadline=30.0) as engine:
        result = engine.compute("L(w1, w2) = w1^2 + 2w2^2", deadline=30.0)
    assert result.ok
    labels = [(data.label, data.text) for data in result.expressions[:3]]
    assert labels == [("L(w1, w2)", "w1^2 + 2*w2^2"), ("∂L/∂w1", "2*w1"), ("∂L/∂w2", "4*w2")]
    d1, d2 = (data.evaluator() for data in result.gradient)
    assert (float(d1(1.0, -2.0)), float(d2(1.0, -2.0))) == (2.0, -8.0)
    assert result.gradient[0].latex == "2 w_{1}"
    assert result.gradient[0].svg.startswith("<?xml") or "<svg" in result.gradient[0].svg
    assert [h.text for row in result.hessian for h in row] == ["2", "0", "0", "4"]


def test_the_function_is_named_as_typed() -> None:
    assert function_name("L(w1, w2) = w1 w2") == "L"
    assert function_name("loss(m, c) = m + c") == "loss"
    assert function_name("w1^2 + 2w2^2") == "f"
    assert function_name("g(x, y) == 2") == "f"  # a comparison, not a definition
    result = analyse("loss(m, c) = (3 - m - c)^2", typeset=False)
    assert [data.label for data in result.gradient] == ["∂loss/∂m", "∂loss/∂c"]
    assert result.hessian[0][1].label == "∂²loss/∂m∂c"
    # One variable keeps f′ (a prime reads better than ∂ for a single variable).
    assert analyse("g(x) = x^3", typeset=False).gradient[0].label == "f'(x)"
