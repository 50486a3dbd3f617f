r"""Template: certify the claims of YOUR OWN document, without editing this package.

Copy this file next to your notes, fill in one ``Claim`` per statement, and run::

    pytest checks/test_claims.py checks/test_traceability.py --claims path/to/this_file.py
    # or, for good, in your pytest.ini / pyproject.toml:  certify_claims = path/to/claims_dir

Every claim is then certified in float32 and float64 against autodiff and against the exact
truth of your own code (its functions evaluated in ball arithmetic: no second program to write);
a failure prints a shrunk counterexample and a ``python -m checks repro ...`` command. A worked
example: ``examples/hinge/``.
"""
import jax.numpy as jnp          # your derivations: jax.numpy only, so autodiff and the exact oracle can read them

from checks.engine import Claim, Derivative, Kind, Real, Source, Tol, Verdict

# Where the cited documents live, relative to this file. Leave it out to use the project's
# `certify_documents` setting. Each quote must appear verbatim in its section (whitespace aside).
DOCUMENTS = "."


# 1. The derivation: a from-scratch forward definition (what autodiff differentiates) and your
#    hand-derived result, with the math and the derivation in the docstring.
def tanh_forward(x):
    r""":math:`\tanh x = (e^{x} - e^{-x}) / (e^{x} + e^{-x})`, written out (not ``jnp.tanh``, whose
    derivative rule would be the formula under test). In float32 it is nan (inf/inf) for :math:`|x| > 88.7`,
    and autodiff's quotient rule squares the denominator, which overflows already beyond :math:`|x| = 44`."""
    return (jnp.exp(x) - jnp.exp(-x)) / (jnp.exp(x) + jnp.exp(-x))


def tanh_grad(x):
    r""":math:`\tanh' x = 1 - \tanh^2 x = 4 / (e^{x} + e^{-x})^2`, by the quotient rule on the definition above.

    Numerics: evaluated as :math:`4e / (1 + e)^2` with :math:`e = e^{-2|x|} \le 1` (no overflow);
    the form :math:`1 - \tanh^2 x` cancels as :math:`\tanh x \to 1` (it is 0 beyond :math:`|x| = 9`
    in float32, where the true value is 6e-8).
    """
    e = jnp.exp(-2 * jnp.abs(x))
    return 4 * e / (1 + e) ** 2


# 2. The claims: what is stated (LaTeX), where (document, section heading, a short verbatim quote),
#    the verdict, and how it is checked. Ids are lower-case dotted and unique.
CLAIMS = [
    Claim(
        id="mynotes.tanh.derivative",
        statement=r"\tanh'(x) = 1 - \tanh^2(x)",
        sources=Source("my_notes.md", "Activations", "the derivative of tanh is"),
        kind=Kind.GRADIENT,
        verdict=Verdict.HOLDS,   # ERRATUM (+ as_written, as_written_check), IMPRECISE (+ condition),
                                 # BELIEF, DEFINITION (no check)
        derivation=tanh_grad,
        check=Derivative(
            forward=tanh_forward, derivative=tanh_grad,
            # inputs: every magnitude of the dtype in [-40, 40]: the written-out forward's square
            # overflows beyond |x| = 44 in float32, a limit of the oracle, not of the claim
            domain=Real(-40, 40),
            # a tolerance in eps, with its reason: count the roundings (u = eps each). Where autodiff of the quotient
            # cancels (it computes 1 - tanh^2 in effect), the exact derivative sides with the hand result and the
            # report counts it as autodiff's error (a "finding"), not the claim's
            tol=Tol(9, "hand 4e/(1 + e)^2: exp, the add doubled by the square, square, divide: 5u; autodiff of the "
                       "quotient where it does not cancel: exps, add, divide, subtract: 4u"),
        ),
    ),
]

# 3. What no declarative check expresses (a simulation, a search, a threshold): Custom(run=fn,
#    description=...), where fn(dtype, budget) measures and returns
#    checks.engine.outcome(dtype, ok, [checks.engine.evidence(what, dtype, points, max_error, tolerance, note)],
#    message, counterexample) -- or checks.engine.judged(dtype, [(evidence, ok), ...]) when each row has its own verdict.
