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
