r"""The audit of optax's losses (``rules.md``, next to this file): the gradient of each loss with respect to its
prediction, in float32 and float64, reverse and forward mode, against the exact derivative of the plain
definition. Tolerances as in ``jax_nn.py``: roundings of a stable evaluation (u = eps each) times the
gradient's conditioning, every input (logits, labels, targets) rounded by u. Findings: ``docs/library_audit.md``.

optax is the optional extra ``audit`` (``pip install -e '.[audit]'``; ``make audit`` installs it). Without
it this module declares no claims, and ``test_optax_extra.py`` says so as a skip.
"""
import jax.numpy as jnp

from checks.engine import Args, Binary, Logits, OneHot, Real, Simplex, Tol
from derivations.losses import binary_nll_naive

from examples.library_audit import _mathematics as m
from examples.library_audit._audit import rule

try:
    import optax
except ImportError:  # the optional extra `audit`
    optax = None

DOCUMENTS = "."

XENT = Tol(11, "a stable softmax entry ((k + 3)u, k <= 7), the labels' sum to 1 (k - 1 <= 6 roundings of the "
               "simplex point, relative to s_i: in the count) and the subtraction: 11u")
SIGMA = "a stable sigma (4u) and the subtraction (1u)"
FOCAL = Tol(16, "two stable sigmas (4u each), the cross-entropy's softplus (4u), the square, two products and the sum "
                "(4u)")

NAN_IN_FORWARD_MODE = ("optax's custom jvp (weighted_logsoftmax) adds weights_dot * log_softmax(z): in forward mode "
    "(jax.jacfwd, jax.jvp) the labels' tangent is a materialised 0, and at a masked logit "
    "0 * -inf is NaN: every entry of the gradient is NaN (in float32 also with a logit near the "
    "float32 maximum, 3.4e38). Reverse mode (jax.grad) is right. It "
    "matters for forward-mode users (jvp-based Hessian-vector products, forward-mode training) "
    "with masked classes: the one case the safe variant exists for.")
HUBER_CANCELS = ("optax writes the loss 0.5 q^2 + delta (|e| - q) with q = min(|e|, delta); in reverse mode "
    "the gradient comes out as 1 + (|e| - 1) in the quadratic zone: for a small residual it "
    "cancels to eps absolutely (relative error eps/|e|), and it is 0 for |e| < eps/2 (6e-8 in "
    "float32, 1.1e-16 in float64), where the truth is the residual itself. Forward mode is "
    "exact. It matters near convergence: the gradient of a residual below 1e-4 (float32) is "
    "off by more than 0.1 %, and tiny residuals get no gradient at all.")
TANH_AS_DIFFERENCE = ("optax computes log cosh e as logaddexp(e, -e) - log 2, and jax's rule for logaddexp makes the "
    "gradient exp(e - lse) - exp(-e - lse): two terms near 1/2 whose difference tanh e cancels "
    "for a small residual. Relative error ~ eps/|e| (absolute ~ eps): for |x - t| < 1e-4 in "
    "float32 the gradient is off by more than 0.1 %, and below eps it is noise. It matters "
    "only where small residuals' gradients are compared relatively (near convergence the "
    "gradient is that small anyway).")


