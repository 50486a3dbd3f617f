"""mpmath forms of the likelihood and regression Custom checks (precision set by the caller): the loss axioms
compare single mpmath losses, and the conditioning ladder needs least squares at 50 digits on its own designs.

Arguments arrive as mpf scalars or nested lists of them (one example of the batch).
Every form is free of catastrophic cancellation at 50 digits: sums of same-signed
terms, or differences of inputs that are exact binary floats.
"""
from mpmath import mp


def gaussian_nll(mu, y, sigma):
    return mp.log(2 * mp.pi * sigma ** 2) / 2 + (y - mu) ** 2 / (2 * sigma ** 2)


def gaussian_nll_grad_mean(mu, y, sigma):
    return (mu - y) / sigma ** 2


def matvec(X, b):
    return [mp.fsum(a * c for a, c in zip(row, b)) for row in X]


def residual(beta, X, y):
    return [r - t for r, t in zip(matvec(X, beta), y)]


def squared_distance(beta, X, y):
    return mp.fsum(r * r for r in residual(beta, X, y))


def lstsq(X, y):
    """The exact least-squares solution of the (binary-float) data, to the working precision."""
    x, _ = mp.qr_solve(mp.matrix(X), mp.matrix(y))
    return [x[i] for i in range(x.rows)]
