"""Claims about the softmax."""
import jax.numpy as jnp

from derivations import softmax as sm

from checks.engine import Args, Claim, Identity, Kind, Logits, Real, Source, Tol, Verdict

from ._sources import DOC000, DOC002


def _shift_cond(z, c):
    # rounding z_i + c moves each exponent by <= u(|z_i| + |c|) absolutely, and max-shifting by
    # <= u|z_i - m|: the softmax's relative error is amplified by the sum of these magnitudes
    return 1 + jnp.abs(z) + jnp.abs(c) + jnp.max(jnp.abs(z)) + jnp.abs(z - jnp.max(z))


CLAIMS = [
    Claim(
        id="softmax.shift-invariance",
        statement=r"\mathrm{softmax}(z + c)_i = \mathrm{softmax}(z)_i \quad \forall c \in \mathbb{R}",
        sources=(
            Source(DOC002, "Numerical stability", "An interesting property of the softmax is that is invariant to the addition of constants"),
            Source(DOC000, "Numerically Stable Softmax", "It can be easily shown that"),
        ),
        kind=Kind.INVARIANCE,
        verdict=Verdict.HOLDS,
        derivation=sm.softmax,
        check=Identity(
            lhs=lambda z, c: sm.softmax(z + c),
            rhs=lambda z, c: sm.softmax(z),
            scale=lambda z, c: sm.softmax(z) * _shift_cond(z, c),
            domain=Args(Logits(bound=1e4), Real(-1e4, 1e4)),
            # each side: exp (<= 1 ulp), a k-term sum (<= (k-1)u, k <= 7) and a divide, times the condition
            # factor above for the rounded exponents: 2 * (1 + 6 + 1) = 16
            tol=Tol(16, "per side: exp 1u + 7-term sum 6u + divide 1u, both sides, times the exponents' condition"),
        ),
        note="Checked where the shift is representable (|z|, |c| <= 1e4); the condition factor grows with |z| + |c| "
             "because z + c is rounded. Finiteness over the full range is the stable softmax's claim.",
    ),
]
