"""Accuracy claims: each stable form within its stated ULP bound of mpmath, and the naive forms' exact thresholds.

These are the project's own numerical-truth claims (``own=True``): the sentences they cite motivate them
but state no number, so they are counted apart from the documents' verdicts.

The measurement is ``checks.accuracy`` (the same code that writes ``reports/ACCURACY.md``);
these claims put its verdicts into the certificate. Bounds and their reasons: ``checks/accuracy/bounds.py``.
"""
from __future__ import annotations

import numpy as np

from derivations import information as it
from derivations import losses as ls
from derivations import sigmoid as sg
from derivations import softmax as sm
from derivations import softplus as sp

from checks.engine import Claim, Custom, Kind, Source, Verdict
from checks.engine.outcomes import evidence, outcome

from ._sources import DOC000, DOC002

STABILITY_000 = Source(DOC000, "Numerically Stable Softmax",
                       "We should instinctively be wary of the exponential and log terms in our softmax function.")
STABILITY_002 = Source(DOC002, "Numerical stability",
                       "Using exponentials can lead to large values, which can bring numerical systems to their limits.")


def _points(budget):
    """Points per function and dtype: the report's 2000 (log-spaced: every binade of both dtypes is
    visited) up to the ci budget, more under thorough. mpmath evaluates each one."""
    from checks.accuracy.measure import DEFAULT_POINTS

    return int(min(max(DEFAULT_POINTS, budget.points // 500), 20_000))


def _within_bound(row_name):
    """ours <= its bound; where it is not, the message names jax / scipy if they did better on the same points."""
    def run(dtype, budget):
        from checks.accuracy import measure as ms
        from checks.accuracy import report

        row = ms.measure(row_name, dtype, _points(budget))
        ours = row.columns["ours"]
        n = len(row.points)
        unit = "eps vs terms" if row.terms is not None else "ULP"
        rows = [evidence(f"ours: {ours.label}", dtype, n, ours.scaled_max, row.bound,
                              f"{unit}; flushed-resolution points {ours.flush_limited}")]
        ok, worse = ours.scaled_max <= row.bound, []
        for name in ("jax", "scipy", "grad(jax)"):
            other = row.columns.get(name)
            if other is None:
                continue
            if other.missing:
                rows.append(evidence(f"{name}: {other.missing}", dtype, 0, 0.0))
                continue
            rows.append(evidence(f"{name}: {other.label}", dtype, n, other.scaled_max, None, "same points"))
            if ours.scaled_max > max(other.scaled_max, row.bound):
                worse.append(name)
        i = row.first_failing("ours")
        cex = None if i is None else {"dtype": dtype, **report.point(row, i), "computed": report._num(ours.values[i])}
        msg = (f"max {ours.scaled_max:.3g} {unit} (bound {row.bound:g})"
               + (f"; worse than {', '.join(worse)} beyond the bound" if worse else ""))
        return outcome(dtype, ok, rows, msg, cex)

    return Custom(run=run, description=f"{row_name}: the stable form against mpmath (60 digits) over every magnitude")


def _threshold(spec_id, quoted, stable_column="ours", no_digit=None):
    """The naive form fails where the correctly rounded model of its operations says, up to ``thresholds.WINDOW``
    floats, and the stable form is within its bound at that input.

    ``quoted``: the model's threshold per dtype, as the statement quotes it: a property of the formula and the dtype
    (and of flush-to-zero, which the model follows as the backend does), the same on every machine. The threshold
    measured on the backend is evidence, judged against the model. ``no_digit``: the id of a second ``NAMED``
    threshold on the same row (the first input from which the result has no correct digit) and its quoted values.
    """
    def run(dtype, budget):
        from checks.accuracy import measure as ms
        from checks.accuracy import thresholds as th

        specs = [(spec_id, quoted)] + ([no_digit] if no_digit else [])
        named = [next(s for s in th.NAMED if s.id == i) for i, _ in specs]
        row = ms.measure(named[0].function, dtype, columns=list(dict.fromkeys([named[0].column, stable_column])))
        rows, failed, first = [], [], None
        for spec, (_, want) in zip(named, specs):
            found = th.named(row, spec)
            obs, apart, model = found["observed"], found["floats_apart"], found["model_str"]
            if obs is None:
                failed.append(f"{spec.what}: no failure found on the grid")
                continue
            first = first or obs
            rows += [
                evidence(f"{spec.column}: {spec.what}, measured", dtype, len(row.points), float(apart or 0), th.WINDOW,
                         note=f"from {obs['first_failing_str']} (last passing {obs['last_passing_str']}; result "
                              f"{_floats(obs['value'])} vs truth {_floats(obs['exact'])}); error = floats from the model"),
                evidence(f"{spec.column}: {spec.what}, model (correctly rounded)", dtype, 1, 0.0 if model == want[dtype]
                         else np.inf, 0.0 if row.flush else None,
                         note=f"model threshold {model}; statement quotes {want[dtype]}"
                              + ("" if row.flush else " (for a flush-to-zero backend: not this one, not judged)")),
            ]
            if apart is None or apart > th.WINDOW:
                failed.append(f"{spec.what}: measured {obs['first_failing_str']}, model {model}")
            if row.flush and model != want[dtype]:  # the quoted values are the flush-to-zero model's
                failed.append(f"{spec.what}: the statement quotes {want[dtype]}, the model gives {model}")
        stable_err = np.inf
        if first is not None:
            stable_err = th.error_at(row.function, stable_column, named[0].family, float(first["first_failing"]), dtype)
            rows.append(evidence(f"{stable_column} at that input", dtype, 1, stable_err, row.bound, "ULP"))
            if not stable_err <= row.bound:
                failed.append(f"{stable_column} {stable_err:g} ULP at {first['first_failing_str']}")
        msg = "; ".join(failed) if failed else (f"threshold {first['first_failing_str']} (model {quoted[dtype]}); "
                                                f"{stable_column} {stable_err:g} ULP there")
        return outcome(dtype, not failed, rows, msg)

    return Custom(run=run, description=f"{spec_id}: threshold by bisection over the floats, against a correctly "
                                       f"rounded model of the same operations (within one float)")


def _floats(v):
    """A value or list of values as plain decimals (``'nan'`` for non-finite)."""
    return "[" + ", ".join(_floats(x) for x in v) + "]" if isinstance(v, list) else (v if isinstance(v, str) else repr(float(v)))


# the thresholds quoted are the correctly rounded model's: a property of the formula and the dtype (checks.accuracy.thresholds)
_WINDOW = " (the correctly rounded operations' thresholds; a backend's within one float)"  # inside \\text
_WINDOW_NOTE = ("The quoted thresholds are those of the same operations correctly rounded (checks.accuracy.thresholds); "
                "a backend's exp may move one by a float (XLA's float32 exp without AVX2 overflows one float later), "
                "so the measured threshold is judged within one float of the model's.")


def _accuracy(id_, row, statement, sources, derivation, note=""):
    return Claim(id=id_, statement=statement, sources=sources, kind=Kind.STABILITY, verdict=Verdict.HOLDS,
                 check=_within_bound(row), derivation=derivation, note=note, own=True)


_ULP = r"\text{ ULP of the correctly rounded value, for every float input}"

CLAIMS = [
    # ---- the stable forms: within a stated bound, never worse than jax.nn / scipy.special beyond it -----
    _accuracy("accuracy.sigmoid", "sigmoid",
              r"\sigma(x) = \tfrac{1}{1+e^{-|x|}} \ (x \ge 0),\ \tfrac{e^{-|x|}}{1+e^{-|x|}} \ (x < 0) \text{ is within 2}" + _ULP,
              (Source(DOC002, "Numerical stability", "However it can be written in two different forms:"), STABILITY_002),
              sg.sigmoid, "Observed 1 ULP (float32), 2 (float64). scipy.special.expit returns 0 for x < -88.72 "
                          "(float32) where the truth is subnormal (the host keeps subnormals)."),
    _accuracy("accuracy.log-sigmoid", "log_sigmoid",
              r"\log\sigma(x) = -\zeta(-x) \text{ is within 3}" + _ULP,
              (Source(DOC002, "Basic concepts and notation", "The log sigmoid is softplus"), STABILITY_002),
              sp.log_sigmoid, "Observed 2 ULP; scipy's log_expit 1 ULP: its host log1p is more accurate than XLA's "
                              "(see the primitives table)."),
    _accuracy("accuracy.softplus", "softplus",
              r"\zeta(x) = x + \log(1 + e^{-x})\ (x > 0),\ \log(1 + e^{x})\ (x \le 0) \text{ is within 3}" + _ULP,
              (Source(DOC002, "Basic concepts and notation",
                      "It will also frequently show up when we manipulate sigmoid functions in connection with Maximum Likelihood."),
               STABILITY_002), sp.softplus),
    _accuracy("accuracy.logit", "logit",
              r"\mathrm{logit}(p) = \log p - \log(1-p)\ (p < \tfrac14),\ "
              r"\log(1+d) - \log(1-d),\ d = 2p - 1\ (p \ge \tfrac14) \text{ is within 3}" + _ULP,
              (Source(DOC000, "Binary Logistic Regression", "note: this value is sometimes called a"), STABILITY_000),
              sg.logit, "jax.scipy.special.logit (log(p/(1-p))) has no correct digit next to p = 1/2 "
                        "(p = 0.49999997 in float32); scipy.special.logit is accurate."),
    _accuracy("accuracy.softmax", "softmax",
              r"\mathrm{softmax}(z)_i = \frac{e^{z_i - m}}{\sum_k e^{z_k - m}},\ m = \max_k z_k \text{ is within 3}" + _ULP,
              (Source(DOC002, "Numerical stability",
                      "This can be used to create a numerically stable version of the softmax, where we subtract the largest value in vector"),
               Source(DOC000, "Numerically Stable Softmax",
                      "Thus, if the scale of all the inputs becomes very large or negative, the computation will still be stable")),
              sm.softmax),
    _accuracy("accuracy.log-softmax", "log_softmax",
              r"\log\mathrm{softmax}(z)_i = (z_i - m) - \log(1 + s),\ s = \sum_{k \ne k^*} e^{z_k - m} \text{ is within 4}" + _ULP,
              (STABILITY_000,), sm.log_softmax,
              "jax.nn.log_softmax and scipy.special.log_softmax compute log(sum) with the max term's 1 inside the sum: "
              "the largest logit's log-probability -2e^{-x} has no "
              "correct digit from x = 16.35 (float32) / 36.45 (float64) on."),
    _accuracy("accuracy.logsumexp", "logsumexp",
              r"\log\sum_k e^{z_k} = m + \log(1 + s) \text{ is within 3 eps relative to } |m| + |\log(1+s)|",
              (STABILITY_000,), sm.logsumexp,
              "The final m + log1p(s) cancels where lse(z) ~ 0 with max z < 0: the error is bounded relative to the two "
              "terms (raw ULP up to 41 in float32 near the zero crossing; scipy 13, also backward stable)."),
    _accuracy("accuracy.binary-cross-entropy", "binary_cross_entropy",
              r"-y\log\sigma(z) - (1-y)\log(1-\sigma(z)) = y\,\zeta(-z) + (1-y)\,\zeta(z) \text{ is within 3}" + _ULP,
              (Source(DOC002, "Properties in connection with gradient descent", "So our loss ends up being a softplus function"),
               STABILITY_002), ls.binary_nll,
              "The optax-style and scipy compositions are NaN at z = -inf, y = 0 (0 * inf); a zero label weight "
              "contributes exactly 0 here."),
    _accuracy("accuracy.softmax-cross-entropy", "softmax_cross_entropy",
              r"-\sum_k y_k \log\mathrm{softmax}(z)_k \text{ through the log1p log-softmax is within 4}" + _ULP,
              (Source(DOC002, "Generalizing to multiple classes",
                      "Similar as with the sigmoid, the softmax works well when using a cross-entropy loss"), STABILITY_000),
              ls.softmax_nll),
    _accuracy("accuracy.entropy", "entropy",
              r"H(p) = -\sum_x p(x)\log p(x),\ 0\log 0 = 0, \text{ is within 3}" + _ULP,
              (Source(DOC002, "Entropy", "It allows us to quantify the uncertainty or information in a probability distribution."),
               STABILITY_002), it.entropy),
    _accuracy("accuracy.kl-divergence", "kl_divergence",
              r"D_{KL}(p\|q) = \sum_x p\log\tfrac{p}{q},\ 0\log\tfrac{0}{q} = 0, \text{ is within 3 eps relative to } \sum_x |p\log\tfrac{p}{q}|",
              (Source(DOC002, "Kullback-Leibler Divergence",
                      "Note that we can view the KL-divergence as the expectation of the logarithmic difference between"),
               STABILITY_002), it.kl_divergence,
              "sum(jax.scipy.special.rel_entr) is off by 26 ULP in float32, as is 002's line 2 evaluated literally "
              "(p log p - p log q, derivations.information.kl_divergence_log_difference), which cancels inside each term."),
    _accuracy("accuracy.kl-divergence-near-equal", "kl_divergence_near_equal",
              r"D_{KL}(p\|q),\ p \to q: \text{ within 3 eps relative to } \sum_x |p\log\tfrac{p}{q}|",
              (Source(DOC002, "Kullback-Leibler Divergence",
                      "Note that we can view the KL-divergence as the expectation of the logarithmic difference between"),),
              it.kl_divergence,
              "Terms of size |p - q| cancel to |p - q|^2: no implementation has small ULP error here (ours, scipy: "
              "up to 4e18 ULP, a 0 for 2.5e-32), but ours is backward stable (error <= 0.7 eps of the terms); "
              "sum(jax.scipy.special.rel_entr) is not (2.6e6 / 1.4e15 eps of the terms), nor is the literal "
              "p log p - p log q (3.5e3 / 6.8e7)."),
    _accuracy("accuracy.sigmoid-grad", "sigmoid_grad",
              r"\sigma'(x) \text{ evaluated as } \sigma(x)\sigma(-x) \text{ is within 5}" + _ULP,
              (Source(DOC002, "Basic concepts and notation", "The derivative of the sigmoid is"), STABILITY_002),
              sg.sigmoid_grad, "jax.grad(jax.nn.sigmoid) uses s(1 - s): no correct digit from x = 16.35 (float32)."),
    _accuracy("accuracy.softplus-grad", "softplus_grad",
              r"\zeta'(x) = \sigma(x) \text{ (stable form) is within 2}" + _ULP,
              (Source(DOC002, "Basic concepts and notation", "The derivative of softplus is sigmoid"), STABILITY_002),
              sg.sigmoid, "002's form exp(x)/(1+exp(x)) is NaN from x = 88.72284 (float32)."),
    _accuracy("accuracy.binary-nll-grad", "binary_nll_grad",
              r"\partial_z \mathrm{NLL} = \sigma(z) - y \text{ evaluated as } -\sigma(-z) \ (y = 1) \text{ is within 2}" + _ULP,
              (Source(DOC000, "Binary Logistic Regression", "The derivative of the cost function with respect to are simply:"),
               STABILITY_000), ls.binary_nll_grad),
    _accuracy("accuracy.softmax-nll-grad", "softmax_nll_grad",
              r"\partial_{z_j}\mathrm{NLL} = \hat y_j - y_j \text{ with the true class as } -\sum_{k \ne t}\hat y_k \text{ is within 4}" + _ULP,
              (Source(DOC000, "Multi-class Logistic Regression", "This is exactly the same as the gradient in the binary-case"),
               STABILITY_000), ls.softmax_nll_grad,
              "jax.grad of any forward form (ours included) computes s_t - 1 and has no correct digit for the true "
              "class from z_t - z_k = 17.04 (float32) / 37.14 (float64): a finding about autodiff, not the hand result."),
    # ---- the naive forms' thresholds, exact ---------------------------------------------------------------
    Claim(
        id="accuracy.softmax.naive-overflow",
        statement=r"\frac{e^{z_i}}{\sum_k e^{z_k}} \text{ on } z = (x, x-1, x-2) \text{ has no correct digit from } "
                  r"x = 86.92894 \text{ (float32)}, 707.9888125678198 \text{ (float64) on" + _WINDOW + r", where } "
                  r"1/\sum_k e^{z_k} \text{ leaves the normal range (flush-to-zero); the stable softmax is within 3 ULP there}",
        sources=(Source(DOC000, "Numerically Stable Softmax",
                        "Specifically, we want to avoid extremely large or extremely negative inputs to the softmax, "
                        "that will drive the exponentials to infinity or zero respectively."), STABILITY_002),
        kind=Kind.STABILITY, verdict=Verdict.HOLDS, own=True, derivation=sm.softmax_naive,
        check=_threshold("softmax.naive.overflow", {"float32": "86.92894", "float64": "707.9888125678198"}),
        note="XLA evaluates e / sum as e * (1 / sum): on a flush-to-zero backend the reciprocal flushes to 0 once "
             "sum > 1/tiny, 0.41 before exp itself overflows (the NaN threshold, x = 88.72284 / 709.7827128933841: "
             "claim accuracy.softmax.naive-nan). Thresholds for other dtypes and backends are in ACCURACY.md.",
    ),
    Claim(
        id="accuracy.softmax.naive-nan",
        statement=r"\frac{e^{z_i}}{\sum_k e^{z_k}} \text{ is NaN from the first } \max_k z_k \text{ above } \log(\max) "
                  r"\text{ whose } e^{z} \text{ overflows: } x = 88.72284 \text{ (float32)}, 709.7827128933841 "
                  r"\text{ (float64)" + _WINDOW + "}",
        sources=(Source(DOC000, "Numerically Stable Softmax",
                        "Specifically, we want to avoid extremely large or extremely negative inputs to the softmax, "
                        "that will drive the exponentials to infinity or zero respectively."),),
        kind=Kind.STABILITY, verdict=Verdict.HOLDS, own=True, derivation=sm.softmax_naive,
        check=_threshold("softmax.naive.nan", {"float32": "88.72284", "float64": "709.7827128933841"}),
        note=_WINDOW_NOTE,
    ),
    Claim(
        id="accuracy.softmax.naive-underflow",
        statement=r"\frac{e^{z_i}}{\sum_k e^{z_k}} \text{ on } z = (x, x-1, x-2) \text{ has no correct digit from } "
                  r"x = -85.33655 \text{ (float32)}, -706.3964185322642 \text{ (float64) down" + _WINDOW + r", where } e^{x-2} "
                  r"\text{ flushes to 0; the stable softmax is within 3 ULP there}",
        sources=(Source(DOC000, "Numerically Stable Softmax",
                        "Specifically, we want to avoid extremely large or extremely negative inputs to the softmax, "
                        "that will drive the exponentials to infinity or zero respectively."),),
        kind=Kind.STABILITY, verdict=Verdict.HOLDS, own=True, derivation=sm.softmax_naive,
        check=_threshold("softmax.naive.underflow", {"float32": "-85.33655", "float64": "-706.3964185322642"}),
        note="On a backend that keeps subnormals the smallest term degrades gradually before it reaches 0.",
    ),
    Claim(
        id="accuracy.sigmoid-grad.as-written-zero",
        statement=r"\sigma(x)(1 - \sigma(x)) \text{ evaluated literally is exactly 0 from } x = 16.635532 "
                  r"\text{ (float32)}, 36.73680056967711 \text{ (float64) on" + _WINDOW + r" (}\sigma(x)\text{ rounds to 1), "
                  r"with no correct digit from } x = 16.34785,\ 36.44911849722532 \text{, while }"
                  r"\sigma(x)\sigma(-x) \text{ is within 5 ULP of the true } 5.96\times10^{-8},\ 1.11\times10^{-16}",
        sources=(Source(DOC002, "Basic concepts and notation", "The derivative of the sigmoid is"), STABILITY_002),
        kind=Kind.STABILITY, verdict=Verdict.HOLDS, own=True, derivation=sg.sigmoid_grad,
        check=_threshold("sigmoid-grad.as-written.zero", {"float32": "16.635532", "float64": "36.73680056967711"},
                         no_digit=("sigmoid-grad.as-written.no-digit", {"float32": "16.34785", "float64": "36.44911849722532"})),
        note="The identity is exact mathematics (claim sigmoid.derivative); as an evaluation recipe it has no correct "
             "digit already from x = 16.34785 (float32) / 36.44911849722532 (float64), and is 0 from the threshold on, "
             "far above the underflow threshold of the true value. " + _WINDOW_NOTE,
    ),
    Claim(
        id="accuracy.sigmoid.naive-nan-gradient",
        statement=r"\texttt{jax.grad} \text{ of } \frac{1}{1+e^{-x}} \text{ is NaN from } x = -88.72284 "
                  r"\text{ (float32)}, -709.7827128933841 \text{ (float64) down (} e^{-x} = \infty\text{), and 0 for "
                  r"a normal true value from } x = -43.668274,\ -354.1982092661321 \text{ (} (1+e^{-x})^2 > 1/\mathrm{tiny}"
                  r"\text{, flush-to-zero)" + _WINDOW + r"; jax.grad of the stable sigmoid is within 5 ULP there}",
        sources=(Source(DOC002, "Numerical stability", "The first form is more suitable for large values"),),
        kind=Kind.STABILITY, verdict=Verdict.HOLDS, own=True, derivation=sg.sigmoid,
        check=_threshold("sigmoid.naive.nan-gradient", {"float32": "-88.72284", "float64": "-709.7827128933841"},
                         stable_column="grad(ours)",
                         no_digit=("sigmoid.naive.no-digit-gradient", {"float32": "-43.668274", "float64": "-354.1982092661321"})),
        note="002 recommends the first form for x >> 0 and the second for x << 0, and this bears the second half out "
             "(claim sigmoid.numerics.second-form-small-x): 1/(1+e^{-x}) stays within 2 ULP for every x on a "
             "flush-to-zero backend (its failures are in subnormal results), but its gradient is wrong from x = -43.67 "
             "(float32) and NaN from -88.72; the second form e^x/(1+e^x) is NaN from x = 88.72284 (float32) on "
             "(ACCURACY.md, softplus_grad, naive). " + _WINDOW_NOTE,
    ),
]
