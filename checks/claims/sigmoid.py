"""Claims about the logistic sigmoid."""
from derivations import sigmoid as sg

from checks.engine import Claim, Derivative, Kind, Real, Source, Tol, Verdict

from . import _mp
from ._sources import DOC000, DOC002

CLAIMS = [
    Claim(
        id="sigmoid.derivative",
        statement=r"\sigma'(z) = \sigma(z)\,(1 - \sigma(z))",
        sources=(
            Source(DOC002, "Basic concepts and notation", "The derivative of the sigmoid is"),
            Source(DOC000, "Multi-class Logistic Regression",
                   "It's derivative is also similar (in fact, for the first case it's the same)"),
        ),
        kind=Kind.GRADIENT,
        verdict=Verdict.HOLDS,
        derivation=sg.sigmoid_grad,
        check=Derivative(
            forward=sg.sigmoid_naive, derivative=sg.sigmoid_grad, domain=Real(),
            referee=_mp.sigmoid_grad, forward_mp=_mp.sigmoid,
            # hand: two sigmoids (exp <= 1 ulp, add, divide: <= 3u each) and a product: <= 7u;
            # autodiff of 1/(1+e^{-z}): exp, add, square, divide, multiply: <= 5u. Sum, rounded up.
            tol=Tol(12, "hand sigma(z)sigma(-z) <= 7u plus autodiff's e^-z/(1+e^-z)^2 <= 5u"),
        ),
        note="Evaluated as sigma(z)sigma(-z): the literal sigma(1-sigma) cancels to 0 for z > 36.7 (float64).",
    ),
]
