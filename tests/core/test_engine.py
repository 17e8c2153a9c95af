"""The symbolic engine, with a real worker process (no mocks)."""

from __future__ import annotations

import os
import pickle
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import numpy as np
import pytest

from calcstudio.core.engine import Engine, EngineResult, analyse
from calcstudio.core.language import ParseError, parse_tree

# Sympy needs seconds to differentiate 40 nested sines (measured 4.5 s).
SLOW_TEXT = "sin(" * 40 + "x" + ")" * 40


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    with Engine(deadline=30.0) as shared:
        yield shared


def wait_for(engine: Engine, request_id: int, limit: float = 30.0) -> list[EngineResult]:
    """Poll like a GUI timer would until ``request_id`` has a result; return all results."""
    results: list[EngineResult] = []
    stop = time.monotonic() + limit
    while not any(r.request_id == request_id for r in results):
        assert time.monotonic() < stop, "no result in time"
        results += engine.poll()
        time.sleep(0.004)
    return results


def test_one_variable_derivatives_come_back_as_text_and_programs(engine: Engine) -> None:
    result = engine.compute("x^2")
    assert result.ok, result.message
    assert result.variables == ("x",)
    assert result.function is not None and result.derivative is not None
    assert result.second_derivative is not None
    assert result.function.text == "x^2"
    assert result.derivative.text == "2*x"
    assert result.second_derivative.text == "2"
    assert result.derivative.label == "f'(x)"
    assert result.derivative.latex == "2 x"
    x = np.array([-1.5, 0.0, 3.0])
    np.testing.assert_allclose(result.derivative.evaluator()(x), 2 * x)
    np.testing.assert_allclose(result.second_derivative.evaluator()(x), [2.0, 2.0, 2.0])
    assert result.derivative.evaluator() is result.derivative.evaluator()


def test_parse_error_comes_back_with_its_span(engine: Engine) -> None:
    text = "3*(x+1"
    with pytest.raises(ParseError) as expected:
        parse_tree(text)
    result = engine.compute(text)
    assert result.status == "error"
    assert result.function is None
    assert result.message == expected.value.message
    assert (result.error_start, result.error_end) == (expected.value.start, expected.value.end)
    assert result.error_end > result.error_start


def test_two_variables_give_gradient_and_hessian(engine: Engine) -> None:
    result = engine.compute("w1^2 + 2w2^2")
    assert result.ok, result.message
    assert result.variables == ("w1", "w2")
    assert result.derivative is None
    assert [g.text for g in result.gradient] == ["2*w1", "4*w2"]
    assert [[h.text for h in row] for row in result.hessian] == [["2", "0"], ["0", "4"]]
    assert result.gradient[1].label == "∂f/∂w2"
    assert result.hessian[0][1].label == "∂²f/∂w1∂w2"
    w1, w2 = np.array([1.0, -2.0]), np.array([0.5, 3.0])
    np.testing.assert_allclose(result.function.evaluator()(w1, w2), w1**2 + 2 * w2**2)
    np.testing.assert_allclose(result.gradient[1].evaluator()(w1, w2), 4 * w2)
    assert len(result.expressions) == 1 + 2 + 4


def test_notes_travel_with_the_derivative(engine: Engine) -> None:
    result = engine.compute("floor(x)")
    assert result.ok, result.message
    assert result.derivative is not None and result.derivative.notes
    np.testing.assert_allclose(result.derivative.evaluator()(np.array([0.3, 2.5])), 0.0)


def test_results_pickle_without_the_cached_evaluator(engine: Engine) -> None:
    result = engine.compute("sin(x)")
    assert result.derivative is not None
    result.derivative.evaluator()
    copy = pickle.loads(pickle.dumps(result))
    assert copy == result
    assert "_evaluator" not in copy.derivative.__dict__
    np.testing.assert_allclose(copy.derivative.evaluator()(np.array([0.0])), [1.0])


def test_a_complex_derivative_is_nan_not_a_failure(engine: Engine) -> None:
    pid = engine.pid
    # (-0.5)^x is real at the integers only; its slope has log(-0.5) = log(0.5) + i*pi in
    # it, which has no real value anywhere.
    result = engine.compute("(-0.5)^x")
    assert result.ok, result.message
    assert "I" in result.derivative.text
    f, df = result.function.evaluator(), result.derivative.evaluator()
    np.testing.assert_array_equal(f(np.array([1.0, 2.0, 2.5])), [-0.5, 0.25, np.nan])
    assert np.isnan(df(np.array([1.0, 2.0]))).all()
    assert engine.compute("x^3").derivative.text == "3*x^2"
    assert engine.pid == pid


def test_newest_text_wins_and_the_rest_are_not_queued(engine: Engine) -> None:
    engine.compute("x")  # make sure the worker is free
    ids = [engine.submit(f"x^{k}") for k in range(1, 11)]
    assert engine.latest_id == ids[-1]
    results = wait_for(engine, ids[-1])
    # The first went straight to the free worker; 2..9 were replaced by 10 while it worked.
    assert [r.request_id for r in results] == [ids[0], ids[-1]]
    assert results[-1].function.text == "x^10"
    assert not engine.busy


def test_slow_request_is_stopped_at_its_deadline_and_the_next_one_works(
    engine: Engine,
) -> None:
    engine.compute("x")  # warm, so the deadline counts only the slow work
    old_pid = engine.pid
    began = time.monotonic()
    result = engine.compute(SLOW_TEXT, deadline=0.2)
    assert time.monotonic() - began < 3.0
    assert result.status == "timeout"
    assert result.message.startswith("Working out the derivatives of 'sin(sin(")
    assert result.message.endswith("took longer than 0.2 s, so it was stopped.")
    assert engine.pid != old_pid
    # The respawned worker has to import sympy again: that is not held against the request.
    after = engine.compute("x^2", deadline=0.5)
    assert after.ok, after.message
    assert after.derivative.text == "2*x"


