r"""The truth a library rule is judged against, and the yardstick of its accuracy.

**Definitions.** Each audited function written from its definition, plainly: ``log(1 + e^x)``, not a
stable rewrite, and never the library's code. The exact oracle evaluates these programs exactly (ball
arithmetic: no overflow, no rounding), so no rounding of the library is shared by the truth; autodiff of
them overflows where the plain form does (that is why libraries write rules), and the reports count it
against autodiff, not against the library. Where ``derivations/`` already holds a plain definition it is
used (``sigmoid_naive``, ``softplus_naive``, ``softmax_naive``, ``logsumexp_naive``, ``binary_nll_naive``).

**The yardstick.** A derivative rule is as accurate as the problem allows when its error is a few
roundings *times the derivative's own conditioning*: rounding an input by ``u`` moves ``f'(x)`` by
``kappa(x) u`` relative, ``kappa(x) = |x f''(x) / f'(x)|`` (Higham's mixed stability). The condition factors
below are ``1 + kappa``, computed from stable closed forms (only a factor: a few ulps of it do not matter).
A rule whose error exceeds that is less accurate than the problem allows: a finding, not a tolerance to
widen.
"""
import jax
import jax.numpy as jnp
import numpy as np

from checks.claims._conditioning import softmax_condition
from derivations.losses import binary_nll_naive
from derivations.sigmoid import sigmoid, sigmoid_naive
from derivations.softmax import softmax, softmax_naive

# --- the definitions (plain) -------------------------------------------------------------------------

# the tanh approximation's constant 0.044715, as the exact decimal it is (44715 / 10^6: both exact in floats)
GELU_A = (44715.0, 1e6)


def log_sigmoid(x):
    r""":math:`\log\sigma(x) = -\log(1 + e^{-x})`, as written."""
    return -jnp.log(1 + jnp.exp(-x))


def silu(x):
    r""":math:`x\,\sigma(x) = x / (1 + e^{-x})`, as written."""
    return x / (1 + jnp.exp(-x))


def _gelu(root_half):
    def gelu(x):
        return x / 2 * jax.lax.erfc(-x * root_half(x))
    return gelu


gelu = _gelu(lambda x: jnp.sqrt(0.5 + 0 * x))
gelu.__doc__ = r""":math:`x\,\Phi(x) = \tfrac{x}{2}\,\mathrm{erfc}(-x\sqrt{1/2})`: :math:`\sqrt{1/2}` is an operation of the
program on an exact 1/2 (evaluated exactly by the oracle), not a rounded constant."""
# jax.nn.gelu(approximate=False): sqrt(1/2) rounded to the dtype, a constant of its program
gelu_as_jax = _gelu(lambda x: jnp.asarray(np.sqrt(0.5), jnp.result_type(x)))


def _gelu_tanh(k, a):
    def gelu_tanh(x):
        return x / 2 * (1 + jnp.tanh(k(x) * (x + a(x) * x ** 3)))
    return gelu_tanh


# pi as a sum of two float32 numbers (each exact in either dtype; the oracle adds them exactly): within 2e-15 relative
PI = (float(np.float32(np.pi)), float(np.float32(np.pi - float(np.float32(np.pi)))))
gelu_tanh = _gelu_tanh(lambda x: jnp.sqrt(2 / (0 * x + PI[0] + PI[1])), lambda x: (0 * x + GELU_A[0]) / GELU_A[1])
gelu_tanh.__doc__ = r"""The tanh approximation :math:`\tfrac{x}{2}(1 + \tanh(k(x + a x^3)))`, :math:`k = \sqrt{2/\pi}`,
:math:`a = 0.044715`: ``a`` as the decimal (an exact quotient of the program) and ``k`` from :math:`\pi` to within
:math:`2 \cdot 10^{-15}` (a sum of two floats: the oracle computes the sum, the quotient and the root exactly)."""
# jax.nn.gelu(approximate=True): k and a rounded to the dtype, constants of its program
gelu_tanh_as_jax = _gelu_tanh(lambda x: jnp.asarray(np.sqrt(2 / np.pi), jnp.result_type(x)),
                              lambda x: jnp.asarray(0.044715, jnp.result_type(x)))


def relu(x):
    r""":math:`\max(x, 0)`: no derivative at 0 (a kink: a branch point, judged by no one)."""
    return jnp.maximum(x, 0)


def masked_softmax(z, mask):
    r""":math:`m_i e^{z_i} / \sum_j m_j e^{z_j}`, 0 where :math:`m_i` is False (all of it when nothing is selected)."""
    e = jnp.where(mask, jnp.exp(z), 0)
    return jnp.where(mask, e / jnp.sum(e), 0)


def masked_log_softmax(z, mask):
    r""":math:`z_i - \log \sum_j m_j e^{z_j}` where :math:`m_i`, and 0 elsewhere: the library's :math:`-\infty` there is
    a constant, which a loss selects away (:func:`selected`; times a weight 0 it would be NaN)."""
    return jnp.where(mask, z - jnp.log(jnp.sum(jnp.where(mask, jnp.exp(z), 0))), 0)


