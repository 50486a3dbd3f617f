"""Compilations are bounded by the shape buckets, never by the number of Hypothesis examples.

The bound, read off ``checks/engine/runner.py`` and ``referee.py``, per check and dtype, for a
claim that certifies (no counterexample to explain, no as-written form):

* the kernel: ``runner._Compiled`` keeps one ``jit(vmap(check.kernel()))`` (comparison fused in) per
  check and dtype, and every batch it sees (sweep chunks) is padded to ``budget.batch``; the referee
  reads the sweep's values, nothing is evaluated for it: one compilation per
  shape bucket, B = ``len(check.domain.buckets)``; Hypothesis batches are padded to
  the budget's batch where it is at most ``runner.HYPOTHESIS_PAD`` (the same shape), else to
  ``runner.HYPOTHESIS_SMALL`` (thorough): one more per bucket;
* the Taylor test (``Derivative`` only, float64 only) reuses the sweep's hand derivative; only a
  check without ``forward_mp`` jits a float64 remainder kernel (kept per check): B more.

Counted with jax.monitoring's backend-compile event (recorded for every compilation request,
persistent-cache hits included), on fresh copies of the checks so that nothing compiled earlier
in the session is reused.
"""
import dataclasses

import pytest

from checks.bench import CompileCounter
from checks.engine import platform, registry, runner
from checks.engine.checks import Derivative

QUICK = runner.Budget(points=4000, examples=10, hyp_batch=4, exact_points=16)  # dev-size
PREFERRED = {"scalar": "sigmoid.derivative", "vector": "softmax-nll.grad-logits"}


def _pick(kind):
    """The preferred claim, else the first Derivative claim of that shape in the registry."""
    claims = [c for c in registry.load() if isinstance(c.check, Derivative)]
    by_id = {c.id: c for c in claims}
    if PREFERRED[kind] in by_id:
        return by_id[PREFERRED[kind]]
    return next(c for c in claims if (c.check.domain.buckets == (1,)) == (kind == "scalar"))


def fresh(claim):
    """The claim with a new check object: its kernel is traced and compiled anew."""
    return dataclasses.replace(claim, check=dataclasses.replace(claim.check))


def bound(check, dtype, budget=QUICK):
    buckets = len(check.domain.buckets)
    hypothesis = buckets if budget.batch > runner.HYPOTHESIS_PAD else 0
    taylor = buckets if isinstance(check, Derivative) and dtype == "float64" and check.forward_mp is None else 0
    return buckets + hypothesis + taylor


def certify_counting(claim, dtype, budget=QUICK):
    with CompileCounter() as c:
        out = runner.certify(claim, dtype, budget)
    assert out.status == "certified", out
    return c


@pytest.fixture(scope="module", autouse=True)
def backend_probes():
    """The once-per-process probes (dtype support, flush-to-zero) compile outside any claim."""
    platform.configure()
    for dt in ("float32", "float64"):
        platform.supports(dt)
        platform.flushes_subnormals(dt)
        platform.reads_subnormals_as_zero(dt)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("kind", ["scalar", "vector"])
def test_compiles_bounded_by_buckets(kind, dtype):
    claim = fresh(_pick(kind))
    buckets = len(claim.check.domain.buckets)
    first = certify_counting(claim, dtype)
    assert buckets <= first.compiles <= bound(claim.check, dtype), first.names
    assert certify_counting(claim, dtype).compiles == 0  # everything is reused


def test_compiles_independent_of_examples():
    """Ten or forty Hypothesis examples: the same compilations (batches are padded to one shape)."""
    few = certify_counting(fresh(_pick("scalar")), "float32", dataclasses.replace(QUICK, examples=10))
    many = certify_counting(fresh(_pick("scalar")), "float32", dataclasses.replace(QUICK, examples=40))
    assert few.compiles == many.compiles == 1, (few.names, many.names)


def test_thorough_sized_batches_add_one_hypothesis_shape():
    """A sweep batch above the Hypothesis pad compiles a second shape per bucket, and only that."""
    claim = fresh(_pick("scalar"))
    big = dataclasses.replace(QUICK, batch=2 * runner.HYPOTHESIS_PAD)
    assert certify_counting(claim, "float32", big).compiles == bound(claim.check, "float32", big) == 2


def test_a_sweep_of_several_chunks_compiles_nothing_more(monkeypatch):
    """Every chunk of a long sweep (thorough) runs through the same compiled kernel."""
    monkeypatch.setattr(runner, "SWEEP_CHUNK", 1024)
    claim = fresh(_pick("scalar"))
    assert certify_counting(claim, "float32").compiles == bound(claim.check, "float32") == 1
