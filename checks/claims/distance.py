"""Claims about distances: the four axioms and the Euclidean distance."""
import jax.numpy as jnp

from derivations import distance as ds

from checks.engine import Args, Claim, Identity, Inequality, Kind, Logits, Source, Tol, Verdict

from ._sources import DOC002

DISTANCE, EUCLID = "Distance", "Euclidean distance"

# |entries| <= 2^123 (1.06e37, exact in float32, as Hypothesis needs): differences (<= 2.1e37) and sums of
# two distances of k <= 7 of them (<= 2 sqrt(7) 2.1e37 = 1.2e38)
# stay below float32's max 3.4e38, so nothing overflows before the formula is applied
VEC = Logits(bound=2.0 ** 123)

# one distance, scaled form: k - 1 additions and k squares/divisions (1/2 eps each) halved by the square
# root, the difference, the root and the final product: <= (k/2 + 3) eps = 6.5 eps for k <= 7 (sizes (2, 7))
_D_EPS = 7


def _triangle(x, y, z):
    return ds.euclidean_distance(x, y), ds.euclidean_distance(x, z) + ds.euclidean_distance(z, y)


CLAIMS = [
    Claim(
        id="distance.axioms",
        statement=r"d: X \times X \to \mathbb{R} \text{ with } d(x,y) \ge 0,\ d(x,y) = 0 \Leftrightarrow x = y,\ "
                  r"d(x,y) = d(y,x),\ d(x,y) \le d(x,z) + d(z,y)",
        sources=(Source(DOC002, DISTANCE, "In Mathematics there is a more general notion of distance on a set"),),
        kind=Kind.DEFINITION,
        verdict=Verdict.DEFINITION,
        note="The gloss of axiom 2 ('if the distance between two elements is zero, then they must be the same') "
             "states only the direction =>; the axiom also requires d(x, x) = 0.",
    ),
    Claim(
        id="euclidean.definition",
        statement=r"d_E(x,y) := \sqrt{\sum_{i=1}^{n} (x_i - y_i)^2},\quad x, y \in \mathbb{R}^n",
        sources=(Source(DOC002, EUCLID, "In its general form the Euclidean distance between two n-dimensional real vectors"),),
        kind=Kind.DEFINITION,
        verdict=Verdict.DEFINITION,
        derivation=ds.euclidean_distance,
    ),
    Claim(
        id="euclidean.nonnegative",
        statement=r"d_E(x, y) \ge 0",
        sources=(Source(DOC002, EUCLID, "The most well known example of a distance would be the Euclidean distance"),),
        kind=Kind.INEQUALITY,
        verdict=Verdict.HOLDS,
        derivation=ds.euclidean_distance,
        check=Inequality(
            lower=lambda x, y: jnp.zeros((), x.dtype), upper=ds.euclidean_distance,
            domain=Args(VEC, VEC),
            tol=Tol(1, "a square root of a sum of squares is never negative when computed: no slack is needed"),
        ),
    ),
    Claim(
        id="euclidean.zero-iff-equal",
        statement=r"d_E(x, x) = 0 \text{ and } d_E(x, y) \ge \max_i |x_i - y_i| > 0 \text{ for } x \ne y:\quad d_E(x, y) = 0 \iff x = y",
        sources=(Source(DOC002, EUCLID, "The most well known example of a distance would be the Euclidean distance"),),
        kind=Kind.INEQUALITY,
        verdict=Verdict.HOLDS,
        derivation=ds.euclidean_distance,
        check=Inequality(
            lower=lambda x, y: jnp.stack([jnp.max(jnp.abs(x - y)), ds.euclidean_distance(x, x)]),
            upper=lambda x, y: jnp.stack([ds.euclidean_distance(x, y), jnp.zeros((), x.dtype)]),
            domain=Args(VEC, VEC),
            tol=Tol(_D_EPS, "d_E is within (k/2 + 3) eps of its value, which is >= max|x_i - y_i| with equality when "
                            "one coordinate differs; d_E(x, x) is computed as exactly 0"),
        ),
        note="Quantitative form: the lower bound max|x_i - y_i| is positive exactly when x != y. It holds in floating "
             "point thanks to the scaling by max|x_i - y_i| (derivations.distance): the literal sqrt(sum (x_i - y_i)^2) "
             "underflows to 0 for x != y once every |x_i - y_i| < sqrt(tiny). Caveat of this backend: it flushes "
             "subnormal results to zero, so x != y whose differences are all below the smallest normal give "
             "x - y = 0 as computed (float32 x = (-1.238e-38, .), y = (-1.857e-38, .)): such a distance is not "
             "representable, and the boolean form 'd == 0 <=> x == y' fails there for that reason alone.",
    ),
    Claim(
        id="euclidean.symmetric",
        statement=r"d_E(x, y) = d_E(y, x)",
        sources=(Source(DOC002, EUCLID, "The most well known example of a distance would be the Euclidean distance"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        derivation=ds.euclidean_distance,
        check=Identity(
            lhs=ds.euclidean_distance, rhs=lambda x, y: ds.euclidean_distance(y, x),
            domain=Args(VEC, VEC),
            tol=Tol(_D_EPS, "the two sides are bitwise equal ((x_i - y_i)^2 = (y_i - x_i)^2 exactly); "
                            "the referee allows one distance's rounding, <= (k/2 + 3) eps"),
        ),
    ),
    Claim(
        id="euclidean.triangle-inequality",
        statement=r"d_E(x, y) \le d_E(x, z) + d_E(z, y)",
        sources=(Source(DOC002, EUCLID, "The most well known example of a distance would be the Euclidean distance"),),
        kind=Kind.INEQUALITY,
        verdict=Verdict.HOLDS,
        derivation=ds.euclidean_distance,
        check=Inequality.of(_triangle,
            domain=Args(VEC, VEC, VEC),
            tol=Tol(3 * _D_EPS + 1, "three distances of <= (k/2 + 3) eps each and one addition, relative to the larger "
                                    "side: degenerate (collinear) triangles are equalities up to this roundoff"),
        ),
    ),
    Claim(
        id="euclidean.hypotenuse-2d",
        statement=r"n = 2:\quad d_E(x,y) = \sqrt{(x_1 - y_1)^2 + (x_2 - y_2)^2}",
        sources=(Source(DOC002, EUCLID, "In the two dimensional case this reduces to well known formula for calculating the hypotenuse"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        derivation=ds.hypotenuse,
        check=Identity(
            lhs=ds.euclidean_distance, rhs=ds.hypotenuse,
            domain=Args(VEC, VEC, sizes=(2,)),
            tol=Tol(8, "each side one distance of <= (k/2 + 3) = 4 eps with k = 2; lhs against rhs adds both"),
        ),
        note="The general sum over i = 1..n with n = 2 against the two terms written out; mpmath referees both.",
    ),
    Claim(
        id="euclidean.l2-norm-naming",
        statement=r"d_E(x, y) = \|x - y\|_2, \qquad \|v\|_2 = d_E(v, 0)",
        sources=(Source(DOC002, EUCLID, "It is also often called the L2 norm"),),
        kind=Kind.IDENTITY,
        verdict=Verdict.IMPRECISE,
        condition=r"The L2 norm is a function of one vector, \|v\|_2 = \sqrt{\sum_i v_i^2}; the Euclidean distance is the "
                  r"L2 norm of the difference, d_E(x, y) = \|x - y\|_2 (and \|v\|_2 = d_E(v, 0)), not the norm itself.",
        derivation=ds.l2_norm,
        check=Identity(
            lhs=lambda x, y: jnp.stack([ds.euclidean_distance(x, y), ds.euclidean_distance(x, jnp.zeros_like(x))]),
            rhs=lambda x, y: jnp.stack([ds.l2_norm(x - y), ds.l2_norm(x)]),
            domain=Args(VEC, VEC),
            tol=Tol(_D_EPS, "the sides are bit-equal, so the bound is the referee's, per side: one distance or norm "
                            "of <= (k/2 + 3) eps"),
        ),
        note="'Often called the L2 norm' conflates a distance (two arguments) with a norm (one argument); the "
             "certified relation is d_E(x, y) = ||x - y||_2. The section 'L2 norm and linear regression' uses "
             "it correctly: d_E(X beta, y)^2 = ||X beta - y||_2^2.",
    ),
]