def selected(f):
    """``f(z, mask)`` at the selected entries, 0 at the others (as a loss reads a masked log-softmax)."""
    return lambda z, mask: jnp.where(mask, f(z, mask), 0)


# --- the yardstick: 1 + kappa(x), kappa = |x f''(x) / f'(x)| -------------------------------------------


def _condition(second_over_first):
    def cond(x):
        return 1 + jnp.abs(x * second_over_first(x))
    return cond


def _tanh_half(x):
    r""":math:`\tanh(x/2) = \sigma(x) - \sigma(-x) = -\sigma''/\sigma'`."""
    return sigmoid(x) - sigmoid(-x)


# softplus' = sigma: sigma'/sigma = sigma(-x)
softplus_condition = _condition(lambda x: sigmoid(-x))
# log_sigmoid' = sigma(-x): its derivative over it is -sigma(x)
log_sigmoid_condition = _condition(lambda x: sigmoid(x))
# sigmoid' = sigma sigma(-x): sigma''/sigma' = -tanh(x/2)
sigmoid_condition = _condition(_tanh_half)
# silu' = sigma (1 + x sigma(-x)), silu'' = sigma' (2 - x tanh(x/2)): the ratio is infinite at silu's minimum
# (x = -1.278, where silu' = 0 and no formula has relative accuracy)
silu_condition = _condition(lambda x: sigmoid(-x) * (2 - x * _tanh_half(x)) / (1 + x * sigmoid(-x)))


def _gaussian(x):
    return jnp.exp(-x * x / 2) / jnp.sqrt(2 * jnp.pi)


def _gelu_second_over_first(x):
    r"""gelu' = :math:`\Phi + x\varphi`, gelu'' = :math:`\varphi(2 - x^2)`; beyond :math:`\varphi`'s underflow the
    ratio's limit :math:`|x|` (as :math:`x \to -\infty`, :math:`\Phi + x\varphi \sim -|x|\varphi`)."""
    phi = _gaussian(x)
    ratio = phi * (2 - x * x) / (jax.lax.erfc(-x / jnp.sqrt(2.0)) / 2 + x * phi)
    return jnp.where(jnp.isfinite(ratio), ratio, jnp.abs(x))


gelu_condition = _condition(_gelu_second_over_first)


def _gelu_tanh_second_over_first(x):
    r"""With :math:`u = k(x + ax^3)`, :math:`t = \tanh u`, :math:`s = 1 - t^2`, :math:`u' = k(1 + 3ax^2)`:
    :math:`f' = (1 + t)/2 + x s u'/2`, :math:`f'' = s(u' - x t u'^2 + 3akx^2)`; :math:`1 + t = 2\sigma(2u)` and
    :math:`s = 4\sigma(2u)\sigma(-2u)` without cancellation."""
    a, k = GELU_A[0] / GELU_A[1], float(np.sqrt(2 / np.pi))
    u, du = k * (x + a * x ** 3), k * (1 + 3 * a * x * x)
    t, s = jnp.tanh(u), 4 * sigmoid(2 * u) * sigmoid(-2 * u)
    return s * (du - x * t * du * du + 3 * a * k * x * x) / (sigmoid(2 * u) + x * s * du / 2)


gelu_tanh_condition = _condition(_gelu_tanh_second_over_first)


def masked_jacobian_condition(z, mask):
    r"""Every entry of the masked softmax's and log-softmax's Jacobians: the largest softmax condition of the
    selected entries (``checks.claims._conditioning``), twice. :math:`1 - s_i` is the sum of the other entries,
    so its condition is theirs (no cancellation in the reals); :math:`s_i(\delta_{ij} - s_j)` has two factors."""
    c = softmax_condition(jnp.where(mask, z, -jnp.inf))
    return 2 * jnp.max(jnp.where(mask, c, 1)) * jnp.ones(z.shape * 2)


# --- what a rule meets instead (a finding's correction): absolute resolutions ---------------------------------


def _eps(x):
    return jnp.finfo(jnp.result_type(x)).eps


def times_x(x):
    r""":math:`(\epsilon + \text{tiny})\,|x|`: a derivative :math:`x\,g(x)` whose :math:`g` is within :math:`\epsilon` absolutely
    (a cancelled :math:`1 - \sigma`), or flushed to 0 below the smallest normal (XLA's CPU backend), is within
    :math:`|x|` times that."""
    return _eps(x) * jnp.abs(x) + flushed_times_x(x)


def gelu_tanh_resolution(x):
    r""":math:`\epsilon\,(1 + |x|\,u'(x))`: :math:`1 + \tanh u` and :math:`1 - \tanh^2 u` computed from :math:`\tanh u`
    are within :math:`\epsilon` absolutely only, and the second is scaled by :math:`x u'/2`."""
    a, k = GELU_A[0] / GELU_A[1], float(np.sqrt(2 / np.pi))
    return _eps(x) * (1 + jnp.abs(x) * k * (1 + 3 * a * x * x))


# --- the losses: plain definitions and the conditioning of their gradients ------------------------------------


