"""Claims of the notation section: the logarithm, expectation, increasing transformations."""
import jax.numpy as jnp
import numpy as np

from derivations import logarithm as lg
from derivations.numerics import literal
from derivations.sigmoid import sigmoid

from checks.engine import (Args, BinaryLabels, Claim, Custom, Identity, Inequality, Kind, Logits, Source, Tol,
                           Verdict)
from checks.engine.outcomes import evidence, outcome

from ._exact import exact_values
from ._mp_information import Positive
from ._sources import DOC000, DOC001, DOC002

NOTATION = "Basic concepts and notation"
MLE001 = "Maximum Likelihood Estimation"
B000 = "Binary Logistic Regression"


# exp(fl(log x)) = x e^{delta log x} with |delta| <= eps: near the ends of the normal range it may round
# past max (float32: exp(log(max)) = inf) or below tiny (flushed to 0 on this backend): 4 eps |log x| margin
_EXP_LOG_RANGE = Positive(lo=lambda fi: fi.tiny * (1 + 4 * fi.eps * abs(np.log(fi.tiny))),
                          hi=lambda fi: fi.max / (1 + 4 * fi.eps * np.log(fi.max)))


# y with e^y a normal number: [log tiny, log max], 4 eps |y| inward so that exp's rounding (and a rounded y) cannot
# carry e^y past the largest float or below the smallest normal (flushed to 0 on this backend). Positive is used
# only for its dtype-dependent ends: this range has both signs
_LOG_EXP_RANGE = Positive(lo=lambda fi: np.log(fi.tiny) * (1 - 4 * fi.eps), hi=lambda fi: np.log(fi.max) * (1 - 4 * fi.eps))



def _log_of_exp(y):
    return jnp.log(literal(jnp.exp(y)))  # two rounded operations: XLA would rewrite log(exp(y)) to y


# x, y in [2 sqrt(tiny), sqrt(max)/2]: xy and x/y are normal numbers, so log(xy), log(x/y) are evaluated as written
_PRODUCT_RANGE = Positive(lo=lambda fi: 2 * np.sqrt(fi.tiny), hi=lambda fi: np.sqrt(fi.max) / 2)


def _log_terms(x, y):
    # the log of a normal number is within 1 eps of its value: roundoff is relative to these magnitudes
    return 1 + jnp.abs(jnp.log(x)) + jnp.abs(jnp.log(y))


def _strictly_increasing(x, y):
    r"""(1 - a/b, log b - log a) with a = min, b = max: the gap is at least 1 - a/b, positive when a < b."""
    a, b = jnp.minimum(x, y), jnp.maximum(x, y)
    return 1 - a / b, jnp.log(b) - jnp.log(a)


_INCREASING = (  # strictly increasing on [-5, 5], and resolvable at the grid spacing 2^-10 in float32
    ("x^3", lambda x: x ** 3),
    ("exp(x)", jnp.exp),
    ("sigmoid(x)", sigmoid),
    ("2x - 7", lambda x: 2 * x - 7),
    ("log(x + 6)", lambda x: jnp.log(x + 6)),
)
_NOT_STRICT = (  # each must change an argmax or argmin somewhere: the condition is needed
    ("-x (decreasing)", lambda x: -x),
    ("x^2 (not monotone)", lambda x: x ** 2),
    ("floor(x) (non-decreasing, not strict)", jnp.floor),
)


