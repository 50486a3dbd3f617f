"""mpmath definitions of the basic functions, for the ULP tables of ``checks.accuracy`` and a few Custom checks.

Not referees of the claims: a claim's truth is its own code evaluated exactly (``checks.engine.exact``).
These stay where a table measures *implementations* of a function (XLA's, the naive and the stable
forms) against the mathematical function itself, which none of the measured programs is, and where a
Custom check works on single mpmath numbers (thresholds found by bisection). Each is written so that it
does not cancel even at 60 digits (``log1p`` of a tiny term, never ``log(1 + tiny)``; ``-sum of the
others``, never ``s - 1``).
"""
from mpmath import mp


def sigmoid(x):
    return 1 / (1 + mp.exp(-x))


def sigmoid_grad(x):
    e = mp.exp(-abs(x))  # sigma' is even
    return e / (1 + e) ** 2


def softplus(x):
    return mp.log1p(mp.exp(x)) if x < 0 else x + mp.log1p(mp.exp(-x))  # x + ... keeps inf - inf away


def log_sigmoid(x):
    return -softplus(-x)


def logit(p):
    return mp.log(p) - mp.log1p(-p)


def _shifted(z):
    m = max(z)
    return m, [v - m for v in z]


def _rest(z):
    """log-sum-exp pieces: the max m, its index, and s = sum over the others of e^{z_k - m} (no 1 + s)."""
    m, d = _shifted(z)
    i = z.index(m)
    return m, i, mp.fsum(mp.exp(v) for k, v in enumerate(d) if k != i)


def logsumexp(z):
    m, _, s = _rest(z)
    return m + mp.log1p(s)


def log_softmax(z):
    m, i, s = _rest(z)
    return [(v - m) - mp.log1p(s) for v in z]  # two terms of the same sign: no cancellation


def softmax(z):
    m, d = _shifted(z)
    e = [mp.exp(v) for v in d]
    total = mp.fsum(e)
    return [v / total for v in e]


def binary_nll(z, y):
    """-y log sigma(z) - (1 - y) log(1 - sigma(z)); a zero weight contributes exactly 0 (also at z = +-inf)."""
    return (y * softplus(-z) if y else 0) + ((1 - y) * softplus(z) if y != 1 else 0)


def binary_nll_grad(z, y):
    return -sigmoid(-z) if y == 1 else sigmoid(z) - y


def softmax_nll(z, y):
    return -mp.fsum(t * v for t, v in zip(y, log_softmax(z)) if t)


def softmax_nll_grad(z, y):
    s = softmax(z)
    return [-mp.fsum(s[:j] + s[j + 1:]) if t == 1 else p - t for j, (p, t) in enumerate(zip(s, y))]


def xlogy(x, y):
    return mp.mpf(0) if x == 0 else x * mp.log(y)


def entropy(p, b=None):
    """H(p) in nats, or in base ``b``."""
    h = -mp.fsum(xlogy(a, a) for a in p)
    return h if b is None else h / mp.log(b)


def kl(p, q):
    return mp.fsum(xlogy(a, a) - xlogy(a, b) for a, b in zip(p, q))
