"""The symbolic engine: sympy work in one persistent worker process ("spawn" context).

Sympy can run for minutes on innocent-looking input and holds the GIL meanwhile, so a
thread would freeze the window. The worker parses text and works out the derivatives;
it sends back plain data (strings, numbers, nested lists), never sympy objects or
lambdas, and the parent process never imports sympy.

Deadlines: a request may use ``deadline`` seconds of the worker's time, counted from
when the worker can begin it (when it is sent to a ready worker, or when a new worker
that is still importing sympy reports ready: a cold start is not a timeout; start-up
has its own ``startup_timeout``). Past it the worker is terminated and respawned, and
the request gets a ``"timeout"`` result that says in words what took too long.

A GUI calls :meth:`Engine.submit` (never blocks; the newest text wins) and
:meth:`Engine.poll` from a timer or a notifier on :meth:`Engine.fileno`, dropping
results whose ``request_id`` is not ``engine.latest_id``. Notebooks and tests use the
blocking :meth:`Engine.compute`, or :func:`analyse` in-process without a deadline.
"""

from __future__ import annotations

import multiprocessing
import signal
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from calcstudio.core.numeric import Evaluator, Program, compile_program

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

Status = Literal["ok", "error", "timeout", "crashed"]


@dataclass(frozen=True)
class ExpressionData:
    """One expression (f or one of its derivatives) as plain data.

    Attributes
    ----------
    label
        What it is, for a legend: ``f(x)``, ``f'(x)``, ``∂f/∂w1``, ``∂²f/∂w1∂w2``.
    text
        Canonical text in the expression language, e.g. ``2*x``.
    latex
        The formula as LaTeX.
    program
        Plain-data program for :func:`~calcstudio.core.numeric.compile_program`.
    arity
        Number of variables the evaluator takes.
    notes
        Remarks for the learner (e.g. where a derivative is drawn as 0 at jumps).
    svg
        The whole equation ``label = formula`` typeset as an SVG document (black on
        transparent), or ``""`` if it could not be typeset; show ``text`` then.
    """

    label: str
    text: str
    latex: str
    program: Program = field(repr=False, hash=False)
    arity: int
    notes: tuple[str, ...] = ()
    svg: str = field(default="", repr=False, hash=False)

    def evaluator(self) -> Evaluator:
        """A NaN-safe numpy evaluator of this expression, compiled once and cached."""
        cached = self.__dict__.get("_evaluator")
        if cached is None:
            cached = compile_program(self.program, self.arity)
            object.__setattr__(self, "_evaluator", cached)
        return cached

    def __getstate__(self) -> dict[str, Any]:
        # The cached evaluator is a closure: never pickle it.
        return {k: v for k, v in self.__dict__.items() if k != "_evaluator"}


@dataclass(frozen=True)
class EngineResult:
    """The outcome of one request.

    Attributes
    ----------
    request_id
        The id :meth:`Engine.submit` returned; compare with ``Engine.latest_id``.
    text
        The text as submitted.
    status
        ``"ok"``; ``"error"`` (not a valid function, or sympy failed on it);
        ``"timeout"`` (stopped at the deadline); ``"crashed"`` (the worker died).
    message
        Empty when ok; otherwise what went wrong, in plain words.
    error_start, error_end
        For a parse error, the character span to highlight (end exclusive).
    variables
        Variable names in argument order, e.g. ``("x",)`` or ``("w1", "w2")``.
    function
        f itself (None unless ok).
    gradient
        The first partial derivatives, one per variable; for one variable ``(f',)``.
    hessian
        The second partial derivatives, row by row; for one variable ``((f'',),)``.
    seconds
        Worker time spent on the request.
    """

    request_id: int
    text: str
    status: Status
    message: str = ""
    error_start: int = 0
    error_end: int = 0
    variables: tuple[str, ...] = ()
    function: ExpressionData | None = None
    gradient: tuple[ExpressionData, ...] = ()
    hessian: tuple[tuple[ExpressionData, ...], ...] = ()
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True if the function and its derivatives were worked out."""
        return self.status == "ok"

    @property
    def derivative(self) -> ExpressionData | None:
        """f' for a function of one variable, else None."""
        return self.gradient[0] if len(self.variables) == 1 and self.gradient else None

    @property
    def second_derivative(self) -> ExpressionData | None:
        """f'' for a function of one variable, else None."""
        return self.hessian[0][0] if len(self.variables) == 1 and self.hessian else None

    @property
    def expressions(self) -> tuple[ExpressionData, ...]:
        """f, then the gradient, then the Hessian entries, row by row."""
        if self.function is None:
            return ()
        return (self.function, *self.gradient, *(h for row in self.hessian for h in row))


