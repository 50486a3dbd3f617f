"""``make bench``'s throughput probes run for every kind of elementwise check (speed is measured there, never asserted)."""
import pytest

from checks import bench
from checks.engine import registry
from checks.engine.checks import Derivative, Exists, Identity, Inequality


@pytest.mark.parametrize("kind", [Derivative, Identity, Inequality, Exists], ids=lambda k: k.__name__)
def test_kernel_and_subject_throughput_run(kind):
    claim = next(c for c in registry.load() if bench.elementwise(c) and type(c.check) is kind)
    assert bench.kernel_throughput(claim, "float32", n=1024) > 0
    assert bench.subject_throughput(claim, "float32", n=1024) > 0


def _evidence(dtype, points):
    return {"oracle": "lhs=rhs", "dtype": dtype, "points": points}


def test_sweep_points_holds_swept_claims_to_the_budget_and_counts_custom_designs_apart():
    certificate = {"claims": [
        {"id": "sigmoid.derivative", "evidence": [_evidence("float32", 100_021), _evidence("float32", 48),
                                                  _evidence("float64", 100_025)]},
        {"id": "sigmoid.symmetry", "evidence": [_evidence("float64", 99_999)]},
        {"id": "expectation.coin-example", "evidence": [_evidence("float64", 1)]},  # a Custom check's fixed design
    ]}
    assert bench.sweep_points(certificate) == {"claim_dtypes": 3, "min": 99_999, "min_at": ["sigmoid.symmetry", "float64"],
                                               "custom_claims": 1}


def _run(wall, profile, fewest, rc=0):
    return {"wall_s": wall, "returncode": rc, "profile": profile, "sweep_points": {"min": fewest}}


def test_targets_say_which_are_met_and_miss_none_that_was_measured():
    doc = {"certify_wall": {"warm": _run(45.0, "ci", 100_021), "thorough": _run(612.0, "thorough", 10_000_003)},
           "naive_summary": {"min_speedup": 800.0},
           "elementwise_kernels": {"claims": 126, "median_exp_over_kernel": 14.7, "within_3x": 1},
           "claims": [{"custom": False, "warm": {"compiles": 0}}, {"custom": True, "warm": {"compiles": 3}}]}
    met = {t["target"].split(":")[0]: t["met"] for t in bench.targets(doc)}
    assert met == {"make certify (ci profile, warm cache)": True, "ci profile": True,
                   "make certify (thorough profile, warm cache)": False, "thorough profile": True,
                   "engine over the naive design, same claims and points (smallest speed-up)": True,
                   "elementwise check kernels": False,
                   "compilations of the engine's check kernels on a warm re-run of every claim": True}
    doc["certify_wall"]["warm"] = _run(45.0, "ci", 99_999, rc=1)  # too few points; a failed run meets no wall target
    doc["claims"][0]["warm"]["compiles"] = 2  # an engine kernel recompiled
    assert [t["met"] for t in bench.targets(doc)][:2] == [False, False] and not bench.targets(doc)[-1]["met"]
    only = bench.targets({"naive_summary": {"min_speedup": 14.9}})
    assert [(t["target"], t["met"]) for t in only] == \
        [("engine over the naive design, same claims and points (smallest speed-up)", False)]
