"""The numerical environment: platform selection, backend requirement, flush-to-zero detection, bad input."""
import subprocess
import sys

import numpy as np
import pytest

from checks.engine import platform


def test_unknown_platform_is_named():
    with pytest.raises(platform.PlatformError, match="unknown JAX platform 'gpux'"):
        platform.select_platform("gpux")


def test_missing_backend_fails_loudly():
    backend = platform.configure().default_backend()
    missing = "cpu" if backend != "cpu" else "tpu"
    with pytest.raises(platform.PlatformError, match=f"--require-backend {missing}: JAX's default backend is '{backend}'"):
        platform.require_backend(missing)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_flush_to_zero_is_detected_not_assumed(dtype):
    """Whatever the backend does with tiny/2 is what the report says it does."""
    jax = platform.configure()
    tiny = np.finfo(dtype).tiny
    seen = float(jax.jit(lambda t: t / 2)(jax.numpy.asarray(tiny, dtype=dtype)))
    assert platform.flushes_subnormals(dtype) == (seen == 0.0)
    assert platform.environment()["flush_to_zero"][dtype] == (seen == 0.0)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_denormals_are_zero_is_detected_separately(dtype):
    jax = platform.configure()
    fi = np.finfo(dtype)
    seen = float(jax.jit(lambda a, b: a + b)(jax.numpy.asarray(fi.tiny, dtype), jax.numpy.asarray(4 * fi.smallest_subnormal, dtype)))
    assert platform.reads_subnormals_as_zero(dtype) == (seen == float(fi.tiny))


def test_x64_and_highest_matmul_precision_are_on():
    env = platform.environment()
    assert env["x64"] and env["matmul_precision"] == "highest"


def _repro(*args):
    return subprocess.run([sys.executable, "-m", "checks", "repro", *args], capture_output=True, text=True)


def test_repro_names_a_wrong_shape_and_an_unknown_claim():
    r = _repro("softmax-nll.grad-logits", "--dtype", "float32", "--args", "[[1, 2, 3, 4], [0, 1]]")
    assert r.returncode != 0 and "argument 0 has shape (4,), expected one of [(2,), (7,)]" in r.stderr
    r = _repro("no.such-claim", "--dtype", "float32", "--args", "[1]")
    assert r.returncode != 0 and "no claim 'no.such-claim'" in r.stderr


def test_repro_replays_the_sigmoid_tail():
    r = _repro("sigmoid.derivative", "--dtype", "float64", "--args", "[40.0]")
    assert r.returncode == 0 and "4.248354255291589e-18" in r.stdout