def _order_invariance(dtype, budget):
    """argmax/argmin of f(x) equal those of x for strictly increasing f, on arrays with ties and without."""
    import jax

    maps = _INCREASING + _NOT_STRICT

    @jax.jit
    @jax.vmap
    def changed(x):  # per map: did argmax or argmin move?
        return jnp.stack([(jnp.argmax(f(x)) != jnp.argmax(x)) | (jnp.argmin(f(x)) != jnp.argmin(x)) for _, f in maps])

    rng = np.random.default_rng(3)
    counts, first = np.zeros(len(maps), int), [None] * len(maps)
    for k in (3, 10, 50):  # values on the grid 2^-10 Z in [-5, 5]: exact in float32; a small range gives ties
        x = np.concatenate([rng.integers(-5120, 5121, (2000, k)) / 1024, rng.integers(-3, 4, (500, k))]).astype(dtype)
        moved = np.asarray(changed(x))
        counts += moved.sum(axis=0)
        for j in range(len(maps)):
            if first[j] is None and moved[:, j].any():
                first[j] = x[np.argmax(moved[:, j])].tolist()
    ev, bad, missing = [], None, []
    for j, (name, _) in enumerate(maps):
        if j < len(_INCREASING):
            ev.append(evidence(f"f = {name}", dtype, points=7500, max_error=float(counts[j]), tolerance=0.5,
                               note="arrays whose argmax or argmin changed under f: a count, must be 0"))
            if counts[j] and bad is None:
                bad = {"map": name, "array": first[j]}
        else:
            ev.append(evidence(f"witness: f = {name}", dtype, points=7500, max_error=float(counts[j]),
                               note=f"arrays whose argmax or argmin changed (must be > 0); first: {first[j]}"))
            if not counts[j]:
                missing.append(name)
    ok = bad is None and not missing
    msg = "" if ok else (f"a strictly increasing map changed the result: {bad}" if bad
                         else f"no witness for {missing}: the condition 'strictly' was not shown necessary")
    return outcome(dtype, ok, ev, msg, bad)


def _equal(v):
    """1 where the two entries of v are equal, else 0."""
    return (v[0] == v[1]).astype(v.dtype)


# the two sides are 0/1 truth values, computed exactly: a mismatch is an error of 1 absolute, 1/eps
_TRUTH = Tol(0.5, "0/1 truth values, exact: any mismatch is an error of 1/eps", absolute=True)


def _coin(dtype):
    return lg.expectation(jnp.array([0.5, 0.5], dtype), jnp.array([0.0, 1.0], dtype))


