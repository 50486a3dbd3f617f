r"""The audit of ``jax.nn``'s derivative rules (``rules.md``, next to this file): each rule in float32 and
float64, reverse and forward mode, against the exact derivative of the plain definition.

Tolerances count roundings of a *stable* evaluation of the derivative in eps (u = eps per operation; XLA's
``exp``, ``log``, ``tanh``, ``erfc`` within 1u of the correctly rounded value), times the derivative's own
conditioning (``_mathematics``): the accuracy the problem allows. Findings: ``docs/library_audit.md``.
"""
import jax

from checks.engine import Args, Logits, Mask, Real, Tol
from derivations.sigmoid import sigmoid_naive
from derivations.softmax import logsumexp_naive
from derivations.softplus import softplus_naive

from examples.library_audit import _mathematics as m
from examples.library_audit._audit import rule

DOCUMENTS = "."

SIGMA = "a stable sigma: exp, add, divide (3u) and exp's own 1u: 4u"
GELU_TOL = Tol(10, "Phi: erfc and a halving (2u); phi: a square, a halving, exp, a divide by a rounded sqrt(2 pi) (5u); "
                   "the product and the sum (2u); the rounding of -x/sqrt(2) is in the condition: 9u, and 1u; "
                   "phi below the smallest normal is flushed, and x phi(x) resolved to tiny |x|")
GELU_TANH_TOL = Tol(14, "u = k(x + a x^3): 4u; 1 + tanh u and 1 - tanh^2 u as stable sigmoids of 2u (4u each); x u'/2, "
                        "the products and the sum (4u): 14u (the rounding of u is in the condition)")
# softplus and log_sigmoid (softplus at -x) share the rule, and its finding
EXP_OF_DIFFERENCE = dict(
    tol=Tol(4, SIGMA + "; the rule's exp(x - softplus(x)) turns the rounding of softplus(x), u|x| absolutely, into "
                       "relative error"), cond=m.exp_of_difference_condition, dtypes=("float64",),
    note="jax's rule (logaddexp's jvp) is exp(x - softplus(x)): the rounding of softplus(x) ~ max(x, 0) is u|x| "
         "absolutely, relative error of the exp where the derivative is well conditioned (x > 0 for softplus, "
         "x < 0 for log_sigmoid): up to 13 eps (float64, near |x| = 18-30), at most a few eps in float32. It does "
         "not matter for training.")
ONE_MINUS_S = ("jax's rule forms 1 - s_i for the entry s_i of the largest logit: when one class dominates "
               "(s_i -> 1) it cancels, and the Jacobian's diagonal (and the column of the dominant class) "
               "loses relative accuracy: 0 once s_i rounds to 1, where the truth is the sum of the others. The "
               "absolute error stays within the yardstick's eps.")

