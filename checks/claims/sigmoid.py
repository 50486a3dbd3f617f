"""Claims about the logistic sigmoid: definition, range, limits, symmetry, derivative, logit, and its two forms."""
import jax.numpy as jnp
import numpy as np

from derivations import sigmoid as sg

from checks.engine import Args, Claim, Custom, Derivative, Exists, Identity, Inequality, Kind, Real, Source, Tol, Verdict

from . import _mp_binary as mpb
from ._exact import exact_values
from ._sources import DOC000, DOC001, DOC002

# Tolerance counts: u = eps per operation (a correctly rounded +, -, *, / errs by at most eps/2, XLA's exp and log
# by about an ulp: one eps covers both); a Tol is the count, unless a count says it uses u = eps/2.
BASIC, STABILITY, BINARY_000, BINARY_001 = (
    "Basic concepts and notation", "Numerical stability", "Binary Logistic Regression",
    "Logistic Regression as Probability Model; Binary Classification")
PROPERTIES_000 = Source(DOC000, BINARY_000, "Three interesting properties of this function are:")

# sigma(+-x) are normal numbers in both dtypes for |x| <= 80 (float32's smallest normal is e^-87.3):
# beyond, they round to a subnormal or to 0 and a strict or logarithmic statement cannot be seen in floats
NORMAL = Real(-80.0, 80.0)


def _at_zeros(f):
    """``f`` at +0 and -0 in the dtype, compiled as the claims run it."""
    return lambda dtype: mpb.jit_vmap(f)(np.asarray([0.0, -0.0], dtype))