CLAIMS = [
    Claim(
        id="notation.definition-symbol",
        statement=r"g(x) := x^2 \text{ defines } g \text{ by the right-hand side}",
        sources=(Source(DOC002, NOTATION, "then $$:=$$ will be used. This is similar to setting a variable in programming"),),
        kind=Kind.DEFINITION,
        verdict=Verdict.DEFINITION,
    ),
    Claim(
        id="notation.equals-as-equivalence",
        statement=r"A \Leftrightarrow B \ :\iff\ (A \Rightarrow B) \wedge (B \Rightarrow A) \text{ for statements } A, B "
                  r"\text{ (on truth values: } A = B\text{)};\quad a = b \text{ for terms: the same value}",
        sources=(Source(DOC002, NOTATION, "when writing simply $$=$$ means that the left side implies the right"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.ERRATUM,
        as_written=r"a = b \text{ means } (a \Rightarrow b) \text{ and } (b \Rightarrow a)",
        as_written_check=Identity(
            lhs=_equal, rhs=lg.equals_as_written_002,
            domain=Args(Logits(), sizes=(2,)),  # two real terms a, b
            tol=_TRUTH,
        ),
        check=Identity(
            lhs=_equal, rhs=lg.equals_as_written_002,
            domain=Args(BinaryLabels(), sizes=(2,)),  # two truth values A, B: all four pairs
            tol=_TRUTH,
        ),
        note="Wording erratum: implication relates statements, so 'the left side implies the right and the right "
             "the left, at the same time' defines the equivalence <=>, not the equality = of two terms, which is "
             "how the document uses = everywhere (sigma(0) = 0.5, E(X) = 1/2); it writes <=> between equations "
             "itself ('L2 norm and linear regression'). To let a number imply anything it must be read as a "
             "statement; any such reading has two values and so merges distinct numbers (of 1, 2, 3 two read "
             "alike). The as-written check reads a number as true iff non-zero (as programming languages do, which "
             "the same bullet compares := to): 1 and 2 imply each other, yet 1 != 2. Certified: on truth values, "
             "and only there, = is <=> (all four pairs).",
    ),
    Claim(
        id="log.inverse-of-exp",
        statement=r"\exp(\log x) = x \quad \forall x \in (0, \infty) \quad (\text{checked as } \exp(\log x)/x = 1)",
        sources=(Source(DOC002, NOTATION, "known as the inverse of the exponential function"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        derivation=lg.log_base,
        check=Identity(
            # as a ratio: x (1 + |log x|), the natural scale of the error, would overflow near max
            lhs=lambda x: jnp.exp(jnp.log(x)) / x, rhs=lambda x: jnp.ones_like(x),
            # log's absolute error eps|log x| becomes a relative error of exp's result
            scale=lambda x: 1 + jnp.abs(jnp.log(x)),
            domain=_EXP_LOG_RANGE,
            tol=Tol(4, "log <= 2 eps relative (2 eps |log x| absolute, which exp turns relative), exp <= 2 eps, "
                       "the ratio 1/2 eps"),
        ),
        note="Normal x at least 4 eps |log x| (relatively) inside the normal range: beyond, exp(fl(log x)) may round "
             "past the largest float (float32: exp(log(max)) = inf) or below the smallest normal (flushed to 0 here). "
             "Subnormal x are excluded: this backend reads them as 0 (DAZ).",
    ),
    Claim(
        id="log.product-rule",
        statement=r"\log(xy) = \log x + \log y \quad \forall x, y > 0",
        sources=(
            Source(DOC002, NOTATION, "It has some other properties which we will need later on"),
            Source(DOC001, MLE001, "Key Log Rule used: $log(ab) = log(a) + log(b)$"),
        ),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        check=Identity(
            lhs=lambda x, y: jnp.log(x * y), rhs=lambda x, y: jnp.log(x) + jnp.log(y),
            scale=_log_terms, 
            domain=Args(_PRODUCT_RANGE, _PRODUCT_RANGE),
            tol=Tol(4, "the product's 1/2 eps is 1/2 eps absolute in its log; each log <= 1 eps of |log|; the sum 1/2 eps"),
        ),
        note="x, y in [2 sqrt(tiny), sqrt(max)/2] so that xy is a normal number and log(xy) is evaluated as written.",
    ),
    Claim(
        id="log.quotient-rule",
        statement=r"\log\frac{x}{y} = \log x - \log y \quad \forall x, y > 0",
        sources=(Source(DOC002, NOTATION, "It has some other properties which we will need later on"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        check=Identity(
            lhs=lambda x, y: jnp.log(x / y), rhs=lambda x, y: jnp.log(x) - jnp.log(y),
            scale=_log_terms, 
            domain=Args(_PRODUCT_RANGE, _PRODUCT_RANGE),
            tol=Tol(4, "the quotient's 1/2 eps is 1/2 eps absolute in its log; each log <= 1 eps of |log|; the difference 1/2 eps"),
        ),
        note="The document writes '- log(y)' without the backslash: a typesetting slip, same function.",
    ),
    Claim(
        id="log.change-of-base",
        statement=r"\log_b x = \frac{\log_k x}{\log_k b} = C \log_k x,\quad C = \frac{1}{\log_k b} \quad \forall x > 0,\ b, k \in (0,1)\cup(1,\infty)",
        sources=(Source(DOC002, NOTATION, "This means that a change of basis in the log is only a multiplication by a constant."),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        derivation=lg.log_base,
        check=Identity(
            lhs=lg.log_base, rhs=lg.log_base_scaled,
            # log_b x: the y with b^y = x
            domain=Args(Positive(), Positive(not_one=True), Positive(not_one=True)),
            tol=Tol(10, "each side: three logs (<= 1 eps each) and three divisions/products (1/2 eps each): <= 4.5 eps; "
                        "lhs against rhs adds both"),
        ),
        note="Products and quotients only: relative error stays a few eps even for bases next to 1 "
             "(log b is then tiny but computed to full relative accuracy).",
    ),
    Claim(
        id="log.natural-base-convention",
        statement=r"\log := \log_e",
        sources=(Source(DOC002, NOTATION, "If not mentioned otherwise, we will assume that"),),
        kind=Kind.DEFINITION,
        verdict=Verdict.DEFINITION,
    ),
    Claim(
        id="log.limit-at-zero",
        statement=r"x = m\,2^{e},\ m \in [\tfrac12, 1):\ \log x < e \log 2,\ \text{so } \log x < -M \text{ for } 0 < x < 2^{-\lceil M/\log 2\rceil}:\ "
                  r"\lim_{x \to 0^+} \log x = -\infty",
        sources=(Source(DOC002, NOTATION, "Log goes to minus infinity when approaching zero"),),
        kind=Kind.LIMIT,
        verdict=Verdict.HOLDS,
        derivation=lg.binary_log_bounds,
        check=Inequality(
            lower=jnp.log, upper=lambda x: lg.binary_log_bounds(x)[1],
            domain=Positive(hi=lambda fi: 1.0),
            tol=Tol(2, "log <= 1 eps; e log 2: the constant and the product 1/2 eps each"),
        ),
        note="An explicit epsilon-delta certificate: the bound holds on every normal x in (0, 1] and its right side "
             "e log 2 decreases without bound as the binary exponent e does. The limit is x -> 0+ (log is defined on "
             "(0, inf) only); the document writes x -> 0.",
    ),
    Claim(
        id="log.zero-only-at-one",
        statement=r"\log x = 0 \iff x = 1; \text{ indeed } \operatorname{sign}\log x = \operatorname{sign}(x - 1) \quad \forall x > 0",
        sources=(Source(DOC002, NOTATION, "one is the only value for which log is equal to zero"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        check=Identity(
            lhs=lambda x: jnp.sign(jnp.log(x)), rhs=lambda x: jnp.sign(x - 1),
            domain=Positive(),
            tol=Tol(0.5, "signs are exact: any mismatch is an error of 1/eps", absolute=True),
        ),
        note="The sign identity gives both log 1 = 0 and uniqueness, since log is strictly increasing "
             "(log.strictly-increasing). In floating point too: |log x| >= |x - 1|/2 is far above underflow for x != 1.",
    ),
    Claim(
        id="log.limit-at-infinity",
        statement=r"x = m\,2^{e},\ m \in [\tfrac12, 1):\ \log x \ge (e - 1)\log 2,\ \text{so } \log x > M \text{ for } x \ge 2^{\lceil M/\log 2\rceil + 1}:\ "
                  r"\lim_{x \to \infty} \log x = \infty",
        sources=(Source(DOC002, NOTATION, "Even if the graph looks like its flattening, it does actually go to infinity"),),
        kind=Kind.LIMIT,
        verdict=Verdict.HOLDS,
        derivation=lg.binary_log_bounds,
        check=Inequality(
            lower=lambda x: lg.binary_log_bounds(x)[0], upper=jnp.log,
            domain=Positive(lo=lambda fi: 1.0),
            tol=Tol(2, "log <= 1 eps; (e - 1) log 2: the constant and the product 1/2 eps each"),
        ),
        note="The slope 1/x does go to 0 ('flattening'), yet the binary-exponent bound grows without limit.",
    ),
    Claim(
        id="log.strictly-increasing",
        statement=r"0 < a \le b:\quad \log b - \log a \ge 1 - \frac{a}{b} \ \ (> 0 \text{ if } a < b)",
        sources=(Source(DOC002, NOTATION, "because the log is a strictly increasing transformation the result will not change"),),
        kind=Kind.INEQUALITY,
        verdict=Verdict.IMPRECISE,
        condition=r"On (0, \infty), log's domain, which holds every likelihood: there it is strictly increasing, so the "
                  r"maximiser of a likelihood is that of its log (likelihood.argmax-log-invariance). It is not a "
                  r"strictly increasing transformation in the document's own sense, a map of all of \mathbb{R}: "
                  r"\log x \text{ is undefined for } x \le 0.",
        check=Inequality.of(_strictly_increasing,
            scale=_log_terms,
            domain=Args(Positive(), Positive()),
            tol=Tol(3, "two logs <= 1 eps of |log| each, the differences 1/2 eps, a/b 1/2 eps: relative to 1 + |log a| + |log b|"),
        ),
        note="002 defines a (strictly) increasing transformation as a map f: R -> R with f(x) < f(y) for all real "
             "x < y, then calls the log one, and the square of a distance (regression.square-increasing). One rule "
             "for both, and for 001's 'for all x' (likelihood.log-increasing): a monotonicity asserted over all "
             "reals that holds only on part of them is imprecise, the part the argument uses (positive likelihoods, "
             "non-negative distances) its condition. Certified: a quantitative form of strict monotonicity (from "
             "log t <= t - 1 at t = a/b), log a < log b wherever the gap exceeds roundoff.",
    ),
    Claim(
        id="notation.fair-coin",
        statement=r"p_X(0) = p_X(1) = \tfrac12",
        sources=(Source(DOC002, NOTATION, "In the case of a fair coin, we will have"),),
        kind=Kind.DEFINITION,
        verdict=Verdict.DEFINITION,
    ),
    Claim(
        id="expectation.definition",
        statement=r"E(X) := \sum_{x \in X} p(x)\, x",
        sources=(Source(DOC002, NOTATION, "A weighted average of all the outcomes of a random variable"),),
        kind=Kind.DEFINITION,
        verdict=Verdict.DEFINITION,
        derivation=lg.expectation,
        note="Written for X itself; the documents apply it to g(X) as sum_x p(x) g(x) (law of the unconscious statistician).",
    ),
    Claim(
        id="expectation.coin-example",
        statement=r"E(X) = 0 \cdot p(0) + 1 \cdot p(1) = 0 \cdot \tfrac12 + 1 \cdot \tfrac12 = \tfrac12",
        sources=(Source(DOC002, NOTATION, "The expectation of the coin throw example is"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        derivation=lg.expectation,
        check=Custom(run=exact_values([("E(X) for the fair coin", _coin, 0.5)]),
                     description="the expectation of the fair coin, computed in the dtype: exactly 1/2 "
                                 "(0 * 1/2 + 1 * 1/2 has no rounding)"),
    ),
    Claim(
        id="monotone.definition",
        statement=r"f \text{ (strictly) increasing} :\iff \forall x \le y\ (x < y):\ f(x) \le f(y)\ (f(x) < f(y))",
        sources=(Source(DOC002, NOTATION, "is a (strictly) increasing transformation if for all"),),
        kind=Kind.DEFINITION,
        verdict=Verdict.DEFINITION,
    ),
    Claim(
        id="monotone.order-invariance",
        statement=r"f \text{ strictly increasing} \implies \operatorname{argmax}_i f(x_i) = \operatorname{argmax}_i x_i,\ "
                  r"\operatorname{argmin}_i f(x_i) = \operatorname{argmin}_i x_i",
        sources=(Source(DOC002, NOTATION, "we can apply them without changing the result whenever we care only about the ordering of elements"),),
        kind=Kind.INVARIANCE,
        verdict=Verdict.IMPRECISE,
        condition=r"f strictly increasing. For a merely increasing (non-decreasing) f, "
                  r"\operatorname{argmin} g \subseteq \operatorname{argmin} f \circ g only: f may merge values "
                  r"(a constant f makes every point a minimiser).",
        check=Custom(run=_order_invariance,
                     description="argmax and argmin (first index on ties) of 7500 arrays of length 3, 10, 50, with "
                                 "and without ties, are unchanged by five strictly increasing maps; witnesses that "
                                 "-x, x^2 and floor (non-decreasing but not strict) change them"),
        note="The document's 'These transformations' covers both the increasing and the strictly increasing ones; "
             "only the strict ones keep the result. Arrays are on a 2^-10 grid so that every strict map stays "
             "strict after rounding.",
    ),
    Claim(
        id="log.onto-reals",
        statement=r"\log(\exp y) = y \quad \forall y \in \mathbb{R} \text{ (so } \log \text{ maps } (0, \infty) \text{ onto } \mathbb{R}\text{)}",
        sources=(
            Source(DOC002, NOTATION, r"$$\log : (0,\infty) \longrightarrow (-\infty, \infty)$$"),
            Source(DOC000, B000, "This is a good place to start, as whereas"),
        ),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        check=Identity(
            lhs=_log_of_exp, rhs=lambda y: y, 
            # exp's relative error becomes an absolute error of its log; log's own rounding is relative to |y|
            scale=lambda y: 1 + jnp.abs(y),
            domain=_LOG_EXP_RANGE,
            tol=Tol(3, "exp <= 2 eps relative -> 2 eps absolute after the log; log 1 eps of |y|: relative to 1 + |y|"),
        ),
        note="The other half of log.inverse-of-exp (which certifies exp(log x) = x): every real y is the log of "
             "x = e^y > 0, so log is onto the reals, as the signature (0, inf) -> (-inf, inf) says. In floating point: "
             "every y with e^y a normal number, [log tiny, log max] (float32 [-87.3, 88.7], float64 [-708.4, 709.8]), "
             "4 eps |y| inward; beyond, e^y is inf, subnormal or flushed to 0. exp is evaluated behind an optimization "
             "barrier: XLA rewrites log(exp(y)) to y, which would make the check vacuous (error 0 everywhere). "
             "000 (formulas lost; the author's public original reads 'whereas P(y|x) in [0, 1], log P~(y|x) in R') "
             "uses the same fact for the unnormalised probability P~ = e^{yz} in (0, inf): its log ranges over all of "
             "R, so any real (linear) output is a valid log P~, while P itself is confined to [0, 1].",
    ),
]