def test_text_queued_behind_a_slow_request_is_sent_after_the_timeout(engine: Engine) -> None:
    engine.compute("x")
    slow = engine.submit(SLOW_TEXT, deadline=0.2)
    quick = engine.submit("3x")
    results = wait_for(engine, quick)
    assert [(r.request_id, r.status) for r in results] == [(slow, "timeout"), (quick, "ok")]
    assert results[-1].derivative.text == "3"


def test_a_killed_worker_is_reported_and_replaced(engine: Engine) -> None:
    engine.compute("x")
    request = engine.submit(SLOW_TEXT)
    os.kill(engine.pid, signal.SIGKILL)
    (result,) = wait_for(engine, request)
    assert result.status == "crashed"
    assert "stopped unexpectedly (exit code -9)" in result.message
    assert engine.compute("x^2").ok


def test_a_worker_that_died_while_idle_is_replaced_on_the_next_request(engine: Engine) -> None:
    engine.compute("x")
    process_id = engine.pid
    os.kill(process_id, signal.SIGKILL)
    time.sleep(0.1)
    result = engine.compute("x^2")
    assert result.ok, result.message
    assert engine.pid != process_id


def test_fileno_wakes_a_notifier_and_deadlines_say_when_to_check(engine: Engine) -> None:
    engine.compute("x")
    assert engine.seconds_to_next_check() is None
    request = engine.submit("x^4", deadline=5.0)
    assert 0.0 < engine.seconds_to_next_check() <= 5.0
    descriptor = engine.fileno()
    readable, _, _ = select.select([descriptor], [], [], 10.0)
    assert readable == [descriptor]
    (result,) = engine.poll()
    assert result.request_id == request and result.derivative.text == "4*x^3"
    assert engine.seconds_to_next_check() is None


def test_close_stops_the_worker() -> None:
    engine = Engine()
    engine.start()
    process_id = engine.pid
    engine.close()
    assert engine.pid is None and engine.fileno() is None
    with pytest.raises(ProcessLookupError):
        os.kill(process_id, 0)


def test_analyse_runs_in_process_without_a_worker() -> None:
    result = analyse("1/(1+exp(-x))", request_id=7)
    assert result.ok and result.request_id == 7
    assert result.derivative is not None
    np.testing.assert_allclose(result.derivative.evaluator()(np.array([0.0])), [0.25])


STARTUP_CHECK = """
import sys, time
import calcstudio.core.engine as engine_module
engine = engine_module.Engine(deadline=0.2)
began = time.perf_counter()
engine.start()
start_seconds = time.perf_counter() - began
result = engine.compute("x^2")
first_result_seconds = time.perf_counter() - began
engine.close()
print(result.status, result.derivative.text)
print(start_seconds < first_result_seconds / 2, start_seconds, first_result_seconds)
print('sympy' in sys.modules)
"""


def test_start_returns_at_once_and_the_parent_never_imports_sympy() -> None:
    completed = subprocess.run(
        [sys.executable, "-c", STARTUP_CHECK], capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    outcome, timing, sympy_loaded = completed.stdout.splitlines()
    # A cold start (the worker importing sympy) is not reported as a timeout.
    assert outcome == "ok 2*x"
    # start() does not wait for the worker to import sympy.
    assert timing.startswith("True"), timing
    assert sympy_loaded == "False"


def test_an_analysis_may_leave_f_second_untypeset() -> None:
    from calcstudio.core.analysis import WITHOUT_SECOND_FORMULA, run_task

    plain = run_task("analyse", ("sin(x^2)", WITHOUT_SECOND_FORMULA), 7)
    full = run_task("analyse", ("sin(x^2)",), 8)
    assert [bool(data.svg) for data in plain.expressions] == [True, True, False]
    assert all(data.svg for data in full.expressions)
    # The same maths either way; only the picture of f″ is left out.
    assert [data.latex for data in plain.expressions] == [data.latex for data in full.expressions]
    # Partial derivatives (several variables) are always typeset: the lessons show them.
    partials = run_task("analyse", ("x*y^2", WITHOUT_SECOND_FORMULA), 9)
    assert all(data.svg for data in partials.expressions)


def test_a_held_worker_starts_on_release_and_answers_the_newest_text() -> None:
    engine = Engine()
    try:
        engine.hold()
        first = engine.submit("x^2 + 1")
        newest = engine.submit("x^3 - 3*x")
        time.sleep(0.2)
        # Nothing started: no process, no answers, the newest text waiting.
        assert engine.held and engine.pid is None and engine.poll() == []
        engine.release()
        assert not engine.held and engine.pid is not None
        results = wait_for(engine, newest)
        assert first not in [r.request_id for r in results]
        assert results[-1].derivative.text == "3*x^2 - 3"
    finally:
        engine.close()


def test_waiting_for_a_result_starts_a_held_worker() -> None:
    engine = Engine()
    try:
        engine.hold()
        assert engine.compute("sin(x)").derivative.text == "cos(x)"
    finally:
        engine.close()


def test_hold_does_nothing_to_a_running_worker(engine: Engine) -> None:
    engine.compute("x")
    engine.hold()
    assert not engine.held
    assert engine.compute("x^4").derivative.text == "4*x^3"
