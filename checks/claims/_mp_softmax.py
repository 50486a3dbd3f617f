"""mpmath referees for the softmax and multi-class claims (working precision set by the engine).

Each is written without a subtraction that could cancel at 50 digits: the
one-minus-a-probability quantities are sums of the other probabilities, and a
loss near 0 is a ``log1p`` of the small terms.
"""
from mpmath import mp

from ._mp import log_softmax, logsumexp, sigmoid, softmax, softplus  # re-exported: the topic's referees in one place


def log_odds_against(z):
    """x_i = log sum_{k != i} exp(z_k - z_i)."""
    return [mp.log(mp.fsum(mp.exp(v - zi) for k, v in enumerate(z) if k != i)) for i, zi in enumerate(z)]


def nll(z, y):
    """-log softmax(z)_t = log1p(sum_{k != t} exp(z_k - z_t)): no cancellation for a loss near 0."""
    t = y.index(1)
    return mp.log1p(mp.fsum(mp.exp(v - z[t]) for k, v in enumerate(z) if k != t))


def jacobian_diagonal(z):
    """s_i (1 - s_i), with 1 - s_i as the sum of the other probabilities."""
    s = softmax(z)
    return [p * mp.fsum(s[:i] + s[i + 1:]) for i, p in enumerate(s)]


def jacobian(z):
    s = softmax(z)
    diag = jacobian_diagonal(z)
    return [[diag[i] if i == j else -s[i] * s[j] for j in range(len(z))] for i in range(len(z))]


def jacobian_off_diagonal(z):
    """The Jacobian with its diagonal set to 0."""
    s = softmax(z)
    return [[mp.mpf(0) if i == j else -s[i] * s[j] for j in range(len(z))] for i in range(len(z))]


__all__ = ["jacobian", "jacobian_diagonal", "jacobian_off_diagonal", "log_odds_against", "log_softmax",
           "logsumexp", "nll", "sigmoid", "softmax", "softplus"]
