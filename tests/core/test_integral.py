"""Exact and numerical integrals in the worker, against mpmath; the "integral" task."""

from __future__ import annotations

import time
from collections.abc import Iterator

import mpmath
import pytest

from calcstudio.core.area.exact import integrate
from calcstudio.core.engine import Engine


@pytest.mark.parametrize(
    "text, a, b, antiderivative, exact, reference",
    [
        ("x^2", "0", "3", "x^3/3", "9", lambda: mpmath.mpf(9)),
        ("sin(x)", "0", "2", "-cos(x)", "1 - cos(2)", lambda: 1 - mpmath.cos(2)),
        ("x^2", "3", "0", "x^3/3", "-9", lambda: mpmath.mpf(-9)),
        ("1/sqrt(x)", "0", "1", "2*sqrt(x)", "2", lambda: mpmath.mpf(2)),
        ("abs(x)", "-1", "2", None, "5/2", lambda: mpmath.mpf(2.5)),
        # sigmoid(x) + sigmoid(−x) = 1, so the area over [−4, 4] is 4 (the area preset)
        ("sigmoid(x)", "-4", "4", "x + log(1 + exp(-x))", "4", lambda: mpmath.mpf(4)),
        ("exp(x)", "0", "50", "exp(x)", "-1 + exp(50)", lambda: mpmath.exp(50) - 1),
        (
            "exp(-x^2)",
            "-1",
            "pi",
            None,
            None,
            lambda: mpmath.quad(lambda t: mpmath.exp(-t * t), [-1, mpmath.pi]),
        ),
    ],
)
def test_exact_integrals_agree_with_mpmath(text, a, b, antiderivative, exact, reference) -> None:
    result = integrate(text, a, b, typeset=False)
    assert result.ok and result.verdict in ("ok", "improper"), result.message
    assert not result.numerical
    with mpmath.workdps(30):
        assert result.value == pytest.approx(float(reference()), rel=1e-13, abs=1e-14)
    if antiderivative is not None:
        assert result.antiderivative_text == antiderivative
    if exact is not None:
        assert result.exact_text == exact


def test_no_closed_form_gives_a_numerical_value_said_to_be_numerical() -> None:
    # floor has no antiderivative sympy writes; the area of floor on [0, 2.5] is 0 + 1 + 1.
    result = integrate("floor(x)", "0", "2.5", typeset=False)
    assert result.ok and result.numerical and result.exact_text == ""
    assert result.value == pytest.approx(2.0, abs=1e-12)
    assert result.error_estimate < 1e-10
    result = integrate("sin(x^x)", "0", "1", typeset=False)
    with mpmath.workdps(30):
        reference = float(mpmath.quad(lambda t: mpmath.sin(t**t), [0, 1]))
    assert result.numerical and result.value == pytest.approx(reference, rel=1e-12)


def test_functions_mpmath_lacks_are_integrated_in_floats_and_said_numerical() -> None:
    # relu has no mpmath version and a kink at 0: ∫₋₁² relu = 2 and softplus by mpmath
    result = integrate("relu(x)", "-1", "2", typeset=False)
    assert result.ok and result.numerical
    assert abs(result.value - 2) <= max(result.error_estimate, 1e-15)
    result = integrate("softplus(x)", "0", "1", typeset=False)
    with mpmath.workdps(30):
        reference = mpmath.quad(lambda t: mpmath.log(1 + mpmath.exp(t)), [0, 1])
    assert result.ok and result.value == pytest.approx(float(reference), rel=1e-14)


def test_the_formula_has_the_integrand_without_its_domain_and_a_sum_in_parentheses() -> None:
    result = integrate("1/sqrt(x)", "0", "1", typeset=False)
    assert (
        result.latex
        == r"\int_{0}^{1} \frac{1}{\sqrt{x}} \, dx = \left[2 \sqrt{x}\right]_{0}^{1} = 2"
    )
    # so that a line break before − can never leave "∫ x³" on a line of its own
    result = integrate("x^3 - 3x", "-2", "2.5", typeset=False)
    assert result.latex.startswith(r"\int_{-2}^{\frac{5}{2}} \left(x^{3} - 3 x\right) \, dx = ")


def test_diverging_and_undefined_integrals_give_no_number() -> None:
    result = integrate("1/x", "-1", "1", typeset=False)
    assert result.ok and result.verdict == "diverges" and "diverges" in result.verdict_message
    assert result.value != result.value  # NaN: no number is claimed
    result = integrate("ln(x)", "-1", "1", typeset=False)
    assert result.verdict == "undefined" and result.value != result.value


def test_bad_bounds_are_said_in_words() -> None:
    result = integrate("x^2", "y", "1", typeset=False)
    assert result.status == "error" and "must be a number" in result.message


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    with Engine(deadline=30.0) as shared:
        yield shared


def test_integral_and_derivative_requests_do_not_drop_each_other(engine: Engine) -> None:
    engine.compute("x")  # warm
    first = engine.submit("sin(x)")
    integral = engine.submit("x^3", task="integral", payload=("x^3", "0", "2"))
    newest = engine.submit("cos(x)")
    newer_integral = engine.submit("x^4", task="integral", payload=("x^4", "0", "1"))
    results = []
    stop = time.monotonic() + 60
    while engine.busy:
        assert time.monotonic() < stop
        results += engine.poll()
        time.sleep(0.01)
    ids = {r.request_id: r for r in results}
    assert engine.latest_ids == {"analyse": newest, "integral": newer_integral}
    assert engine.latest_id == newest
    assert ids[newest].task == "analyse" and ids[newest].derivative.text == "-sin(x)"
    assert ids[newer_integral].task == "integral" and ids[newer_integral].value == 0.2
    assert first in ids  # it was in flight when the others came
    assert integral not in ids  # replaced by the newer integral while it waited


def test_an_integral_past_its_deadline_is_stopped_and_said() -> None:
    with Engine() as own:
        own.compute("x")
        result = own.compute("sin(x^x)", 0.3, task="integral", payload=("sin(x^x)", "0", "pi^2"))
        assert result.status == "timeout" and result.task == "integral"
        assert "integral of 'sin(x^x)'" in result.message and "0.3 s" in result.message
        assert own.compute("x^2").derivative.text == "2*x"  # the respawned worker works
