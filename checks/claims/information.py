"""Claims about entropy, cross-entropy and the KL divergence."""
from mpmath import mp

from derivations import information as it

from checks.engine import Args, Claim, Identity, Kind, Simplex, Source, Tol, Verdict

from . import _mp
from ._sources import DOC000, DOC002

CLAIMS = [
    Claim(
        id="cross-entropy.entropy-plus-kl",
        statement=r"H(p, q) = H(p) + D_{KL}(p \,\|\, q) = -\sum_x p(x)\log q(x)",
        sources=(
            Source(DOC002, "Cross-Entropy", "The cross-entropy between two probability distributions"),
            Source(DOC000, "Maximum Likelihood", "as the KL is simply and the entropy term here is irrelevant for the optimisation"),
        ),
        kind=Kind.IDENTITY,
        verdict=Verdict.HOLDS,
        derivation=it.entropy_plus_kl,
        check=Identity(
            lhs=it.cross_entropy, rhs=it.entropy_plus_kl, scale=it.magnitude_of_terms,
            exact=lambda p, q: -mp.fsum(_mp.xlogy(a, b) for a, b in zip(p, q)),
            domain=Args(Simplex(), Simplex()),
            # the right side sums 2k terms p log p, p log q (k <= 7), each log <= 1 ulp and product 1u:
            # (2k + 2k)u = 28u relative to the sum of |terms|
            tol=Tol(28, "2k = 14 terms of <= 2 roundings each, summed: relative to the sum of |terms|"),
        ),
        note="0 log 0 = 0 throughout; where q(x) = 0 < p(x) both sides are +inf.",
    ),
]