def _quote(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return f"'{text}'" if len(text) <= limit else f"'{text[: limit - 1]}…'"


def analyse(text: str, request_id: int = 0, *, typeset: bool = True) -> EngineResult:
    """Parse ``text`` and work out f, its gradient and Hessian, in this process.

    This is what the worker runs; it imports sympy and has no deadline. Never raises:
    any failure becomes an ``"error"`` result with a plain message.

    Parameters
    ----------
    text
        The function as typed, e.g. ``"x^2"`` or ``"w1^2 + 2w2^2"``.
    request_id
        Copied into the result.
    typeset
        Whether to typeset each formula as SVG (``ExpressionData.svg``); a notebook that
        only wants the numbers can skip it.
    """
    from calcstudio.core.language import ParseError

    began = time.perf_counter()
    outcome: dict[str, Any]
    try:
        import sympy as sp

        from calcstudio.core.function import Function, parse
        from calcstudio.core.typeset import formula_svg

        f = parse(text)
        names = f.variables
        tex = {symbol.name: sp.latex(symbol) for symbol in f.symbols}

        def data(g: Function, label: str, label_latex: str) -> ExpressionData:
            svg = formula_svg(f"{label_latex} = {g.latex}") if typeset else ""
            return ExpressionData(label, g.text, g.latex, g.program, len(names), g.notes, svg)

        def partial(a: str, b: str | None = None) -> str:
            """Leibniz notation for ∂f/∂a, or ∂²f/∂a∂b when ``b`` is given."""
            if b is None:
                return rf"\frac{{\partial f}}{{\partial {tex[a]}}}"
            below = (
                rf"\partial {tex[a]}^{{2}}"
                if a == b
                else rf"\partial {tex[a]} \, \partial {tex[b]}"
            )
            return rf"\frac{{\partial^{{2}} f}}{{{below}}}"

        if len(names) == 1:
            x = tex[names[0]]
            gradient = (data(f.derivative(), f"f'({names[0]})", f"f'({x})"),)
            hessian = ((data(f.derivative(order=2), f"f''({names[0]})", f"f''({x})"),),)
        else:
            gradient = tuple(
                data(g, f"∂f/∂{a}", partial(a)) for g, a in zip(f.gradient(), names, strict=True)
            )
            hessian = tuple(
                tuple(
                    data(h, f"∂²f/∂{a}²" if a == b else f"∂²f/∂{a}∂{b}", partial(a, b))
                    for h, b in zip(row, names, strict=True)
                )
                for row, a in zip(f.hessian(), names, strict=True)
            )
        function = data(f, f"f({', '.join(names)})", f"f({', '.join(tex[n] for n in names)})")
        outcome = {"status": "ok", "variables": names, "function": function}
        outcome |= {"gradient": gradient, "hessian": hessian}
    except ParseError as error:
        outcome = {"status": "error", "message": error.message}
        outcome |= {"error_start": error.start, "error_end": error.end}
    except Exception as error:  # a failure inside sympy is one bad request, not a dead worker
        why = str(error) or type(error).__name__
        message = f"Could not work out the derivatives of {_quote(text)}: {why}"
        outcome = {"status": "error", "message": message}
    return EngineResult(request_id, text, seconds=time.perf_counter() - began, **outcome)


def _worker_main(conn: Connection) -> None:
    """Worker process: warm up sympy, say ready, then answer requests until EOF."""
    # Ctrl+C in the terminal is for the parent, which stops the worker itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    analyse("x^2")
    conn.send(("ready",))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        _, request_id, text = message
        result = analyse(text, request_id)
        try:
            conn.send(("result", result))
        except Exception as error:  # pickling failed (nothing was written): report it
            why = f"Could not send back the derivatives of {_quote(text)}: {error}"
            conn.send(("result", EngineResult(request_id, text, "error", why)))


@dataclass
class _Request:
    request_id: int
    text: str
    deadline: float
    started: float | None = None  # monotonic time the worker could begin it


class Engine:
    """One persistent worker process doing the symbolic work, with deadlines.

    Not thread-safe: use it from one thread (the GUI thread).

    Parameters
    ----------
    deadline
        Default seconds of worker time one request may take.
    startup_timeout
        Seconds a new worker may take to import sympy and report ready.

    Examples
    --------
    >>> with Engine() as engine:
    ...     result = engine.compute("x^2")
    >>> result.derivative.text
    '2*x'
    """

    def __init__(self, deadline: float = 2.0, startup_timeout: float = 60.0) -> None:
        self.deadline = deadline
        self.startup_timeout = startup_timeout
        self.latest_id = 0
        """Id of the newest submitted request; results with other ids are stale."""
        self._context = multiprocessing.get_context("spawn")
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._spawned_at = 0.0
        self._ready = False
        self._in_flight: _Request | None = None
        self._queued: _Request | None = None
        self._backlog: list[EngineResult] = []

    def start(self) -> None:
        """Start the worker if it is not running. Returns at once; sympy loads in it."""
        if self._process is not None:
            return
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main, args=(child,), name="calcstudio-engine", daemon=True
        )
        process.start()
        child.close()
        self._process, self._conn = process, parent
        self._spawned_at = time.monotonic()
        self._ready = False

    def _stop_worker(self) -> None:
        process, conn = self._process, self._conn
        self._process = self._conn = None
        self._ready = False
        if conn is not None:
            conn.close()
        if process is not None:  # it holds nothing worth a graceful exit
            process.terminate()
            process.join(1.0)
            if process.is_alive():
                process.kill()
                process.join()

    def close(self) -> None:
        """Stop the worker and forget queued work. The engine can be started again."""
        self._stop_worker()
        self._in_flight = self._queued = None

    def __enter__(self) -> Engine:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def ready(self) -> bool:
        """True once the worker has imported sympy (as seen by the last poll)."""
        return self._ready

    @property
    def busy(self) -> bool:
        """True while a request is in flight or queued: keep polling."""
        return self._in_flight is not None or self._queued is not None

    @property
    def pid(self) -> int | None:
        """Process id of the worker, or None if it is not running."""
        return None if self._process is None else self._process.pid

    def fileno(self) -> int | None:
        """File descriptor that becomes readable when the worker has something to say.

        For a ``QSocketNotifier``. It changes when the worker is respawned, so check it
        after each :meth:`poll`; deadlines still need a timer (see :meth:`seconds_to_next_check`).
        """
        return None if self._conn is None else self._conn.fileno()

    def seconds_to_next_check(self) -> float | None:
        """Seconds until :meth:`poll` must run to enforce a deadline; None if idle."""
        now = time.monotonic()
        if self._in_flight is None:
            return None
        if not self._ready:
            return max(0.0, self._spawned_at + self.startup_timeout - now)
        started = self._in_flight.started
        return None if started is None else max(0.0, started + self._in_flight.deadline - now)

    def submit(self, text: str, deadline: float | None = None) -> int:
        """Queue ``text``; return its request id. Never blocks.

        If the worker is free the text is sent at once. Otherwise it waits for the
        worker, replacing any text queued earlier (which then gets no result).
        """
        self.start()
        self.latest_id += 1
        request = _Request(self.latest_id, text, self.deadline if deadline is None else deadline)
        if self._in_flight is None:
            self._send(request)
        else:
            self._queued = request
        return request.request_id

    def _send(self, request: _Request) -> None:
        message = ("request", request.request_id, request.text)
        self.start()
        assert self._conn is not None
        try:
            self._conn.send(message)
        except OSError:  # the worker died while idle: start a fresh one
            self._stop_worker()
            self.start()
            assert self._conn is not None
            self._conn.send(message)
        request.started = time.monotonic() if self._ready else None
        self._in_flight = request

    def poll(self) -> list[EngineResult]:
        """Collect finished results without blocking; enforce deadlines; send queued text.

        Returns
        -------
        list of EngineResult
            Oldest first. Includes stale results: drop those whose ``request_id`` is not
            :attr:`latest_id`.
        """
        results, self._backlog = self._backlog, []
        return results + self._collect()

    def _collect(self) -> list[EngineResult]:
        results = self._receive() + self._enforce_deadline()
        if self._in_flight is None and self._queued is not None:
            request, self._queued = self._queued, None
            self._send(request)
        return results

    def _receive(self) -> list[EngineResult]:
        results: list[EngineResult] = []
        try:
            while self._conn is not None and self._conn.poll():
                message = self._conn.recv()
                if message[0] == "ready":
                    self._ready = True
                    if self._in_flight is not None:
                        self._in_flight.started = time.monotonic()
                else:
                    results.append(message[1])
                    self._in_flight = None
        except (EOFError, OSError):  # the worker died; a new one starts with the next request
            assert self._process is not None
            self._process.join(1.0)
            results += self._abandon(
                "crashed",
                f"The symbolic engine stopped unexpectedly (exit code {self._process.exitcode})"
                " while working on {}; it has been restarted.",
            )
        return results

    def _enforce_deadline(self) -> list[EngineResult]:
        request, wait = self._in_flight, self.seconds_to_next_check()
        if request is None or wait is None or wait > 0:
            return []
        if self._ready:
            why = f"Working out the derivatives of {{}} took longer than {request.deadline:g} s"
            results = self._abandon("timeout", why + ", so it was stopped.", request.deadline)
        else:
            why = f"The symbolic engine did not start within {self.startup_timeout:g} s"
            results = self._abandon("timeout", why + ", so {} was not worked out.")
        self.start()
        return results

    def _abandon(self, status: Status, template: str, seconds: float = 0.0) -> list[EngineResult]:
        """Stop the worker; the request in flight gets a result: ``template`` with its text."""
        request, self._in_flight = self._in_flight, None
        self._stop_worker()
        if request is None:
            return []
        message = template.format(_quote(request.text))  # user text is an argument: safe
        return [EngineResult(request.request_id, request.text, status, message, seconds=seconds)]

    def compute(self, text: str, deadline: float | None = None) -> EngineResult:
        """Submit ``text`` and wait for its result (blocking).

        Parameters
        ----------
        text
            The function as typed.
        deadline
            Seconds of worker time allowed; ``Engine.deadline`` if None. A cold start
            does not count against it.

        Returns
        -------
        EngineResult
            Results for other requests that arrive meanwhile are kept for :meth:`poll`.
        """
        request_id = self.submit(text, deadline)
        while True:
            for result in self._collect():
                if result.request_id == request_id:
                    return result
                self._backlog.append(result)
            wait = self.seconds_to_next_check()
            if self._conn is not None:
                self._conn.poll(0.1 if wait is None else min(wait + 0.001, 0.1))


__all__ = ["Engine", "EngineResult", "ExpressionData", "Status", "analyse"]
