"""Which names are variables, and the hints for names that are not (core.language.names)."""

from __future__ import annotations

import pytest

from calcstudio.core.function import parse
from calcstudio.core.language import ParseError, parse_tree

VARIABLES = [
    ("x + y", ("x", "y")),
    ("w1^2 + w_2", ("w1", "w_2")),
    ("x_min + x12", ("x12", "x_min")),
    ("theta^2 + alpha2", ("alpha2", "theta")),
    ("theta_1 * lambda", ("lambda", "theta_1")),
    ("θ^2", ("θ",)),
    ("f(loss) = loss^2", ("loss",)),
    ("f(w) = w sin(w)", ("w",)),
]


@pytest.mark.parametrize(("text", "variables"), VARIABLES)
def test_single_letters_subscripts_greek_and_declared_names_are_variables(
    text: str, variables: tuple[str, ...]
) -> None:
    assert parse_tree(text).variables == variables


NOT_VARIABLES = [
    # Half-typed function names: the last good plot stays, and the hint completes them.
    ("si", "'si' is not a variable; did you mean sin(…) or s·i?", (0, 2)),
    ("sig(x)", "did you mean sign(x)?", (0, 3)),
    ("th", "did you mean theta or t·h?", (0, 2)),
    ("ex", "did you mean exp(…) or e·x?", (0, 2)),
    # Products typed without a space or '*'.
    ("xsin(x)", "'xsin' is not a variable; did you mean x·sin(x)?", (0, 4)),
    ("xe^x", "'xe' is not a variable; did you mean x·e^x?", (0, 2)),
    ("xx", "'xx' is not a variable; did you mean x·x?", (0, 2)),
    ("2mx + c", "did you mean m·x?", (1, 3)),
    ("xsinx", "did you mean x·sin(x)?", (0, 5)),
    ("xy(x + 1)", "did you mean x·y(x + 1)?", (0, 2)),
    ("f(w) = ww", "'ww' is not a variable; did you mean w·w?", (7, 9)),
    # Neither: the rule itself is the hint.
    ("word + 1", "variables are one letter (x, w1, x_2) or a Greek name (theta)", (0, 4)),
    ("factorial(x)", "unknown function 'factorial'", (0, 9)),
]


@pytest.mark.parametrize(("text", "message", "span"), NOT_VARIABLES)
def test_other_runs_of_letters_are_errors_with_a_hint(
    text: str, message: str, span: tuple[int, int]
) -> None:
    with pytest.raises(ParseError) as caught:
        parse_tree(text)
    assert message in caught.value.message
    assert (caught.value.start, caught.value.end) == span


@pytest.mark.parametrize("text", ["x·sin(x)", "x*e^x", "x x", "x sin(x)"])
def test_the_suggested_spelling_parses_to_the_product(text: str) -> None:
    assert parse(text).text == parse(text.replace("·", "*").replace(" ", "*")).text


def test_a_hint_is_itself_valid_input() -> None:
    with pytest.raises(ParseError) as caught:
        parse_tree("xsin(x)")
    hint = caught.value.message.split("did you mean ")[1].rstrip("?")
    assert parse(hint).text == "x*sin(x)"
