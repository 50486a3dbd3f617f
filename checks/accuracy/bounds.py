"""The certified error bound of each stable form, and why it is that large.

Unit: ULPs of the dtype against the correctly rounded value (the same number for
float32 and float64: the count of roundings does not depend on the precision).
For a row whose form ends in a sum that can cancel (``Function.terms``), the
bound is in eps relative to the magnitude of the summed terms: the forward error
any backward-stable evaluation can promise, since the cancellation itself is
exact and only amplifies what was rounded before it.

The budget counts, on the form's evaluation path, each elementary operation as
1/2 ULP (correct rounding) and each transcendental at the accuracy this suite
measures for XLA's implementation (section "Backend primitives" of
ACCURACY.md: exp, log <= 1 ULP, log1p <= 2 ULP once the float64 interval where
it is off by 128 ULPs is avoided). Nothing is multiplied by a condition number:
none of these forms subtracts nearly equal numbers. The observed maxima are
lower and are what the ratchet (``ratchet.json``) holds.
"""
from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Bound:
    ulps: float
    reason: str
    relative_to_terms: bool = False


BOUNDS = {
    "sigmoid": Bound(2, "exp (1) + 1 + e (1/2, and e/(1+e) <= 1/2 of exp's error) + divide (1/2)"),
    "log_sigmoid": Bound(3, "-softplus(-x): log1p (2) + exp (1, passed on unamplified: x/(1+x)/log1p(x) <= 1); "
                            "x + log1p(.) adds two positives (1/2) where log1p is at most half the sum"),
    "softplus": Bound(3, "log1p (2) + exp (1, log1p's condition <= 1); the positive branch adds two positives"),
    "logit": Bound(3, "p < 1/4: log (1) - log1p (2) with |log1p| < |log|/4.7 (no cancellation); "
                      "p >= 1/4: 2p - 1 exact (Sterbenz), two log1p (2 each) of opposite signs: a sum of magnitudes"),
    "softmax": Bound(3, "exp (1) + a sum of 3 terms in [1, 3] (2 additions, 1/2 each) + divide (1/2)"),
    "log_softmax": Bound(4, "z - m (1/2) and -log1p(s) of the same sign: log1p (2) + s (exp 1, 2 additions 1/2 each)"),
    "logsumexp": Bound(3, "m exact, log1p(s) (2 + s's 2) relative to its own size <= the terms; final add 1/2",
                       relative_to_terms=True),
    "binary_cross_entropy": Bound(3, "one softplus (3) per non-zero label weight; the weight 1 is exact"),
    "softmax_cross_entropy": Bound(4, "-log_softmax(z)_t (4)"),
    "entropy": Bound(3, "per term log (1) + product (1/2); a sum of 3 non-negative terms (2 additions, 1/2 each)"),
    "kl_divergence": Bound(3, "per term log or log1p of an exact or once-rounded ratio (2 + 1/2) and a product (1/2), "
                              "summed (1): relative to the sum of |terms|", relative_to_terms=True),
    "kl_divergence_near_equal": Bound(3, "the same form; p -> q only makes the terms cancel, which is exact",
                                      relative_to_terms=True),
    "sigmoid_grad": Bound(5, "two sigmoids (2 each) and a product (1/2): no 1 - sigma(x)"),
    "softplus_grad": Bound(2, "the sigmoid (2)"),
    "binary_nll_grad": Bound(2, "one sigmoid (2); y = 1 as -sigma(-z): no sigma(z) - 1"),
    "softmax_nll_grad": Bound(4, "softmax (3); the true class as -(sum of the other two) (1): no s_t - 1"),
}


def bound(name: str, dtype: str) -> float:
    """The row's bound; 1 ULP (the line a correctly rounded primitive stays within) for an uncertified row."""
    return float(BOUNDS[name].ulps) if name in BOUNDS else 1.0
