"""mpmath definitions used as high-precision referees (the working precision is set by the engine)."""
from mpmath import mp


def sigmoid(z):
    return 1 / (1 + mp.exp(-z))


def sigmoid_grad(z):
    e = mp.exp(-z)
    return e / (1 + e) ** 2


def softmax(z):
    m = max(z)
    e = [mp.exp(v - m) for v in z]
    total = mp.fsum(e)
    return [v / total for v in e]


def xlogy(x, y):
    return mp.mpf(0) if x == 0 else x * mp.log(y)