def restricted(z, p):
    r"""The labels :math:`p` restricted to the finite logits and renormalised (a positive :math:`p` keeps mass on
    every finite one): labels a masked logit cannot contradict, as the safe cross-entropy presumes."""
    q = jnp.where(jnp.isfinite(z), p, 0)
    return q / jnp.sum(q)


def cross_entropy(z, y):
    r""":math:`-\sum_i y_i \log \mathrm{softmax}(z)_i` with :math:`0 \log 0 = 0` (a masked logit with label 0)."""
    s = softmax_naive(z)
    return -jnp.sum(jnp.where(y > 0, y * jnp.log(s), 0))


def focal_loss(z, y, gamma=2):
    r""":math:`\ell(z, y) (1 - p_t)^\gamma`, :math:`p_t = y\sigma(z) + (1 - y)(1 - \sigma(z))`, :math:`\ell` the binary
    cross-entropy (Lin et al.), as written."""
    p = sigmoid_naive(z)
    return binary_nll_naive(z, y) * (y * (1 - p) + (1 - y) * p) ** gamma


def huber(x, t):
    r""":math:`e^2/2` for :math:`|e| \le 1`, else :math:`|e| - 1/2`, :math:`e = x - t` (:math:`\delta = 1`)."""
    e = x - t
    return jnp.where(jnp.abs(e) <= 1, e * e / 2, jnp.abs(e) - 0.5)


def log_cosh(x, t):
    r""":math:`\log\cosh(x - t) = \log((e^{e} + e^{-e})/2)`, as written."""
    e = x - t
    return jnp.log((jnp.exp(e) + jnp.exp(-e)) / 2)


def hinge(s, b):
    r""":math:`\max(0, 1 - sy)` with the label :math:`y = 2b - 1 \in \{-1, 1\}` of a binary :math:`b`."""
    return jnp.maximum(0, 1 - s * (2 * b - 1))


def kl_divergence(lp, t):
    r""":math:`\sum_i t_i(\log t_i - lp_i)` with :math:`0 \log 0 = 0`: log-predictions :math:`lp`, targets :math:`t`."""
    return jnp.sum(jnp.where(t > 0, t * jnp.log(t), 0) - t * lp)


def binary_xent_resolution(z, y):
    r"""Of :math:`\sigma(z) - y`, absolutely: the roundings of its terms, :math:`\epsilon(\sigma(z)(1 + |z|\sigma(-z)) + y)`
    (:math:`\sigma`'s own condition, and the label's rounding): where the two nearly cancel, no formula does better."""
    return _eps(z) * (sigmoid(z) * (1 + jnp.abs(z) * sigmoid(-z)) + jnp.abs(y))


def xent_resolution(z, y):
    r"""Of :math:`\mathrm{softmax}(z) - y`, absolutely, per entry: :math:`\epsilon(s_i\,c_i + |y_i|)`, :math:`c_i` the
    softmax's condition (``softmax_condition``)."""
    return _eps(z) * (softmax(z) * softmax_condition(z) + jnp.abs(y))


def residual_resolution(x, t):
    r"""Of :math:`e = x - t`, absolutely: :math:`\epsilon(|x| + |t|)`, the rounding of a subtraction of its terms, and
    no less than :math:`2\,\text{tiny}`: half of :math:`e` below the smallest normal is flushed."""
    return jnp.maximum(_eps(x) * (jnp.abs(x) + jnp.abs(t)), 2 * jnp.finfo(jnp.result_type(x)).tiny)


def tanh_residual_resolution(x, t):
    r"""Of :math:`\tanh(x - t)`, absolutely: the residual's, times :math:`\tanh' = 4\sigma(2e)\sigma(-2e) \le 1`."""
    e = x - t
    return residual_resolution(x, t) * 4 * sigmoid(2 * e) * sigmoid(-2 * e)

def exp_of_difference_condition(x):
    r""":math:`1 + |x|`: a rule :math:`\exp(x - \mathrm{softplus}(x))` turns the rounding of
    :math:`\mathrm{softplus}(x) \approx \max(x, 0)`, :math:`u|x|` absolutely, into relative error."""
    return 1 + jnp.abs(x)


def flushed_times_x(x):
    r""":math:`\text{tiny}\,|x|`: a factor below the smallest normal is flushed to 0 (XLA's CPU backend), and a term
    :math:`x\,g(x)` (silu's :math:`x\sigma'(x)`, gelu's :math:`x\varphi(x)`) is resolved to that times :math:`|x|`."""
    return jnp.finfo(jnp.result_type(x)).tiny * jnp.abs(x)


def gelu_rule_resolution(x):
    r"""The flush above, or :math:`\epsilon\,|x|\,\varphi(x)`: JAX's rule for erfc multiplies by :math:`2/\sqrt\pi`
    rounded to the dtype, half an ulp of the term :math:`x\varphi(x)` of gelu' (a constant of the rule, not of the
    function)."""
    return jnp.maximum(_eps(x) * jnp.abs(x) * _gaussian(x), flushed_times_x(x))
