"""The numerical environment, set once and reported: backend, x64, matmul precision, flush-to-zero.

JAX is imported here lazily (on first use), never at plugin import or collection.
"""
from __future__ import annotations

import functools
import hashlib
import os
import pathlib
import platform as _host
import re

KNOWN_PLATFORMS = ("cpu", "gpu", "cuda", "rocm", "tpu")

# The oldest versions the engine runs on: pyproject.toml's floors (checks/test_platform.py keeps them equal),
# which `make lowest` certifies. Older ones fail in ways that look like a claim's fault (a missing jnp
# function reads as a declaration error), so the plugin says so in one line at start-up instead.
MINIMUM = {"jax": "0.10.2", "jaxlib": "0.10.2", "hypothesis": "6.131.9"}


class PlatformError(RuntimeError):
    """The requested backend is unknown or absent."""


def select_platform(name: str | None) -> None:
    """Choose JAX's platform before JAX starts (``--jax-platform``; ``JAX_PLATFORMS`` otherwise)."""
    if not name:
        return
    for part in name.split(","):
        if part.strip() not in KNOWN_PLATFORMS:
            raise PlatformError(f"unknown JAX platform {part!r}: expected one of {', '.join(KNOWN_PLATFORMS)}")
    os.environ["JAX_PLATFORMS"] = name


def too_old() -> str | None:
    """One line naming every installed package of ``MINIMUM`` older than its floor, or None."""
    from importlib.metadata import PackageNotFoundError, version

    from packaging.version import Version  # pytest's own dependency

    old = []
    for name, floor in MINIMUM.items():
        try:
            have = version(name)
        except PackageNotFoundError:  # absent: configure() says so when JAX starts
            continue
        if Version(have) < Version(floor):
            old.append(f"{name} {have} (needs >= {floor})")
    return None if not old else ("certify: too old for the engine: " + ", ".join(old)
                                 + "; `make` installs the locked versions (requirements.lock)")


def cpu_info() -> tuple[str, frozenset[str]]:
    """(the CPU's model name, its feature flags), from /proc/cpuinfo where there is one (Linux; x86 or ARM names)."""
    fields = {}
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            fields.setdefault(key.strip(), value.strip())  # the first processor's
    except OSError:
        pass
    model = fields.get("model name") or fields.get("Model") or fields.get("CPU part") or _host.processor() or _host.machine()
    return model, frozenset((fields.get("flags") or fields.get("Features") or "").split())


def host_key() -> str:
    """The persistent compilation cache's subdirectory for this host and code path.

    JAX's own cache key has the XLA flags but no CPU: XLA's CPU backend compiles for the host's instruction set,
    so an executable from one CPU may not run on another (an AVX-512 instruction on an AVX2 CPU) or may round
    differently (another ISA, another tuning). The name: the CPU model, readable, and a hash of the model, its
    feature flags and XLA_FLAGS (``--xla_cpu_max_isa`` picks another code path on the same CPU).
    """
    model, flags = cpu_info()
    digest = hashlib.sha256("\n".join([model, " ".join(sorted(flags)), os.environ.get("XLA_FLAGS", "")]).encode())
    slug = re.sub(r"[^a-z0-9]+", "-", model.lower()).strip("-")[:40] or "cpu"
    return f"{_host.machine().lower()}-{slug}-{digest.hexdigest()[:12]}"


@functools.lru_cache(maxsize=None)
def configure(cache_dir: str | None = None):
    """Start JAX the way certification needs it; returns the ``jax`` module.

    * x64 on, so float64 is certified as float64 (float32 inputs stay float32:
      the runner checks every output's dtype, so nothing is silently up- or downcast);
    * matrix products at HIGHEST precision: TF32 on GPUs and bf16 passes on TPUs
      are the defaults and would be mistaken for errors of the formulas;
    * the persistent compilation cache, when a directory is given: in its subdirectory ``host_key()``, so that
      runners sharing a cache (CI keeps one between runs) never replay code compiled for another CPU.
    """
    try:
        import jax
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise PlatformError("JAX is not installed: `make certify` creates the environment, or pip install jax jaxlib") from e
    jax.config.update("jax_enable_x64", True)
    jax.config.update("jax_default_matmul_precision", "highest")
    if cache_dir:
        jax.config.update("jax_compilation_cache_dir", os.path.join(cache_dir, host_key()))
        jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
        jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)
    try:
        jax.devices()
    except RuntimeError as e:
        raise PlatformError(f"JAX could not start platform {os.environ.get('JAX_PLATFORMS', '(default)')!r}: {e}") from e
    return jax


def require_backend(wanted: str) -> None:
    """Fail loudly unless JAX's default backend is ``wanted`` (``--require-backend``)."""
    jax = configure()
    got = jax.default_backend()
    aliases = {"cuda": "gpu", "rocm": "gpu"}
    if aliases.get(wanted, wanted) != aliases.get(got, got):
        raise PlatformError(f"--require-backend {wanted}: JAX's default backend is {got!r} "
                            f"(devices: {', '.join(str(d) for d in jax.devices())})")


@functools.lru_cache(maxsize=None)
def supports(dtype: str) -> str | None:
    """``None`` if the backend computes in ``dtype``, else the reason it cannot (TPUs lack float64)."""
    jax = configure()
    import jax.numpy as jnp

    x = jnp.ones((), dtype=dtype) / 3
    if str(x.dtype) != dtype:
        return f"backend {jax.default_backend()} has no {dtype} (got {x.dtype})"
    return None


@functools.lru_cache(maxsize=None)
def flushes_subnormals(dtype: str) -> bool:
    """Detected, not assumed: does the backend flush subnormal results to zero?"""
    jax = configure()
    import numpy as np

    tiny = np.finfo(dtype).tiny
    halve = jax.jit(lambda t: t / 2)
    return float(halve(jax.numpy.asarray(tiny, dtype=dtype))) == 0.0


@functools.lru_cache(maxsize=None)
def reads_subnormals_as_zero(dtype: str) -> bool:
    """Detected, not assumed: does the backend read subnormal *inputs* as zero (DAZ)?

    A separate CPU flag from flushing results: ``tiny + s`` (``s`` subnormal) is a normal
    number, so it equals ``tiny`` only if ``s`` was read as 0.
    """
    jax = configure()
    import numpy as np

    fi = np.finfo(dtype)
    add = jax.jit(lambda a, b: a + b)
    sub = jax.numpy.asarray(fi.smallest_subnormal * 4, dtype=dtype)
    return float(add(jax.numpy.asarray(fi.tiny, dtype=dtype), sub)) == float(fi.tiny)


def environment() -> dict:
    """What the certificate's header states about where it was computed."""
    jax = configure()
    import jaxlib

    return {
        "jax": jax.__version__,
        "jaxlib": jaxlib.__version__,
        "backend": jax.default_backend(),
        "devices": [str(d) for d in jax.devices()],
        "x64": bool(jax.config.jax_enable_x64),
        "matmul_precision": str(jax.config.jax_default_matmul_precision),
        "cpu": cpu_info()[0],
        "xla_flags": os.environ.get("XLA_FLAGS", ""),
        "flush_to_zero": {dt: flushes_subnormals(dt) for dt in ("float32", "float64") if supports(dt) is None},
        "denormals_are_zero": {dt: reads_subnormals_as_zero(dt) for dt in ("float32", "float64") if supports(dt) is None},
    }
