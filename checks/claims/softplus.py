"""Claims about the softplus: definition, range, the smooth ReLU, its ties to the sigmoid."""
import jax.numpy as jnp

from derivations import sigmoid as sg
from derivations import softplus as sp

from checks.engine import Claim, Custom, Derivative, Identity, Inequality, Kind, Real, Source, Tol, Verdict

from . import _mp_binary as mpb
from ._sources import DOC000, DOC002

# Tolerance counts: u = eps per operation (a correctly rounded +, -, *, / errs by at most eps/2, XLA's exp and log
# by about an ulp: one eps covers both); a Tol is the count, unless a count says it uses u = eps/2.
BASIC = "Basic concepts and notation"

CLAIMS = [
    Claim(
        id="softplus.definition",
        statement=r"\zeta(x) := \log(1 + e^{x})",
        sources=(Source(DOC002, BASIC, r"is defined as $$ \zeta(x) := \log(1+\exp(x))$$"),),
        kind=Kind.DEFINITION,
        verdict=Verdict.DEFINITION,
        derivation=sp.softplus_naive,
    ),
    Claim(
        id="softplus.range",
        statement=r"0 < \zeta(x) < \infty \ \forall x \in \mathbb{R}",
        sources=(Source(DOC002, BASIC, r"$$ \zeta : (-\infty,\infty) \longrightarrow (0,\infty)$$"),),
        kind=Kind.INEQUALITY,
        verdict=Verdict.HOLDS,
        derivation=sp.softplus,
        check=Inequality(
            lower=lambda x: jnp.stack([jnp.zeros_like(x), sp.softplus(x)]),
            upper=lambda x: jnp.stack([sp.softplus(x), jnp.full_like(x, jnp.inf)]),
            # zeta(x) ~ e^x is a normal number in both dtypes down to x = -80 (float32's smallest normal is
            # e^-87.3); below, the positive value rounds to a subnormal or 0 and strictness cannot be seen
            domain=Real(lo=-80.0), strict=True,
            tol=Tol(1, "strict: checked exactly as computed, no slack"),
        ),
        note="log(1 + t) > 0 for t = e^x > 0, and finite. Checked for x >= -80 (below, zeta(x) < e^-80 "
             "underflows in float32) and up to the largest float (zeta(max) = max, still finite).",
    ),
    Claim(
        id="softplus.softer-relu",
        statement=r"\zeta(x) - x^{+} = \zeta(-|x|) = \log(1 + e^{-|x|}) \in (0, \log 2], \ \to 0 \text{ as } |x| \to \infty",
        sources=(Source(DOC002, BASIC, "It is essentially a softer version of"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        derivation=sp.relu_gap_exact,
        check=Identity(
            lhs=sp.relu_gap, rhs=sp.relu_gap_exact, 
            scale=lambda x: sp.softplus(x) + jnp.maximum(x, 0),
            domain=Real(),
            # the left side subtracts x+ from zeta(x) (<= 3u of zeta): its error is relative to the terms,
            # the right side's log1p(exp) <= 2u relative to itself (smaller than the terms)
            tol=Tol(6, "zeta(x) - x+ : zeta's 3u + the subtraction's 1u, relative to the terms; right side 2u"),
        ),
        note="The gap to the ReLU is exactly zeta(-|x|): positive, largest (log 2) at 0, below e^{-|x|} "
             "(softplus.relu-asymptote), so 'softer version of x+' is exact: the two differ by a smooth bump.",
    ),
    Claim(
        id="softplus.log-sigmoid",
        statement=r"-\log\sigma(x) = \zeta(-x) \quad(\text{equivalently } \log\sigma(x) = -\zeta(-x))",
        sources=(Source(DOC002, BASIC, "The log sigmoid is softplus"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.ERRATUM,
        as_written=r"-\log(\sigma(x)) = -\zeta(-x)",
        derivation=sp.log_sigmoid,
        check=Identity(
            lhs=lambda x: -jnp.log(sg.sigmoid(x)), rhs=lambda x: sp.softplus(-x), 
            # sigma(x) is normal for x >= -80 in both dtypes; below, log of the rounded sigmoid is -inf or
            # loses its digits (the reason to evaluate zeta(-x) instead)
            domain=Real(lo=-80.0),
            # log of sigma (3u relative) is an absolute error 3u + the log's 1u: judged against max(|v|, 1)
            tol=Tol(5, "-log(sigma): sigma's 3u relative becomes 3u absolute, plus the log's 1u", absolute=True),
        ),
        as_written_check=Identity(
            lhs=lambda x: -jnp.log(sg.sigmoid(x)), rhs=sp.neg_log_sigmoid_as_written_002, domain=Real(lo=-80.0),
            tol=Tol(5, "as for the correction", absolute=True),
        ),
        note="Sign erratum: -log sigma(x) > 0 while -zeta(-x) < 0. The derivation is "
             "log sigma(x) = -log(1 + e^{-x}) = -zeta(-x).",
    ),
    Claim(
        id="softplus.derivative",
        statement=r"\frac{d\zeta(x)}{dx} = \frac{e^{x}}{1 + e^{x}} = \sigma(x)",
        sources=(Source(DOC002, BASIC, "The derivative of softplus is sigmoid"),),
        kind=Kind.GRADIENT,
        verdict=Verdict.HOLDS,
        derivation=sp.softplus_grad,
        check=Derivative(
            forward=sp.softplus_naive, derivative=sp.softplus_grad, domain=Real(),
            # hand: the stable sigmoid, <= 3u; autodiff of log(1 + e^x): exp, add, reciprocal, multiply <= 4u
            tol=Tol(7, "hand sigma <= 3u; autodiff of log(1+e^x) <= 4u"),
        ),
        note="The first equality is the chain rule; the second is sigmoid.two-forms. Autodiff of the literal "
             "log(1+e^x) is nan for x > 88.7 (float32): the referee sides with the hand result there.",
    ),
    Claim(
        id="softplus.relu-asymptote",
        statement=r"|\zeta(x) - x^{+}| = \zeta(-|x|) \le e^{-|x|}",
        sources=(Source(DOC002, "Properties in connection with gradient descent", "is basically linear for"),),
        kind=Kind.LIMIT,
        verdict=Verdict.IMPRECISE,
        condition=r"|\zeta(x) - \max(0, x)| \le \min(\log 2, e^{-|x|}): \zeta is within e^{-|x|} of x for x > 0 "
                  r"and of 0 for x < 0, but not near 0, where the gap is largest (\log 2 at x = 0).",
        derivation=sp.relu_gap_exact,
        check=Inequality(
            lower=sp.relu_gap_exact, upper=lambda x: jnp.exp(-jnp.abs(x)), domain=Real(),
            # log(1 + t) <= t is tight as t -> 0: slack = log1p(exp) <= 2u plus exp <= 1u, relative
            tol=Tol(4, "the bound is asymptotically tight: log1p(exp) 2u + exp 1u, relative"),
        ),
        note="'Basically linear for x > 0 and zero for x < 0' is the ReLU; the error is the gap "
             "zeta(-|x|) (softplus.softer-relu), certified here to be below e^{-|x|}: under 1% for |x| > 4.6.",
    ),
    Claim(
        id="softplus.antiderivative",
        statement=r"\int_{-\infty}^{x}\sigma(t)\,dt = \zeta(x) = \log(1 + e^{x})",
        sources=(Source(DOC000, "Binary Logistic Regression", "Three interesting properties of this function are:"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        reconstructed=True,
        derivation=sp.softplus_grad,
        check=Custom(
            run=mpb.antiderivative(sp.softplus, tol=4),
            description="mpmath quadrature of sigma from -inf to x at 15 points in [-100, 100] against mpmath's "
                        "softplus (40 digits), and the float softplus against the quadrature (<= 4 ulps)",
        ),
        note="000's third property (formula lost; a public copy of the notes has int sigma(z) dz = log(1+e^z) = "
             "zeta(z)). As an indefinite integral it holds up to a constant; from -inf the constant is 0 "
             "because zeta(x) -> 0 as x -> -inf. The derivative form is softplus.derivative.",
    ),
]