def _claims():
    return [
        rule("audit.optax.sigmoid-bce", r"\partial_z \ell(z, y) = \sigma(z) - y",
             "optax.sigmoid_binary_cross_entropy", "its gradient with respect to the logit is the sigmoid minus the label",
             optax.sigmoid_binary_cross_entropy, binary_nll_naive, Args(Real(), Real(0.0, 1.0)),
             Tol(5, SIGMA), resolution=m.binary_xent_resolution),
        rule("audit.optax.softmax-xent", r"\nabla_z \ell(z, y) = \mathrm{softmax}(z) - y",
             "optax.softmax_cross_entropy", "its gradient with respect to the logits is the softmax minus the labels",
             optax.softmax_cross_entropy, m.cross_entropy, Args(Logits(), Simplex()), XENT, resolution=m.xent_resolution),
        rule("audit.optax.softmax-xent-integer", r"\nabla_z \ell(z, c) = \mathrm{softmax}(z) - e_c",
             "optax.softmax_cross_entropy_with_integer_labels",
             "the gradient is the softmax minus the one-hot vector of the label",
             lambda z, y: optax.softmax_cross_entropy_with_integer_labels(z, jnp.argmax(y)), m.cross_entropy,
             Args(Logits(), OneHot()), XENT, resolution=m.xent_resolution),
        rule("audit.optax.safe-softmax-xent", r"\nabla_z \ell(z, q) = \mathrm{softmax}(z) - q",
             "optax.safe_softmax_cross_entropy", "the gradient is the softmax minus the labels, zero at a masked logit",
             lambda z, p: optax.safe_softmax_cross_entropy(z, m.restricted(z, p)),
             lambda z, p: m.cross_entropy(z, m.restricted(z, p)), Args(Logits(masked=True), Simplex(positive=True)),
             XENT, resolution=lambda z, p: m.xent_resolution(z, m.restricted(z, p)), finding=dict(
                 statement=r"\nabla_z \ell(z, q) = \mathrm{softmax}(z) - q \text{ without a masked logit}",
                 domain=Args(Logits(bound=1e37), Simplex(positive=True)), tol=XENT,
                 resolution=lambda z, p: m.xent_resolution(z, m.restricted(z, p)),
                 note=NAN_IN_FORWARD_MODE,
                 dtypes=("float32", "float64"))),
        rule("audit.optax.focal", r"\partial_z\, \ell(z, y)(1 - p_t)^2", "optax.sigmoid_focal_loss",
             "its gradient with respect to the logit is",
             # |z| <= 1e38: beyond half the float maximum a doubled logit inside the rule overflows and the gradient
             # is NaN (docs/library_audit.md; the sweep reaches it only in some runs, so it is said, not pinned)
             optax.sigmoid_focal_loss, m.focal_loss, Args(Real(-1e38, 1e38), Binary()),
             FOCAL,
             # each factor is e^{+-z}-like: |z l''/l'| <= (gamma + 1)|z| (gamma = 2), and 1 for the rounding
             cond=lambda z, y: 1 + 3 * jnp.abs(z)),
        rule("audit.optax.huber", r"\partial_x \ell(x, t) = \mathrm{clip}(x - t, -1, 1)", "optax.huber_loss",
             "its gradient with respect to the prediction is the residual clipped to",
             optax.huber_loss, m.huber, Args(Real(), Real()),
             Tol(1, "the residual x - t: one rounding (the clip is exact); the rule halves it (0.5 q^2), and a "
                    "half below the smallest normal is flushed (XLA's CPU backend): 2 tiny absolutely"),
             resolution=m.residual_resolution, finding=dict(
                 statement=r"|\partial_x \ell - \mathrm{clip}(x - t, -1, 1)| \le 2\epsilon",
                 tol=Tol(2, "the rule's 1 + (|e| - 1): two roundings of numbers near 1, eps absolutely",
                         absolute=True), resolution=m.residual_resolution,
                 note=HUBER_CANCELS,
                 dtypes=("float32", "float64"))),
        rule("audit.optax.log-cosh", r"\partial_x \log\cosh(x - t) = \tanh(x - t)", "optax.log_cosh",
             "its gradient with respect to the prediction is the hyperbolic tangent of the residual",
             optax.log_cosh, m.log_cosh, Args(Real(), Real()),
             Tol(4, "the residual (1u) and a stable tanh (3u)"), resolution=m.tanh_residual_resolution, finding=dict(
                 statement=r"|\partial_x \ell - \tanh(x - t)| \le 4\epsilon",
                 tol=Tol(4, "the residual (1u) and tanh as a difference of two exps within 3u of 1, absolutely",
                         absolute=True),
                 note=TANH_AS_DIFFERENCE, dtypes=("float32", "float64"))),
        rule("audit.optax.hinge", r"\partial_s \max(0, 1 - sy) = -y\,[sy < 1]", "optax.hinge_loss",
             "its gradient with respect to the score is minus the label inside the margin and zero beyond it",
             lambda s, b: optax.hinge_loss(s, 2 * b - 1), m.hinge, Args(Real(), Binary()),
             Tol(1, "0 or -y: exact (sy is exact for y = +-1, and 1 - sy rounds to 0 only at sy = 1: the kink)")),
        rule("audit.optax.kl", r"\nabla_{lp} \sum_i t_i(\log t_i - lp_i) = -t", "optax.kl_divergence",
             "its gradient with respect to the log-predictions is minus the targets",
             optax.kl_divergence, m.kl_divergence, Args(Logits(), Simplex()),
             Tol(7, "-t is exact; the targets are the simplex point they stand for: their sum is 1 within k - 1 <= 6 "
                    "roundings")),
    ]


CLAIMS = [] if optax is None else _claims()