CLAIMS = [
    rule("audit.jax.softplus", r"\frac{d}{dx}\log(1 + e^x) = \sigma(x)", "jax.nn.softplus",
         "its derivative is the sigmoid", jax.nn.softplus, softplus_naive, Real(),
         Tol(4, SIGMA), cond=m.softplus_condition, finding=dict(
             statement=r"|\partial \mathrm{softplus} - \sigma(x)| \le 4u\,(1 + |x|)\,\sigma(x)", **EXP_OF_DIFFERENCE)),
    rule("audit.jax.log-sigmoid", r"\frac{d}{dx}\log\sigma(x) = \sigma(-x)", "jax.nn.log_sigmoid",
         "its derivative is the sigmoid of minus the input", jax.nn.log_sigmoid, m.log_sigmoid, Real(),
         Tol(4, SIGMA), cond=m.log_sigmoid_condition, finding=dict(
             statement=r"|\partial \log\sigma - \sigma(-x)| \le 4u\,(1 + |x|)\,\sigma(-x)", **EXP_OF_DIFFERENCE)),
    rule("audit.jax.sigmoid", r"\sigma'(x) = \sigma(x)\,\sigma(-x)", "jax.nn.sigmoid",
         "derivative is the product of the sigmoids of the input and of minus the input",
         jax.nn.sigmoid, sigmoid_naive, Real(),
         Tol(9, "two stable sigmas (4u each) and their product (1u)"), cond=m.sigmoid_condition, finding=dict(
             statement=r"|\partial\sigma - \sigma(x)\sigma(-x)| \le 4\epsilon",
             tol=Tol(4, "the rule s(1 - s): s within 2u, 1 - s within 3u absolutely, the product (s <= 1) within "
                        "4u absolutely", absolute=True),
             note="jax's rule is s(1 - s) with s = sigma(x): for x > 0, 1 - s cancels, and the relative error grows "
                  "like e^x; from x = 16.6 (float32) / 36.7 (float64) it is 0, where the derivative is e^-x. The "
                  "absolute error stays below 4 eps (against a derivative of at most 1/4).",
             dtypes=("float32", "float64"))),
    rule("audit.jax.silu", r"\frac{d}{dx}\,x\sigma(x) = \sigma(x)\,(1 + x\,\sigma(-x))", "jax.nn.silu",
         "its derivative is the sigmoid times one plus the input times the sigmoid of minus the input",
         jax.nn.silu, m.silu, Real(),
         Tol(11, "two stable sigmas (4u each), a product, a sum and a product (3u); where sigma'(x) is below the "
                 "smallest normal it is flushed to 0 (XLA's CPU backend), and x sigma'(x) is resolved to tiny |x|"),
         cond=m.silu_condition, resolution=m.flushed_times_x, finding=dict(
             statement=r"|\partial\,\mathrm{silu} - \sigma(x)(1 + x\sigma(-x))| \le 11u\,\kappa\,|\cdot| + 11(\epsilon + \text{tiny})|x|",
             tol=Tol(11, "as the yardstick, and x times the sigmoid rule's absolute error (eps) or flush (tiny)"),
             cond=m.silu_condition, resolution=m.times_x,
             note="jax differentiates x sigma(x) by the product rule through sigma's rule s(1 - s) "
                  "(audit.jax.sigmoid): x times its absolute error eps, up to 15 eps (float64) for x near 30-37.",
             dtypes=("float64",))),
    rule("audit.jax.gelu", r"\frac{d}{dx}\,x\Phi(x) = \Phi(x) + x\varphi(x)", "jax.nn.gelu",
         "its derivative is the normal distribution function plus the input times the normal density",
         lambda x: jax.nn.gelu(x, approximate=False), m.gelu, Real(), GELU_TOL, cond=m.gelu_condition,
         resolution=m.flushed_times_x,
         finding=dict(statement=r"\frac{d}{dx}\,\tfrac{x}{2}\mathrm{erfc}(-x\,c),\ c = \mathrm{fl}(\sqrt{1/2})",
                      plain=m.gelu_as_jax, tol=GELU_TOL, cond=m.gelu_condition, resolution=m.gelu_rule_resolution,
                      note="jax computes x/2 erfc(-x c) with c = sqrt(1/2) rounded to the dtype, and erfc's rule "
                           "uses 2/sqrt(pi) rounded to it: in the reals the derivative of another function, off gelu' "
                           "by 0.85 ulp at x = -1 (float32) and by up to hundreds of ulps where the derivative's "
                           "conditioning (x^2) amplifies the constants' rounding. As computed, the rule is within the "
                           "yardstick: it does not matter.")),
    rule("audit.jax.gelu-tanh",
         r"\frac{d}{dx}\,\tfrac{x}{2}(1 + \tanh u) = \tfrac12(1 + \tanh u) + \tfrac{x}{2}(1 - \tanh^2 u)\,u'",
         "jax.nn.gelu", "the derivative of the tanh approximation is",
         jax.nn.gelu, m.gelu_tanh, Real(), GELU_TANH_TOL, cond=m.gelu_tanh_condition, finding=dict(
             statement=r"|\partial\,\mathrm{gelu}_{\tanh} - f'(x)| \le 14u\,\kappa\,|f'| + 14\epsilon(1 + |x|u'),"
                       r"\ |x| \le 10^{18},\ k, a \text{ rounded to the dtype}",
             plain=m.gelu_tanh_as_jax, domain=Real(-1e18, 1e18), tol=GELU_TANH_TOL, cond=m.gelu_tanh_condition,
             resolution=m.gelu_tanh_resolution,
             note="Three things: jax's constants k = sqrt(2/pi) and a = 0.044715 are rounded to the dtype (in the "
                  "reals another function); 1 + tanh u and 1 - tanh^2 u are computed from tanh u, which cancels for "
                  "x < 0: no relative accuracy below x = -3 (float32) / -5 (float64), the absolute error up to "
                  "eps (1 + |x|u'); and 3x^2 overflows for |x| > 1.06e19 (float32) / 7.7e153 (float64), where the "
                  "derivative is NaN (0 x inf) instead of 1 or 0.")),
    rule("audit.jax.relu", r"\frac{d}{dx}\max(x, 0) = [x > 0]", "jax.nn.relu",
         "its derivative is one for a positive input and zero for a negative one", jax.nn.relu, m.relu, Real(),
         Tol(1, "0 or 1: exact")),
    rule("audit.jax.logsumexp", r"\nabla \log\sum_k e^{z_k} = \mathrm{softmax}(z)", "jax.nn.logsumexp",
         "its gradient is the softmax, zero at a logit of minus infinity", jax.nn.logsumexp, logsumexp_naive,
         Args(Logits(masked=True)),
         Tol(10, "the stable softmax: exp, the sum's k - 1 <= 6 adds, a divide: k + 3 <= 10u"),
         cond=m.softmax_condition),
    rule("audit.jax.softmax", r"\partial_j s_i = s_i(\delta_{ij} - s_j),\ s = \mathrm{softmax}(z \mid m)",
         "jax.nn.softmax", "Its Jacobian is", lambda z, mask: jax.nn.softmax(z, where=mask), m.masked_softmax,
         Args(Logits(), Mask()),
         Tol(21, "two stable softmax entries ((k + 3)u each, k <= 7) and a product (1u)"),
         cond=m.masked_jacobian_condition, finding=dict(
             statement=r"|\partial_j s_i - s_i(\delta_{ij} - s_j)| \le 21\epsilon\,\max(\kappa|\cdot|, 1)",
             tol=Tol(21, "as the yardstick, absolutely: the rule's s_i(t_i - sum_j s_j t_j) cancels as 1 - s_i",
                     absolute=True), cond=m.masked_jacobian_condition, note=ONE_MINUS_S,
             dtypes=("float32", "float64"))),
    rule("audit.jax.log-softmax", r"\partial_j (\log s)_i = \delta_{ij} - s_j,\ s = \mathrm{softmax}(z \mid m)",
         "jax.nn.log_softmax", "Its Jacobian is", m.selected(lambda z, mask: jax.nn.log_softmax(z, where=mask)),
         m.masked_log_softmax, Args(Logits(), Mask()),
         Tol(11, "a stable softmax entry ((k + 3)u, k <= 7) and, on the diagonal, 1 - s_i as the sum of the "
                 "others' ((k + 3)u, no cancellation): 11u"),
         cond=m.masked_jacobian_condition, finding=dict(
             statement=r"|\partial_j (\log s)_i - (\delta_{ij} - s_j)| \le 11\epsilon\,\max(\kappa|\cdot|, 1)",
             tol=Tol(11, "as the yardstick, absolutely: the rule's t_i - sum_j s_j t_j cancels as 1 - s_i",
                     absolute=True), cond=m.masked_jacobian_condition, note=ONE_MINUS_S,
             dtypes=("float32", "float64"))),
]
