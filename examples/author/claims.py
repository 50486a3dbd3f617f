"""The note's sigmoid form (notes/tanh.md, "As a sigmoid"): the note writes sigma(x) where sigma(2x) is meant."""
import jax.numpy as jnp

from checks.engine import Claim, Identity, Kind, Real, Source, Tol, Verdict

DOCUMENTS = "notes"  # where the quotes are checked, relative to this file


def tanh(x):
    """tanh x = sign(x) (1 - e) / (1 + e), e = e^{-2|x|} <= 1, as the note writes it.

    Numerics (u = eps): 1 - e = -m with m = expm1(-2|x|), XLA's expm1 within 2.5 eps: 3u; 2 + m carries m's 3u
    and its own 1u; the quotient 1u: 7u.
    """
    m = jnp.expm1(-2 * jnp.abs(x))
    return jnp.sign(x) * -m / (2 + m)


def sigmoid(t):
    """1 / (1 + e^{-t}): e^{-t} overflows to inf for t << 0, and 1/inf = 0 is the limit."""
    return 1 / (1 + jnp.exp(-t))


# both sides are at most 1 in magnitude, so their errors are absolute: tanh 7u; 2 sigma - 1: sigma 3u (exp, sum,
# quotient) doubled, and the difference 1u
SIDES = Tol(14, "tanh 7u; 2 sigma(t) - 1: 7u, absolute", absolute=True)

CLAIMS = [Claim(
    id="tanh.sigmoid", statement=r"\tanh x = 2\sigma(2x) - 1",
    sources=Source("tanh.md", "As a sigmoid", r"\tanh x = 2\sigma(x) - 1"),
    kind=Kind.IDENTITY, verdict=Verdict.ERRATUM, as_written=r"\tanh x = 2\sigma(x) - 1",
    check=Identity(tanh, lambda x: 2 * sigmoid(2 * x) - 1, Real(), SIDES),
    as_written_check=Identity(tanh, lambda x: 2 * sigmoid(x) - 1, Real(), SIDES),
    note="tanh x = (1 - e^{-2x}) / (1 + e^{-2x}) = 2 / (1 + e^{-2x}) - 1: the sigmoid's argument is 2x.")]
