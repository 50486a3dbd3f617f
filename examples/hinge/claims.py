r"""Claims of ``hinge_notes.md`` (next to this file): a course author's own document, certified.

Run (from the project root; nothing in the package is edited)::

    pytest checks/test_claims.py checks/test_traceability.py --claims examples/hinge --claim hinge

The derivations live in this module, with the math in their docstrings; the
claims below cite the notes (document, section, a verbatim quote) and say how
each statement is certified. One statement of the notes is wrong as written
(``hinge.squared.grad``): the suite shows it failing on a shrunk counterexample
and certifies the correction.

Labels: the notes use :math:`y \in \{-1, +1\}`; the engine's ``Binary()`` domain
draws :math:`b \in \{0, 1\}`, mapped here by :math:`y = 2b - 1` (exact in floating point).
"""
import jax.numpy as jnp

from checks.engine import Args, Binary, Claim, Derivative, Identity, Inequality, Kind, Real, Source, Tol, Verdict

DOCUMENTS = "."  # the cited documents are in this directory (relative to this file)
NOTES = "hinge_notes.md"


# --- derivations ------------------------------------------------------------------------------

def label(b):
    r"""The label :math:`y = 2b - 1 \in \{-1, +1\}` of a binary :math:`b \in \{0, 1\}`."""
    return 2 * b - 1


def hinge(z, b):
    r"""The hinge loss :math:`\ell(z, y) = \max(0, 1 - yz)`.

    Numerics: :math:`yz` is exact (:math:`y = \pm 1`); :math:`1 - yz` is one rounding.

    >>> float(hinge(0.5, 1.0))
    0.5
    """
    return jnp.maximum(0, 1 - label(b) * z)


def squared_hinge(z, b):
    r"""The squared hinge :math:`\ell_2(z, y) = \max(0, 1 - yz)^2`: the from-scratch forward autodiff differentiates."""
    return hinge(z, b) ** 2


def squared_hinge_grad(z, b):
    r"""The gradient of the squared hinge with respect to the score.

    .. math:: \frac{\partial}{\partial z} \max(0, 1 - yz)^2 = -2y\,\max(0, 1 - yz)

    Derivation:

    1. Outer function :math:`u \mapsto \max(0, u)^2`, derivative :math:`2\max(0, u)` (also at
       :math:`u = 0`, where both one-sided derivatives are 0: the kink of the hinge is gone).
    2. Inner function :math:`u = 1 - yz`, derivative :math:`\partial u / \partial z = -y`.
    3. Chain rule: :math:`2\max(0, 1 - yz) \cdot (-y)`.

    ``hinge_notes.md`` ("Its gradient") drops the factor :math:`-y` of step 3; its form is right
    only for :math:`y = -1`.

    Numerics: one rounding (:math:`1 - yz`); the factors 2 and :math:`-y` are exact.

    >>> float(squared_hinge_grad(0.0, 1.0))
    -2.0
    """
    return -2 * label(b) * hinge(z, b)


def squared_hinge_grad_as_written(z, b):
    r"""The notes' :math:`2\max(0, 1 - yz)`, kept to show where it fails."""
    return 2 * hinge(z, b)


# --- claims -----------------------------------------------------------------------------------

ONE_ROUNDING = "1 - yz is one rounding (<= 0.5u); x2, x(-y) and y*z are exact"
LABELED = Args(Real(), Binary())  # every magnitude of score, both labels

CLAIMS = [
    Claim(
        id="hinge.definition",
        statement=r"\ell(z, y) = \max(0, 1 - yz),\quad y \in \{-1, +1\}",
        sources=Source(NOTES, "The hinge loss", "For a label $y$ and a score $z$ the hinge loss is"),
        kind=Kind.DEFINITION,
        verdict=Verdict.DEFINITION,
        derivation=hinge,
    ),
    Claim(
        id="hinge.upper-bounds-zero-one",
        statement=r"\mathbb{1}[yz \le 0] \le \max(0, 1 - yz)",
        sources=Source(NOTES, "The hinge loss", "the hinge loss is an upper bound on the zero-one loss"),
        kind=Kind.INEQUALITY,
        verdict=Verdict.HOLDS,
        derivation=hinge,
        check=Inequality(
            lower=lambda z, b: jnp.where(label(b) * z <= 0, 1, 0).astype(z.dtype),
            upper=hinge,
            domain=LABELED,
            # where yz <= 0, 1 - yz = 1 + |z| rounds to a value >= 1: the comparison needs no slack
            tol=Tol(1, "1 - yz >= 1 also after rounding when yz <= 0: no slack needed beyond one ulp"),
        ),
    ),
    Claim(
        id="hinge.squared.grad",
        statement=r"\frac{\partial}{\partial z}\max(0, 1 - yz)^2 = -2y\max(0, 1 - yz)",
        sources=Source(NOTES, "Its gradient",
                       "the gradient of the squared hinge with respect to the score is $2\\max(0, 1 - yz)$"),
        kind=Kind.GRADIENT,
        verdict=Verdict.ERRATUM,
        derivation=squared_hinge_grad,
        check=Derivative(
            forward=squared_hinge, derivative=squared_hinge_grad, domain=LABELED, wrt=0,
            tol=Tol(2, ONE_ROUNDING),
        ),
        as_written=r"\frac{\partial}{\partial z}\max(0, 1 - yz)^2 = 2\max(0, 1 - yz)",
        as_written_check=Derivative(
            forward=squared_hinge, derivative=squared_hinge_grad_as_written, domain=LABELED, wrt=0,
            tol=Tol(2, ONE_ROUNDING),
        ),
        note="The notes drop the chain rule's inner derivative -y: their form has the wrong sign for y = +1.",
    ),
    Claim(
        id="hinge.squared.grad-squared-is-4-loss",
        statement=r"\Big(\frac{\partial \ell_2}{\partial z}\Big)^2 = 4\,\ell_2(z, y)",
        sources=Source(NOTES, "Its gradient", "the square of the gradient is four times the loss"),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        derivation=squared_hinge_grad,
        check=Identity(
            lhs=lambda z, b: squared_hinge_grad(z, b) ** 2,
            rhs=lambda z, b: 4 * squared_hinge(z, b),
            domain=LABELED,
            # each side squares 1 - yz (<= 0.5u relative): 2 x 0.5u + 0.5u for the square; x4 exact
            tol=Tol(3, "each side: (1 - yz) squared, <= 1.5u relative; the factors 4 and 2 are exact"),
        ),
        note="Holds for the correct gradient (-2y max(0, 1-yz)) and for the notes' form alike, since y^2 = 1.",
    ),
]