CLAIMS = [
    Claim(
        id="sigmoid.definition",
        statement=r"\sigma(x) := \frac{1}{1 + e^{-x}}",
        sources=(
            Source(DOC002, BASIC, r"is defined as $$ \sigma(x) := \frac{1}{1+\exp(-x)}"),
            Source(DOC001, BINARY_001, r"$\sigma(z)$ as the sigmoid function $\sigma(z) = \frac{1}{1 + e^{-z}}$"),
            Source(DOC000, BINARY_000, "The sigmoid function is defined as follows:"),
        ),
        kind=Kind.DEFINITION,
        verdict=Verdict.DEFINITION,
        reconstructed=True,
        derivation=sg.sigmoid_naive,
        note="000 lost the formula after 'defined as follows:'; the logistic function it names is this one.",
    ),
    Claim(
        id="sigmoid.range",
        statement=r"0 < \sigma(x) < 1 \ \forall x \in \mathbb{R} \quad(\text{as } \sigma(x) > 0 \text{ and } 1 - \sigma(x) = \sigma(-x) > 0)",
        sources=(
            Source(DOC002, BASIC, "It has the property that it maps any value to the open interval"),
            Source(DOC001, BINARY_001, "since it bounds out output between 0 and 1"),
            Source(DOC000, BINARY_000, "We have a particular requirement for this parameter"),
        ),
        kind=Kind.INEQUALITY,
        verdict=Verdict.HOLDS,
        reconstructed=True,
        derivation=sg.sigmoid,
        check=Inequality(
            lower=lambda x: jnp.zeros((2,), x.dtype),
            upper=lambda x: jnp.stack([sg.sigmoid(x), sg.sigmoid(-x)]),
            domain=NORMAL, strict=True,
            tol=Tol(1, "strict: checked exactly as computed, no slack"),
        ),
        note="The upper bound is certified as 1 - sigma(x) = sigma(-x) > 0: in floats sigma(x) itself rounds to "
             "1 for x > 16.6 (float32), 36.7 (float64), so 'sigma(x) < 1' is a statement about the reals. "
             "Checked on |x| <= 80, where sigma(+-x) are normal numbers in both dtypes; beyond, the positive "
             "value rounds to a subnormal or 0. 000 asks for a in [0, 1]; the sigmoid gives the open interval.",
    ),
    Claim(
        id="sigmoid.two-forms",
        statement=r"\frac{1}{1 + e^{-x}} = \frac{e^{x}}{1 + e^{x}}",
        sources=(
            Source(DOC002, BASIC, r"\sigma(x) := \frac{1}{1+\exp(-x)} = \frac{\exp(x)}{1+\exp(x)}"),
            Source(DOC002, STABILITY, "However it can be written in two different forms"),
            Source(DOC002, "Properties in connection with gradient descent",
                   r"\sigma(-y) = \frac{\exp(-y)}{1+\exp(-y)}"),
            Source(DOC000, BINARY_000, "The sigmoid function is defined as follows:"),
        ),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        reconstructed=True,
        derivation=sg.sigmoid_second_form,
        check=Identity(
            lhs=sg.sigmoid_naive, rhs=sg.sigmoid_second_form, 
            # both forms finite in float32 for |x| < 88.72; beyond, one of them overflows (the stability claims)
            domain=Real(-88.0, 88.0),
            tol=Tol(6, "each side: exp <= 1u, add, divide: <= 3u; the two sides against each other: 6u"),
        ),
        note="Multiply numerator and denominator by e^x. Checked where neither form overflows (|x| <= 88 "
             "covers float32's exp range); what each form does beyond is sigmoid.numerics.*.",
    ),
    Claim(
        id="sigmoid.limit-left",
        statement=r"0 < \sigma(x) < e^{x}, \text{ so } \lim_{x\to-\infty}\sigma(x) = 0",
        sources=(Source(DOC002, BASIC, "The left limit is 0"),),
        kind=Kind.LIMIT,
        verdict=Verdict.HOLDS,
        derivation=sg.sigmoid_naive,
        check=Inequality(
            lower=sg.sigmoid_naive, upper=jnp.exp, domain=Real(),
            # sigma(x) = e^x / (1 + e^x): the bound is tight to a factor 1/(1 + e^x) -> 1 as x -> -inf, so the
            # slack is the evaluation error: sigma (exp, add, divide) <= 3u plus exp <= 1u, relative
            tol=Tol(4, "the bound is asymptotically tight: slack = sigma's 3u + exp's 1u, relative"),
        ),
        note="sigma(x) = e^x / (1 + e^x) < e^x: below any eps > 0 once x < log eps. Positivity is sigmoid.range.",
    ),
    Claim(
        id="sigmoid.limit-right",
        statement=r"0 < 1 - \sigma(x) < e^{-x}, \text{ so } \lim_{x\to\infty}\sigma(x) = 1",
        sources=(Source(DOC002, BASIC, "The right limit is 1"),),
        kind=Kind.LIMIT,
        verdict=Verdict.HOLDS,
        derivation=sg.sigmoid_naive,
        check=Inequality(
            lower=lambda x: 1 - sg.sigmoid_naive(x), upper=lambda x: jnp.exp(-x), domain=Real(),
            # 1 - sigma(x) is computed with an absolute error <= 4u (sigma's 3u and the subtraction), which
            # is what separates it from e^{-x} once e^{-2x} < u: an absolute slack on an O(1) quantity
            tol=Tol(4, "1 - sigma(x) carries <= 4u absolute error (sigma 3u, subtraction 1u)", absolute=True),
        ),
        note="1 - sigma(x) = e^{-x}/(1 + e^{-x}) < e^{-x}. The gap is computed literally (1 - sigma), so its "
             "floating-point check is up to an absolute 4 eps.",
    ),
    Claim(
        id="sigmoid.at-zero",
        statement=r"\sigma(0) = \tfrac{1}{2}",
        sources=(Source(DOC002, BASIC, "At zero we are in the middle of the limits"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        derivation=sg.sigmoid_naive,
        check=Custom(
            run=exact_values([(name, _at_zeros(f), 0.5) for name, f in (
                ("first form", sg.sigmoid_naive), ("second form", sg.sigmoid_second_form), ("stable form", sg.sigmoid))]),
            description="both forms and the stable sigmoid at +0 and -0 give exactly 0.5 (e^0 = 1, 1/(1+1) exact)",
        ),
        note="1/(1 + e^0) = 1/2 exactly, and every evaluation reproduces it exactly (tolerance 0).",
    ),
    Claim(
        id="sigmoid.symmetry",
        statement=r"1 - \sigma(z) = \sigma(-z)",
        sources=(PROPERTIES_000,
                 Source(DOC000, BINARY_000, "in accordance with the laws of probability we can take"),
                 Source(DOC002, "Properties in connection with gradient descent",
                        "Notice that there is only one parameter to estimate")),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        reconstructed=True,
        derivation=sg.sigmoid_grad,
        check=Identity(
            lhs=lambda z: 1 - sg.sigmoid(z), rhs=lambda z: sg.sigmoid(-z), 
            domain=Real(),
            # the left side subtracts from 1: its roundoff is absolute (sigma's 3u, the subtraction's 1u)
            tol=Tol(4, "1 - sigma(z) cancels: <= 4u absolute; sigma(-z) <= 3u relative", absolute=True),
        ),
        note="000 lost the three properties; a public copy of the same notes lists 1 - sigma(z) = sigma(-z), "
             "sigma' = sigma(1 - sigma) = sigma(z)sigma(-z) and integral of sigma = softplus (sigmoid.derivative, "
             "softplus.antiderivative). This one also makes P(y=0|x) = 1 - sigma(z) a sigmoid: the one parameter of 002's Bernoulli, P(Z=1|x), fixes P(Z=0|x) = 1 - P(Z=1|x) = sigma(-z). Derivation: "
             "1 - 1/(1+e^{-z}) = e^{-z}/(1+e^{-z}) = 1/(e^{z}+1).",
    ),
    Claim(
        id="sigmoid.derivative",
        statement=r"\sigma'(z) = \sigma(z)\,(1 - \sigma(z))",
        sources=(
            Source(DOC002, BASIC, "The derivative of the sigmoid is"),
            PROPERTIES_000,  # 000's "for the first case it's the same" is softmax.jacobian.diagonal-is-sigmoid-derivative
        ),
        kind=Kind.GRADIENT,
        verdict=Verdict.HOLDS,
        reconstructed=True,
        derivation=sg.sigmoid_grad,
        check=Derivative(
            forward=sg.sigmoid_naive, derivative=sg.sigmoid_grad, domain=Real(),
            # hand: two sigmoids (exp <= 1 ulp, add, divide: <= 3u each) and a product: <= 7u;
            # autodiff of 1/(1+e^{-z}): exp, add, square, divide, multiply: <= 5u. Their sum:
            tol=Tol(12, "hand sigma(z)sigma(-z) <= 7u plus autodiff's e^-z/(1+e^-z)^2 <= 5u"),
        ),
        note="Evaluated as sigma(z)sigma(-z): the literal sigma(1-sigma) cancels to 0 for z > 36.7 (float64). "
             "000's second 'interesting property' (formula lost; reconstructed) is this identity.",
    ),
    Claim(
        id="sigmoid.logit-inverse",
        statement=r"\log\frac{\sigma(z)}{1 - \sigma(z)} = z \quad(\text{the logit is the inverse of the sigmoid})",
        sources=(Source(DOC000, BINARY_000, "(note: this value is sometimes called a"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        reconstructed=True,
        derivation=sg.logit_of_sigmoid,
        check=Identity(
            lhs=sg.logit_of_sigmoid, rhs=lambda z: z, 
            scale=lambda z: jnp.abs(jnp.log(sg.sigmoid(z))) + jnp.abs(jnp.log(sg.sigmoid(-z))),
            domain=NORMAL,
            # each log: sigma's relative error (<= 3u) becomes an absolute error, plus the log's own 1u
            # relative; the difference of the two logs cancels near z = 0: relative to the sum of |logs|
            tol=Tol(10, "two logs of sigmoids (<= 4u each, absolute) and a cancelling difference: vs sum of |terms|"),
        ),
        note="000 calls the pre-sigmoid output z a logit; that name is right because z is the log-odds of "
             "sigma(z). Checked on |z| <= 80, where sigma(+-z) are normal in both dtypes.",
    ),
    Claim(
        id="sigmoid.numerics.first-form-large-x",
        statement=r"\text{For } x \ge 0 \text{ the first form } \frac{1}{1+e^{-x}} \text{ is accurate to a few ulps; the second, } "
                  r"\frac{e^{x}}{1+e^{x}}, \text{ is } \frac{\infty}{\infty} = \mathrm{nan} \text{ for } x > T "
                  r"(T = 88.72283 \text{ in float32}, 709.782712893384 \text{ in float64 for a correctly rounded exp; a "
                  r"backend's within one float})",
        sources=(Source(DOC002, STABILITY, "The first form is more suitable for large values"),),
        kind=Kind.STABILITY,
        verdict=Verdict.HOLDS,
        derivation=sg.sigmoid_second_form,
        check=Custom(
            run=mpb.sigmoid_forms_large_x(sg.sigmoid_naive, sg.sigmoid_second_form, tol=4),
            description="both forms against mpmath on [0, max]; the exp overflow threshold T found by scanning "
                        "consecutive floats; the second form nan at every point above T",
        ),
        note="T is the largest float whose exp is finite: the values above are a correctly rounded exp's (a "
             "property of the dtype); the check finds the backend's own T and judges the forms against it (XLA's "
             "float32 exp without AVX2 overflows one float later: T = 88.72284). Tolerance 4 ulps: exp <= 1u, add, "
             "divide.",
    ),
    Claim(
        id="sigmoid.numerics.second-form-small-x",
        statement=r"\text{For } x \ll 0 \text{ the second form } \frac{e^{x}}{1+e^{x}} \text{ is the one to use: it and its "
                  r"autodiff gradient are accurate on } x \le 0\text{. The first form's value is too, except where } "
                  r"\sigma(x) \text{ is subnormal, but its autodiff gradient is NaN below } -T \ (e^{-x} = \infty) "
                  r"\text{ and, on a flush-to-zero backend, 0 where } (1+e^{-x})^2 > 1/\mathrm{tiny}\text{: from } "
                  r"x = \tfrac12\log(\mathrm{tiny}) = -43.67 \text{ (float32)}, -354.20 \text{ (float64)}",
        sources=(Source(DOC002, STABILITY, "while the second one is more suitable for extremely small values of"),),
        kind=Kind.STABILITY,
        verdict=Verdict.HOLDS,
        derivation=sg.sigmoid_second_form,
        check=Custom(
            run=mpb.sigmoid_forms_small_x(
                sg.sigmoid_naive, sg.sigmoid_second_form, tol=4,
                # grad of e^x/(1+e^x): e^x/(1+e^x) - e^x e^x/(1+e^x)^2, terms <= 3u and <= 5u, difference >= half the
                # first term on x <= 0 (doubles them): 16u; grad of 1/(1+e^-x): e^-x / (1+e^-x)^2 <= 5u
                grad_tol=16),
            description="both forms and their jax.grad against mpmath on (-inf, 0] plus 200 points across the "
                        "subnormal band and 200 around log(tiny)/2, on the backend and (values) in numpy (IEEE "
                        "gradual underflow): where each is accurate, that the first form's only inaccurate values "
                        "lie in the subnormal band, and that its gradient is NaN below -T and 0 below log(tiny)/2",
        ),
        note="Checked on values alone, the first form's failure for x << 0 is mild: 0 in place of a subnormal, and "
             "only under IEEE gradual underflow (flushed, both forms return 0 there). Autodiff is where the advice "
             "pays: jax.grad of the first form forms 1/(1+e^{-x})^2, flushed to 0 from x = log(tiny)/2 and inf/inf "
             "from -T, where the true derivative e^x is a normal number (claim accuracy.sigmoid.naive-nan-gradient "
             "bisects both thresholds to the float). T is the largest float whose exp is finite, measured on each "
             "evaluator: XLA's float32 exp without AVX2 overflows one float later than with it. The stable sigmoid "
             "(derivations.sigmoid.sigmoid) uses the first form for x >= 0 and the second for x < 0, with "
             "e^{-|x|} <= 1.",
    ),
    Claim(
        id="sigmoid.not-shift-invariant",
        statement=r"\exists x, c:\ \sigma(x + c) \ne \sigma(x) \quad (\text{indeed } \sigma(x + c) = \sigma(x) \iff c = 0)",
        sources=(Source(DOC002, STABILITY, "This does not apply to the sigmoid function, as it also contains terms which are not exponentiated."),),
        kind=Kind.EXISTENCE,
        verdict=Verdict.HOLDS,
        derivation=sg.sigmoid,
        check=Exists(witness=lambda x, c: jnp.abs(sg.sigmoid(x + c) - sg.sigmoid(x)) > 1e-3,
                     domain=Args(Real(-5.0, 5.0), Real(-5.0, 5.0))),
        note="sigma is strictly increasing, so no shift c != 0 leaves it unchanged: the softmax's max trick cannot be "
             "applied to sigma(x) as a shift of x. The witness's margin 1e-3 is far above roundoff. See "
             "sigmoid.max-trick-on-pair for the sense in which the trick does apply.",
    ),
    Claim(
        id="sigmoid.max-trick-on-pair",
        statement=r"\sigma(x) = \mathrm{softmax}\big((x, 0)\big)_1 = \frac{e^{x - m}}{e^{x - m} + e^{-m}},\ m = \max(x, 0):\quad "
                  r"= \frac{1}{1 + e^{-x}} \ (x \ge 0),\ \frac{e^{x}}{1 + e^{x}} \ (x < 0)",
        sources=(
            Source(DOC002, STABILITY, "This does not apply to the sigmoid function, as it also contains terms which are not exponentiated."),
            Source(DOC002, STABILITY, "However it can be written in two different forms:"),
        ),
        kind=Kind.STABILITY,
        verdict=Verdict.IMPRECISE,
        condition=r"The trick does not apply to \sigma(x) as a shift of x (sigmoid.not-shift-invariant), but it does apply "
                  r"to \sigma(x) = \mathrm{softmax}((x, 0))_1: the unexponentiated 1 is e^0, and subtracting "
                  r"\max(x, 0) from the pair gives exactly the document's two forms, each on the side where it is stable.",
        derivation=sg.sigmoid_as_softmax_pair,
        check=Identity(
            lhs=sg.sigmoid_as_softmax_pair, rhs=sg.sigmoid, domain=Real(),
            tol=Tol(3, "both sides are the same operations on the same operands (bit-equal to each other); against "
                       "mpmath: exp 1u, the sum and the quotient 1/2u each, relative"),
        ),
        note="Over every magnitude of both dtypes: the max-shifted pair and the two-branch stable sigmoid agree (bit for "
             "bit) and are within a few ulps of mpmath. So the 'two forms' are the max trick itself, applied to the "
             "pair (x, 0) whose softmax sigma is.",
    ),
]
