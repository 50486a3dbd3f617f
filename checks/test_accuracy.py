"""Accuracy against mpmath: the ratchet, and the machinery it rests on (fast: a deterministic subset of points).

The full table is ``python -m checks.accuracy`` (reports/ACCURACY.md). Here every stable form is
evaluated on exactly the points the ratchet was recorded on and judged on every STRIDE-th of them,
so its maximum can only be at or below the recorded one unless the form got less accurate.
"""
from __future__ import annotations

import sys

import jax.numpy as jnp
import mpmath
import numpy as np
import pytest

from checks.accuracy import bounds, exact, implementations, measure, ratchet, thresholds
from checks.accuracy.implementations import Column
from checks.engine import platform

RATCHET = ratchet.load()
DTYPES = ("float32", "float64")


def _backend():
    return platform.configure().default_backend()


def _rows(name, overrides=None):
    n = RATCHET.get("points_per_row", measure.DEFAULT_POINTS)
    # the ratchet's own point set: the maximum over a subset could hide a regression
    return [measure.measure(name, dt, n, columns=["ours"], overrides=overrides) for dt in DTYPES
            if platform.supports(dt) is None]


def _recorded():
    table = RATCHET.get("backends", {}).get(_backend())
    if not table:
        pytest.skip(f"no ratchet recorded for backend {_backend()!r}: python -m checks.accuracy --update-ratchet")
    return table


@pytest.mark.parametrize("name", [f.name for f in implementations.FUNCTIONS])
def test_no_regression_beyond_the_ratchet(name):
    _recorded()
    worse, _, new = ratchet.compare(_rows(name), RATCHET, _backend())
    assert not new, f"{name}: not in the ratchet: python -m checks.accuracy --update-ratchet"
    assert not worse, "less accurate than recorded: " + "; ".join(map(str, worse))


def _tanh_sigmoid(x):
    return 0.5 + 0.5 * jnp.tanh(0.5 * x)  # a common "stable" sigmoid: cancels to 0 for x << 0


def _lse_one_inside(z):
    m = jnp.max(z, axis=-1, keepdims=True)  # the common max-shifted form: loses a sum of terms below eps/2
    return (m + jnp.log(jnp.sum(jnp.exp(z - m), axis=-1, keepdims=True)))[..., 0]


@pytest.mark.parametrize("name, worse_form", [
    ("sigmoid", Column(_tanh_sigmoid, "0.5 + 0.5 tanh(x/2)")),
    ("logsumexp", Column(_lse_one_inside, "m + log(sum exp(z - m)): the max term's 1 inside the log")),
])
def test_a_less_accurate_form_fails_the_ratchet(name, worse_form):
    _recorded()
    worse, _, _ = ratchet.compare(_rows(name, {"ours": worse_form}), RATCHET, _backend())
    assert {c.function for c in worse} == {name}, f"the ratchet did not catch {worse_form.label}"


def test_the_ratchet_is_within_the_stated_bounds():
    for backend, table in RATCHET.get("backends", {}).items():
        for name, per_dtype in table.items():
            for dtype, value in per_dtype.items():
                assert value <= bounds.bound(name, dtype), f"{backend} {name} {dtype}: recorded {value} > bound"


def test_scipy_is_optional(monkeypatch):
    monkeypatch.setitem(sys.modules, "scipy", None)
    monkeypatch.setitem(sys.modules, "scipy.special", None)
    row = measure.measure("sigmoid", "float32", 64, columns=["scipy"])
    assert row.columns["scipy"].missing == "scipy not installed"


def test_rounding_to_the_dtype_is_correct():
    f32, f64 = "float32", "float64"
    with mpmath.workdps(60):
        third = mpmath.mpf(1) / 3
        assert exact.round_to(third, f32) == float(np.float32(1 / 3))
        assert exact.round_to(third, f64) == 1 / 3
        assert exact.round_to(1 + mpmath.ldexp(1, -24), f32) == 1.0              # a tie: to even
        assert exact.round_to(1 + 3 * mpmath.ldexp(1, -24), f32) == 1 + 2.0 ** -22
        assert exact.round_to(mpmath.mpf(1.5) * mpmath.ldexp(1, -149), f32) == 2.0 ** -148  # subnormal tie
        assert exact.round_to(mpmath.ldexp(1, 128), f32) == np.inf
        assert exact.round_to(mpmath.mpf(float(np.finfo(np.float32).max)) * (1 + mpmath.ldexp(1, -26)), f32) \
            == float(np.finfo(np.float32).max)
        assert exact.round_to(mpmath.ldexp(1, -1075), f64) == 0.0                 # half the smallest subnormal: even


def test_ulp_distance():
    d = exact.ulp_distance
    one = np.float32(1)
    assert d(np.nextafter(one, np.float32(2)), one, "float32") == 1
    assert d(-0.0, 0.0, "float32") == 0
    assert d(np.nan, 1.0, "float64") == np.inf and d(np.inf, 1e308, "float64") == np.inf
    sub = float(np.finfo(np.float32).tiny) / 4
    assert d(0.0, sub, "float32") > 1e6                   # a backend that keeps subnormals: far off
    assert d(0.0, sub, "float32", flush=True) == 0        # flushed: exact to the backend's resolution
    assert d(float(np.finfo(np.float32).tiny), 0.0, "float32", flush=True) == 1


def test_a_documented_threshold_matches_its_model():
    spec = next(s for s in thresholds.NAMED if s.id == "sigmoid-grad.as-written.zero")
    row = measure.measure(spec.function, "float32", columns=[spec.column])
    found = thresholds.named(row, spec)
    assert found["observed"] is not None and found["floats_apart"] == 0, found


def test_a_threshold_claim_quotes_the_model_not_a_measurement():
    """The quoted threshold is the correctly rounded model's: a statement quoting its neighbour fails, naming both."""
    from checks.claims.accuracy import _threshold
    from checks.engine import runner

    check = _threshold("softmax.naive.nan", {"float32": "88.72285", "float64": "709.7827128933841"})
    out = check.run("float32", runner.BUDGETS["dev"])
    assert not out.ok and "the statement quotes 88.72285, the model gives 88.72284" in out.message
