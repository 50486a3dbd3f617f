"""``python -m checks.bench --out reports/bench.json``: how fast certification is, and where the time goes.

Measured in one run, on this machine:

* ``certify``: wall time of ``make certify``'s pytest command in a subprocess, cold (empty JAX
  persistent compilation cache) and warm (the cache it filled) with one xdist worker per core,
  and warm in one process (``-n 0``);
* ``claims``: per claim and dtype, ``runner.certify`` in-process, first run (compiles) and warm
  run, with the evidence's point count, points/s, compilations and where the time went
  (phase x kind: kernel execution, compile, mpmath, host comparison, Hypothesis, input generation);
* ``exp``: this machine's ``jit(exp)`` throughput over a large array, per dtype, and the device
  throughput of each elementwise claim's check kernel against it;
* ``naive``: the naive design on the same claims and dtypes -- Hypothesis drawing arrays of free
  length, ``jax.grad`` per element (eager) or ``jit(vmap(grad))`` per array (recompiled per
  length) -- time-boxed, its points/s and the speed-up of the engine over it.
* ``thorough`` (``--thorough-wall``, about ten minutes more): the thorough profile's wall time as
  ``make certify PROFILE=thorough`` runs it, warm;
* ``targets``: each target of the speed issue beside what this run measured, and whether it is met.

Nothing here is imported by the engine; :class:`CompileCounter` is also used by
``checks/test_compiles.py``.
"""
from __future__ import annotations

import argparse
import collections
import contextlib
import dataclasses
import importlib.util
import json
import os
import pathlib
import platform as _platform
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent

# jax.monitoring events (jax/_src/dispatch.py): tracing, lowering, and the backend compilation
# request (a persistent-cache hit is recorded inside the latter, so it counts it too).
TRACE = "/jax/core/compile/jaxpr_trace_duration"
LOWER = "/jax/core/compile/jaxpr_to_mlir_module_duration"
COMPILE = "/jax/core/compile/backend_compile_duration"
CACHE_HIT = "/jax/compilation_cache/cache_hits"
COMPILE_EVENTS = (TRACE, LOWER, COMPILE)


class CompileCounter:
    """Counts JAX traces and backend compilations (``with CompileCounter() as c: ...; c.compiles``).

    ``names`` lists the compiled functions in order (``jit(k)`` is a check's kernel);
    ``seconds`` is the time spent tracing, lowering and compiling. ``on_event(seconds)`` is
    called for each of those events (the profiler uses it to move the time to "compile").
    """

    def __init__(self, on_event=None):
        self.counts = collections.Counter()
        self.names = []
        self.seconds = 0.0
        self.cache_hits = 0
        self._on_event = on_event

    def _duration(self, event, seconds, **kw):
        if event in COMPILE_EVENTS:
            self.counts[event] += 1
            self.seconds += seconds
            if event == COMPILE:
                self.names.append(str(kw.get("fun_name", "?")))
            if self._on_event:
                self._on_event(seconds)

    def _event(self, event, **kw):
        if event == CACHE_HIT:
            self.cache_hits += 1

    @property
    def compiles(self) -> int:
        return self.counts[COMPILE]

    @property
    def traces(self) -> int:
        return self.counts[TRACE]

    def __enter__(self):
        import jax.monitoring as mon

        mon.register_event_duration_secs_listener(self._duration)
        mon.register_event_listener(self._event)
        return self

    def __exit__(self, *exc):
        import jax.monitoring as mon

        mon.unregister_event_duration_listener(self._duration)
        mon.unregister_event_listener(self._event)
        return False


# -- where the time goes -------------------------------------------------------------------------

class PhaseTimer:
    """Exclusive wall time by (phase, kind), by wrapping the engine's functions (never editing them).

    A phase is the innermost of sweep / hypothesis / exact oracle / adjudication on the call
    stack; a kind is what the innermost wrapped frame does: ``kernel`` (the jitted batch, padding and
    device-to-host copy), ``compile`` (tracing + lowering + XLA, from jax.monitoring), ``exact`` (the
    exact interpreter's ball arithmetic), ``mpmath`` (an author's declared referees, checked),
    ``host`` (numpy comparison, ulp errors, bookkeeping), ``hypothesis`` (drawing and running
    examples, minus what they call), ``inputs`` (building the sweep).
    """

    def __init__(self):
        from .engine import referee as ref
        from .engine import runner
        from .engine.domains import Args
        from .engine.exact import oracle

        S = runner._Session
        self.targets = [  # (owner, attribute, phase or None, kind)
            (runner, "certify", "other", "host"),
            (S, "sweep", "sweep", "host"),
            (S, "hypothesis", "hypothesis", "hypothesis"),
            (S, "exact", "exact oracle", "host"),
            (S, "_adjudicate", "adjudication", "host"),
            (S, "judge", None, "host"),
            (runner._Compiled, "__call__", None, "kernel"),
            (oracle, "_cached", None, "exact"),
            (ref, "derivative_values", None, "mpmath"),
            (ref, "identity_values", None, "mpmath"),
            (Args, "sweep", None, "inputs"),
        ]
        self.totals = {"wall": collections.Counter(), "cpu": collections.Counter()}
        self._stack = []  # [phase, kind, wall at entry, cpu at entry, children's wall, children's cpu]
        self._saved = []

    def _wrap(self, fn, phase, kind):
        timer = self

        def wrapped(*a, **kw):
            outer = timer._stack[-1][0] if timer._stack else "other"
            frame = [phase or outer, kind, time.perf_counter(), time.process_time(), 0.0, 0.0]
            timer._stack.append(frame)
            try:
                return fn(*a, **kw)
            finally:
                timer._stack.pop()
                wall, cpu = time.perf_counter() - frame[2], time.process_time() - frame[3]
                timer.totals["wall"][frame[0], frame[1]] += wall - frame[4]
                timer.totals["cpu"][frame[0], frame[1]] += max(cpu - frame[5], 0.0)
                if timer._stack:
                    timer._stack[-1][4] += wall
                    timer._stack[-1][5] += cpu

        wrapped.__wrapped__ = fn
        return wrapped

    def on_compile(self, seconds):
        """A compile event inside the current frame: its time is compile, not that frame's kind.

        jax.monitoring reports wall seconds; compilation is single-threaded, so they stand for CPU too.
        """
        if self._stack:
            top = self._stack[-1]
            top[4] += seconds
            top[5] += seconds
            for clock in self.totals.values():
                clock[top[0], "compile"] += seconds

    def __enter__(self):
        for owner, name, phase, kind in self.targets:
            fn = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
            self._saved.append((owner, name, fn))
            setattr(owner, name, self._wrap(fn, phase, kind))
        return self

    def __exit__(self, *exc):
        for owner, name, fn in reversed(self._saved):
            setattr(owner, name, fn)
        self._saved.clear()
        return False

    def table(self, clock="wall") -> dict:
        """{phase: {kind: seconds}} by wall or process CPU time (CPU time is robust to other load)."""
        out = collections.defaultdict(dict)
        for (phase, kind), s in sorted(self.totals[clock].items()):
            if s > 5e-4:
                out[phase][kind] = round(s, 4)
        return dict(out)


@contextlib.contextmanager
def measured():
    """Wall time, compilations and the phase breakdown of the enclosed certification."""
    timer = PhaseTimer()
    result = {}
    with timer, CompileCounter(on_event=timer.on_compile) as cc:
        t0, c0 = time.perf_counter(), time.process_time()
        yield result
        result["seconds"] = time.perf_counter() - t0
        result["cpu_seconds"] = round(time.process_time() - c0, 4)
    result.update(compiles=cc.compiles, traces=cc.traces, compile_seconds=round(cc.seconds, 4),
                  compiled=cc.names, breakdown=timer.table(), breakdown_cpu=timer.table("cpu"))


# -- the machine ---------------------------------------------------------------------------------

def machine() -> dict:
    from .engine import platform

    jax = platform.configure()
    import jaxlib

    cpu = "?"
    with contextlib.suppress(OSError):
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cpu": cpu, "cores": os.cpu_count(),
        "affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "python": _platform.python_version(), "jax": jax.__version__, "jaxlib": jaxlib.__version__,
        "backend": jax.default_backend(), "devices": [str(d) for d in jax.devices()],
        "load_before": [round(x, 2) for x in os.getloadavg()],  # other work on the machine skews every timing
    }


N_ELEMENTWISE = 1 << 20  # large enough to amortise dispatch, small enough to stay in cache (4-8 MB)


def _best_time(fn, reps=9):
    fn()  # warm-up (compiles)
    best = np.inf
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def exp_throughput(dtype, n=N_ELEMENTWISE) -> float:
    """Points/s of ``jit(exp)`` over ``n`` elements: the elementwise yardstick of this machine."""
    from .engine import platform

    jax = platform.configure()
    x = jax.device_put(np.linspace(-50, 50, n).astype(dtype))
    f = jax.jit(jax.numpy.exp)
    return n / _best_time(lambda: f(x).block_until_ready())


def _throughput(fn, check, dtype, n, batched=False) -> float:
    """Device points/s of ``fn`` on ``n`` of the check's sweep points (no padding, no host work):
    ``jit(vmap(fn))``, or ``fn`` itself where it is already the batched, compiled kernel."""
    from .engine import platform

    jax = platform.configure()
    args = check.domain.sweep(dtype, n, check.domain.buckets[0])
    args = [jax.device_put(np.resize(a, (n,) + a.shape[1:])) for a in args]
    f = fn if batched else jax.jit(jax.vmap(fn))
    return n / _best_time(lambda: jax.block_until_ready(f(*args)))


def kernel_throughput(claim, dtype, n=N_ELEMENTWISE) -> float:
    """Device points/s of the engine's check kernel for ``claim``, as the sweep runs it: every oracle's
    values (hand, reverse, forward, cond, ...) and, compiled in, each point's errors in float64."""
    from .engine import runner

    check = claim.check
    fn, _ = runner.COMPILED._build(check, dtype)
    return _throughput(fn, check, dtype, n, batched=True)


def subject_throughput(claim, dtype, n=N_ELEMENTWISE) -> float:
    """Device points/s of the claim's own function alone (the forward definition, or an identity's left
    side): the intrinsic cost of its arithmetic, against which the kernel's overhead is judged."""
    from .engine.checks import Derivative, Exists, Identity

    check = claim.check
    fn = {Derivative: "forward", Identity: "lhs", Exists: "witness"}.get(type(check), "lower")
    return _throughput(getattr(check, fn), check, dtype, n)


def elementwise(claim) -> bool:
    from .engine.checks import Custom

    check = claim.check
    return claim.numerical and not isinstance(check, Custom) and check.domain.buckets == (1,)


# -- the engine, per claim -----------------------------------------------------------------------

def points(outcome) -> int:
    """The claim's point count as the certificate reports it: the largest evidence count."""
    return max((e.points for e in outcome.evidence), default=0)


def certify_claims(claims, dtypes, budget) -> list[dict]:
    from .engine import platform, runner
    from .engine.checks import Custom

    for dt in dtypes:  # the backend probes compile once per process: not any claim's cost
        platform.supports(dt)
        platform.flushes_subnormals(dt)
    rows = []
    for claim in claims:
        for dtype in dtypes:
            row = {"claim": claim.id, "dtype": dtype, "custom": isinstance(claim.check, Custom)}
            for run in ("first", "warm"):
                with measured() as m:
                    out = runner.certify(claim, dtype, budget)
                row[run] = m
            row.update(status=out.status, points=points(out))
            row["points_per_s"] = row["points"] / row["warm"]["seconds"]
            row["points_per_cpu_s"] = row["points"] / max(row["warm"]["cpu_seconds"], 1e-9)
            rows.append(row)
            print(f"  {claim.id} [{dtype}] {out.status}: {row['points']} points, first {row['first']['seconds']:.2f} s "
                  f"({row['first']['compiles']} compiles), warm {row['warm']['seconds']:.2f} s "
                  f"({row['warm']['compiles']} compiles)", flush=True)
    return rows


# -- the naive design ----------------------------------------------------------------------------

class _TimeUp(BaseException):
    """Ends a time-boxed Hypothesis run without a failure (so nothing is shrunk)."""


def naive_rate(claim, dtype, seconds, mode, max_len=64) -> dict:
    """The naive design on ``claim``: ``@given`` arrays of free length, autodiff per example.

    ``mode="eager"``: ``jax.grad`` (``jacrev`` for vector outputs) of the forward definition and the hand
    derivative, un-jitted, per element of the drawn array; ``mode="jit-per-shape"``:
    ``jit(vmap(grad))`` of the whole array, which XLA recompiles for every new length. Each point is
    compared in ulps as the engine does (no referee, Taylor or forward mode: less work than the engine).
    """
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from .engine import platform
    from .engine.checks import Derivative, Identity
    from .engine.tolerance import reduce_points, ulp_error

    jax = platform.configure()
    check = claim.check
    floor = check.tol.floor(dtype, platform.flushes_subnormals(dtype))
    if isinstance(check, Derivative):
        example = [a[0] for a in check.domain.sweep(dtype, 1, check.domain.buckets[0])]
        scalar_out = jax.eval_shape(check.forward, *example).shape == ()
        ad = (jax.grad if scalar_out else jax.jacrev)(check.forward, argnums=check.wrt)
        sides = (ad, check.derivative)
    elif isinstance(check, Identity):
        sides = (check.lhs, check.rhs)
    else:
        raise TypeError(f"naive baseline implemented for Derivative and Identity checks, not {type(check).__name__}")

    if mode == "eager":
        def evaluate(args):
            rows = [[np.asarray(side(*[a[i] for a in args])) for side in sides] for i in range(len(args[0]))]
            return [np.stack(r) for r in zip(*rows)]
    else:
        batched = [jax.jit(jax.vmap(side)) for side in sides]

        def evaluate(args):
            return [np.asarray(f(*args)) for f in batched]

    examples = st.sampled_from(check.domain.buckets).flatmap(
        lambda k: st.lists(check.domain.strategy(dtype, k), min_size=1, max_size=max_len))
    count = {"points": 0, "examples": 0, "mismatches": 0}
    log = []  # per example: (points, seconds since the previous one ended, compilations it caused)

    @settings(max_examples=10 ** 7, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(examples)
    def prop(batch):
        compiled = cc.compiles
        args = [np.stack([np.asarray(e[i]) for e in batch]) for i in range(len(batch[0]))]
        a, b = evaluate(args)
        err = reduce_points(ulp_error(a, b, np.maximum(np.abs(a), np.abs(b)), dtype, floor))
        count["points"] += len(batch)
        count["examples"] += 1
        count["mismatches"] += int((err > check.tol.ulps).sum())  # counted, not raised: no shrinking
        now, cpu = time.perf_counter(), time.process_time()
        log.append((len(batch), now - last[0], cpu - last[1], cc.compiles - compiled))
        last[:] = now, cpu
        if now - t0 > seconds:
            raise _TimeUp

    with CompileCounter() as cc:
        t0 = time.perf_counter()
        last = [t0, time.process_time()]
        with contextlib.suppress(_TimeUp):
            prop()
        elapsed = time.perf_counter() - t0
    # Extrapolation. Once every shape it draws has been compiled, the naive design runs at the rate of
    # its examples that compiled nothing (Hypothesis' drawing included): the rate compared with the
    # engine's, which flatters the naive design. Its 1e5-point time adds a compilation per free shape.
    warm = [(n, dt, cpu) for n, dt, cpu, c in log if c == 0]
    cold = [(dt, c) for n, dt, cpu, c in log if c]
    rate = sum(n for n, _, _ in warm) / sum(dt for _, dt, _ in warm) if warm else count["points"] / elapsed
    cpu_rate = sum(n for n, _, _ in warm) / max(sum(cpu for _, _, cpu in warm), 1e-9) if warm else None
    per_compile = sum(dt for dt, _ in cold) / max(sum(c for _, c in cold), 1)
    if mode == "eager":  # op-by-op: each primitive compiles once per element shape (one per bucket), seen already
        shapes, compile_total = len(check.domain.buckets), sum(dt for dt, _ in cold)
    else:  # one compilation set per drawn array length and bucket
        shapes = len(check.domain.buckets) * max_len
        compile_total = shapes * per_compile * sum(c for _, c in cold) / max(len(cold), 1)
    return dict(count, claim=claim.id, dtype=dtype, mode=mode, seconds=round(elapsed, 3), compiles=cc.compiles,
                overall_points_per_s=count["points"] / elapsed, points_per_s=rate, points_per_cpu_s=cpu_rate,
                warm_examples=len(warm),
                seconds_per_compile=per_compile, free_shapes=shapes, extrapolated_1e5_s=1e5 / rate + compile_total)


# -- the whole certification in a subprocess -----------------------------------------------------

def sweep_points(certificate: dict) -> dict:
    """Points per swept claim and dtype in a written certificate (a claim's largest evidence count).

    The budget's points go to every claim whose check sweeps a domain; a ``Custom`` check runs its own
    fixed design (an accuracy table, a conditioning ladder) and is counted apart, not held to the budget.
    """
    from .engine import registry
    from .engine.checks import Custom

    custom = {c.id for c in registry.load() if isinstance(c.check, Custom)}
    swept = collections.defaultdict(dict)
    for c in certificate["claims"]:
        for e in c["evidence"]:
            if c["id"] not in custom:
                swept[c["id"]][e["dtype"]] = max(swept[c["id"]].get(e["dtype"], 0), e["points"])
    counts = {(cid, dt): n for cid, by in swept.items() for dt, n in by.items()}
    low = min(counts, key=counts.get, default=None)
    return {"claim_dtypes": len(counts), "min": counts.get(low), "min_at": list(low) if low else None,
            "custom_claims": len(custom & {c["id"] for c in certificate["claims"]})}


def _cache_files(cache_dir) -> list:
    return [p for p in pathlib.Path(cache_dir).rglob("*") if p.is_file()] if cache_dir else []


def certify_wall(cache_dir, extra=(), profile="ci", exact_dir=None) -> dict:
    """Wall and CPU time of a certification as ``make certify`` runs it (reports to a scratch dir); ``exact_dir``:
    the exact oracle's cache (default: ``$CERTIFY_EXACT_CACHE``, as make has it)."""
    import resource

    with tempfile.TemporaryDirectory() as reports:
        cmd = [sys.executable, "-m", "pytest", "checks/test_claims.py", "checks/test_traceability.py",
               f"--hypothesis-profile={profile}",
               f"--certify-report={reports}", "-q", "-p", "no:cacheprovider", "-W", "ignore", *extra]
        env = dict(os.environ, PYTHONPATH=str(ROOT), CERTIFY_JAX_CACHE=str(cache_dir or ""))
        if exact_dir is not None:
            env["CERTIFY_EXACT_CACHE"] = str(exact_dir)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        written = pathlib.Path(reports, "claims.json")
        certificate = json.loads(written.read_text()) if written.exists() else {"claims": []}
    tail = proc.stdout.strip().splitlines()[-1:] or [""]
    m = re.search(r"(\d+) passed.* in ([\d.]+)s", tail[0])
    files = _cache_files(cache_dir)
    return {"command": " ".join(cmd[1:]), "returncode": proc.returncode, "wall_s": round(wall, 2),
            "cpu_s": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 2),
            "pytest_s": float(m.group(2)) if m else None, "passed": int(m.group(1)) if m else 0,
            "summary": tail[0], "claims_in_report": len(certificate["claims"]), "profile": profile,
            "sweep_points": sweep_points(certificate),
            "cache_entries": len(files), "cache_bytes": sum(p.stat().st_size for p in files)}


def startup_wall() -> dict:
    """The fixed cost before any claim runs: interpreter, pytest, JAX import, registry and shape validation."""
    cmd = [sys.executable, "-m", "pytest", "checks/test_claims.py", "--collect-only", "-q", "-p", "no:cacheprovider"]
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True)
    return {"collect_only_s": round(time.perf_counter() - t0, 2)}


def certify_walls(repeat=1, thorough=False) -> dict:
    """``make certify`` cold (empty caches: JAX's and the exact oracle's) and warm, one xdist worker per core as
    ``make`` runs it, and warm in-process (``-n 0``); each ``repeat`` times, interleaved, the fastest kept.

    ``thorough``: then ``make certify PROFILE=thorough``, once per repeat. Its batches have another
    shape than the CI profile's, so it runs on ``make``'s own cache (``CERTIFY_JAX_CACHE``), warm from
    an earlier thorough run if there was one; ``cache_entries_added`` says how much it compiled.
    """
    xdist = ("-n", "auto", "--dist", "worksteal")
    configs = [("cold", xdist, "ci"), ("warm", xdist, "ci"), ("warm_in_process", ("-n", "0"), "ci")]
    configs += [("thorough", xdist, "thorough")] if thorough else []
    own_cache = os.environ.get("CERTIFY_JAX_CACHE")
    runs = collections.defaultdict(list)
    startup_wall()  # load the files into the OS cache so that the first timed run is not penalised
    for _ in range(repeat):
        runs["startup"].append(startup_wall())
        cache = pathlib.Path(tempfile.mkdtemp(prefix="bench-jax-cache-"))
        exact = pathlib.Path(tempfile.mkdtemp(prefix="bench-exact-cache-"))
        try:
            for name, extra, profile in configs:
                own = profile == "thorough" and own_cache
                where = pathlib.Path(own_cache) if own else cache
                before = len(_cache_files(where))
                runs[name].append(certify_wall(where, extra, profile, None if own else exact))
                runs[name][-1]["cache_entries_added"] = runs[name][-1]["cache_entries"] - before
        finally:
            shutil.rmtree(cache, ignore_errors=True)
            shutil.rmtree(exact, ignore_errors=True)
    key = lambda r: r.get("wall_s", r.get("collect_only_s"))  # noqa: E731
    return {name: dict(min(rs, key=key), all_wall_s=[key(r) for r in rs]) for name, rs in runs.items()}


# -- the report ----------------------------------------------------------------------------------

def targets(doc) -> list[dict]:
    """The speed issue's targets beside this run's measurements (a target this run did not measure is left out)."""
    out = []

    def target(name, value, limit, met, unit=""):
        out.append({"target": name, "measured": value, "limit": limit, "unit": unit, "met": bool(met)})

    w = doc.get("certify_wall", {})
    budgets = {"ci": 100_000, "thorough": 10_000_000}  # the points per claim and dtype
    for run, seconds in (("warm", 60), ("thorough", 600)):
        if run in w:
            r = w[run]
            target(f"make certify ({r['profile']} profile, warm cache): wall", r["wall_s"], seconds,
                   r["returncode"] == 0 and r["wall_s"] <= seconds, "s")
            target(f"{r['profile']} profile: points per swept claim and dtype (fewest)", r["sweep_points"]["min"],
                   budgets[r["profile"]], (r["sweep_points"]["min"] or 0) >= budgets[r["profile"]])
    if doc.get("naive_summary"):
        s = doc["naive_summary"]
        target("engine over the naive design, same claims and points (smallest speed-up)", round(s["min_speedup"], 1),
               15, s["min_speedup"] >= 15, "x")
    ek = doc.get("elementwise_kernels", {})
    if ek.get("claims"):
        target("elementwise check kernels: points/s of jit(exp) over the kernel's (median)",
               round(ek["median_exp_over_kernel"], 2), 3, ek["within_3x"] == ek["claims"], "x")
    if doc.get("claims"):  # a Custom check's own jax.jit calls are its author's (they do not grow with examples)
        warm = sum(r["warm"]["compiles"] for r in doc["claims"] if not r["custom"])
        target("compilations of the engine's check kernels on a warm re-run of every claim", warm, 0, warm == 0)
    return out


DEFAULT_NAIVE = ("sigmoid.derivative", "binary-nll.grad-logit", "softmax-nll.grad-logits", "cross-entropy.entropy-plus-kl")


def _old_referees():
    """The previous design's hand-written mpmath referees of a few headline claims (a second program restating
    the mathematics: what the exact oracle replaced), kept here only to time the two side by side."""
    from mpmath import mp

    def softmax(z):
        e = [mp.exp(v - max(z)) for v in z]
        return [v / mp.fsum(e) for v in e]

    def softmax_jacobian(z):
        s = softmax(z)
        return [[s[i] * ((i == j) - s[j]) for j in range(len(z))] for i in range(len(z))]

    return {
        "sigmoid.derivative": lambda x: mp.exp(-abs(x)) / (1 + mp.exp(-abs(x))) ** 2,
        "softplus.derivative": lambda x: 1 / (1 + mp.exp(-x)),
        "softmax.jacobian.quotient-rule": softmax_jacobian,
        "softmax-nll.grad-logits": lambda z, y: [si - yi for si, yi in zip(softmax(z), y)],
    }


def exact_vs_mpmath(claims, dtypes, n=256) -> list[dict]:
    """Points per second of the exact oracle (both sides of the claim, from its own programs, no cache) and of the
    old mpmath referee (one hand-written formula), at the same ``n`` points of each claim's sweep."""
    from .engine import referee as ref

    old = _old_referees()
    cache = os.environ.pop("CERTIFY_EXACT_CACHE", None)  # fresh evaluations, not cache reads
    rows = []
    try:
        for cid, referee in old.items():
            if cid not in claims:
                continue
            check = dataclasses.replace(claims[cid].check, referee=referee)
            for dtype in dtypes:
                k = check.domain.buckets[-1]
                args = check.domain.sweep(dtype, 20_000, k)
                idx = np.unique(np.linspace(0, len(args[0]) - 1, n).astype(int))
                pts = [a[idx] for a in args]
                t0 = time.perf_counter()
                check.truth(pts)
                exact_s = time.perf_counter() - t0
                t0 = time.perf_counter()
                ref.derivative_values(check, pts, dtype)
                mp_s = time.perf_counter() - t0
                rows.append({"claim": cid, "dtype": dtype, "bucket": k, "points": len(idx),
                             "exact_points_per_s": len(idx) / exact_s, "mpmath_points_per_s": len(idx) / mp_s,
                             "exact_over_mpmath": mp_s / exact_s})
    finally:
        if cache is not None:
            os.environ["CERTIFY_EXACT_CACHE"] = cache
    return rows


def _sum_breakdowns(rows, run, key="breakdown"):
    total = collections.Counter()
    for r in rows:
        for phase, kinds in r[run][key].items():
            for kind, s in kinds.items():
                total[phase, kind] += s
    return total


def _by(total, axis):
    out = collections.Counter()
    for key, s in total.items():
        out[key[axis]] += s
    return {k: round(v, 3) for k, v in out.most_common()}


def summarize(doc) -> list[str]:
    m = doc["machine"]
    lines = [f"machine: {m['cpu']}, {m['cores']} cores, jax {m['jax']} / jaxlib {m['jaxlib']}, backend {m['backend']}, "
             f"load average {m['load_before']} -> {doc.get('load_after')}"]
    w = doc.get("certify_wall")
    if w:
        lines.append("make certify (subprocess): " + ", ".join(
            f"{k} {v['wall_s']:.1f} s (cpu {v['cpu_s']:.1f} s, {v['profile']})" for k, v in w.items() if "wall_s" in v)
            + f"; startup (collect only) {w['startup']['collect_only_s']:.1f} s; cache: {w['cold']['cache_entries']} "
            f"entries, {w['cold']['cache_bytes'] / 1e6:.1f} MB"
            + (f"; the thorough run added {w['thorough']['cache_entries_added']}" if "thorough" in w else ""))
        for k, v in w.items():
            if "wall_s" in v and v["claims_in_report"] * 2 < v["passed"]:
                lines.append(f"  WARNING {k}: claims.json lists {v['claims_in_report']} claims for {v['passed']} passed tests")
    for t in doc.get("targets", []):
        lines.append(f"{'MET    ' if t['met'] else 'NOT MET'} {t['target']}: {t['measured']}{t['unit']} "
                     f"(target {t['limit']}{t['unit']})")
    e = doc["exp_points_per_s"]
    lines.append(f"jit(exp) over {N_ELEMENTWISE} elements: " + ", ".join(f"{k} {v:.3g} points/s" for k, v in e.items()))
    lines.append(f"{'claim':40s} {'dtype':8s} {'points':>9s} {'first s':>8s} {'warm s':>7s} {'points/s':>9s} "
                 f"{'compiles':>8s} {'exp/kernel':>10s} {'own f/kernel':>12s}")
    for r in doc["claims"]:
        ke = r.get("exp_over_kernel")
        lines.append(f"{r['claim']:40s} {r['dtype']:8s} {r['points']:9d} {r['first']['seconds']:8.2f} "
                     f"{r['warm']['seconds']:7.2f} {r['points_per_s'] or 0:9.3g} "
                     f"{r['first']['compiles']:>4d}+{r['warm']['compiles']:<3d} {'' if ke is None else f'{ke:.2f}x':>10s} "
                     f"{'' if 'subject_over_kernel' not in r else format(r['subject_over_kernel'], '.2f') + 'x':>12s}")
    t = doc["totals"]
    lines.append(f"in-process total: first {t['first_s']:.2f} s ({t['compiles']} compiles, {t['compile_s']:.2f} s compiling), "
                 f"warm {t['warm_s']:.2f} s ({t['warm_compiles']} compiles)")
    lines.append(f"warm CPU total {t['warm_cpu_s']:.2f} s; by phase: " + ", ".join(f"{k} {v:.2f}" for k, v in t["warm_cpu_by_phase"].items()))
    lines.append("warm CPU by kind:   " + ", ".join(f"{k} {v:.2f}" for k, v in t["warm_cpu_by_kind"].items()))
    lines.append("warm time by phase: " + ", ".join(f"{k} {v:.2f}" for k, v in t["warm_by_phase"].items()))
    lines.append("warm time by kind:  " + ", ".join(f"{k} {v:.2f}" for k, v in t["warm_by_kind"].items()))
    lines.append("first-run time by kind: " + ", ".join(f"{k} {v:.2f}" for k, v in t["first_by_kind"].items()))
    ek = doc.get("elementwise_kernels", {})
    if ek.get("claims"):
        lines.append(f"elementwise check kernels over {ek['claims']} claim-dtypes: median {ek['median_exp_over_kernel']:.2f}x, "
                     f"worst {ek['max_exp_over_kernel']:.2f}x slower than jit(exp), {ek['within_3x']} within the 3x target; "
                     f"median {ek['median_subject_over_kernel']:.2f}x slower than the claim's own function")
        lines.append(f"the claims' own functions alone (the floor of a check kernel): median "
                     f"{ek['median_exp_over_subject']:.2f}x slower than jit(exp), {ek['subjects_within_3x']} within 3x")
    for r in doc.get("exact_vs_mpmath", []):
        lines.append(f"exact oracle {r['claim']:28s} {r['dtype']} (k={r['bucket']}): {r['exact_points_per_s']:8.3g} points/s, "
                     f"old mpmath referee {r['mpmath_points_per_s']:8.3g} points/s: exact {r['exact_over_mpmath']:.2f}x as fast")
    if "exact_share_of_wall" in doc:
        lines.append("the exact oracle's share of the in-process wall time: " + ", ".join(
            f"{run} run {100 * share:.1f} %" for run, share in doc["exact_share_of_wall"].items()))
    for n in doc.get("naive", []):
        lines.append(f"naive {n['mode']:14s} {n['claim']:34s} {n['dtype']}: {n['points_per_s']:9.3g} points/s "
                     f"({n['points']} points, {n['examples']} examples, {n['compiles']} compiles in {n['seconds']} s); "
                     f"engine is {n['engine_speedup']:.0f}x faster (CPU time: {n.get('engine_speedup_cpu') or 0:.0f}x)")
    if doc.get("naive_summary"):
        s = doc["naive_summary"]
        lines.append(f"engine over the best naive mode: min {s['min_speedup']:.0f}x (CPU time: {s['min_speedup_cpu'] or 0:.0f}x), "
                     f"geometric mean {s['geomean_speedup']:.0f}x; "
                     f"the naive design would take {s['naive_ci_s']:.0f} s for these claims' CI points "
                     f"(engine: {s['engine_ci_s']:.1f} s)")
    return lines


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m checks.bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default="reports/bench.json")
    ap.add_argument("--profile", default="ci", help="the budget certified in-process (dev, ci, thorough)")
    ap.add_argument("--claim", action="append", help="only claims whose id starts with this (repeatable)")
    ap.add_argument("--dtype", action="append", choices=("float32", "float64"))
    ap.add_argument("--naive", action="append", help=f"claims for the naive baseline (default: {', '.join(DEFAULT_NAIVE)})")
    ap.add_argument("--naive-seconds", type=float, default=5.0, help="time box per naive run (claim x dtype x mode)")
    ap.add_argument("--no-wall", action="store_true", help="skip the subprocess certify runs (cold/warm cache)")
    ap.add_argument("--repeat", type=int, default=1, help="repetitions of each subprocess run (the fastest is kept)")
    ap.add_argument("--thorough-wall", action="store_true",
                    help="also time `make certify PROFILE=thorough` (warm cache; about ten minutes on two cores)")
    ns = ap.parse_args(argv)
    if ns.no_wall and ns.thorough_wall:
        ap.error("--thorough-wall is one of the subprocess certify runs that --no-wall skips")
    if not ns.no_wall and importlib.util.find_spec("xdist") is None:
        ap.error("the certify runs use pytest-xdist like `make certify`: pip install -e '.[parallel]' "
                 "(or pass --no-wall)")

    from hypothesis import settings

    from .engine import plugin, registry, runner  # noqa: F401 - the plugin registers the dev and thorough profiles

    doc = {"schema_version": 1, "machine": machine(), "profile": ns.profile,
           "budget": dataclasses.asdict(runner.BUDGETS[ns.profile])}
    if not ns.no_wall:
        print("make certify in a subprocess (cold cache, warm cache, warm in-process"
              + (", thorough" if ns.thorough_wall else "") + ")...", flush=True)
        doc["certify_wall"] = certify_walls(ns.repeat, ns.thorough_wall)
    doc["exp_points_per_s"] = {dt: exp_throughput(dt) for dt in ("float32", "float64")}
    claims = [c for c in registry.load() if c.numerical and (not ns.claim or any(c.id.startswith(p) for p in ns.claim))]
    dtypes = ns.dtype or ["float32", "float64"]
    # under the profile's own Hypothesis settings, as `make certify` runs it (ci: derandomized): with Hypothesis'
    # default ones, every run drew other examples, and the warm re-run's exact queries missed the cache
    settings.load_profile(ns.profile)
    print(f"certifying {len(claims)} claims in-process ({ns.profile} budget and Hypothesis profile)...", flush=True)
    rows = certify_claims(claims, dtypes, runner.BUDGETS[ns.profile])
    by_id = {c.id: c for c in claims}
    for r in rows:
        if elementwise(by_id[r["claim"]]):
            r["kernel_points_per_s"] = kernel_throughput(by_id[r["claim"]], r["dtype"])
            r["exp_points_per_s"] = exp_throughput(r["dtype"])  # again, right beside it: other load drifts
            r["exp_over_kernel"] = r["exp_points_per_s"] / r["kernel_points_per_s"]
            r["subject_points_per_s"] = subject_throughput(by_id[r["claim"]], r["dtype"])
            r["subject_over_kernel"] = r["subject_points_per_s"] / r["kernel_points_per_s"]
            r["exp_over_subject"] = r["exp_points_per_s"] / r["subject_points_per_s"]
    doc["claims"] = rows
    ratios = [r["exp_over_kernel"] for r in rows if "exp_over_kernel" in r]
    own = [r["subject_over_kernel"] for r in rows if "subject_over_kernel" in r]
    # the floor of any check kernel: it evaluates the claim's own function at least once
    alone = [r["exp_over_subject"] for r in rows if "exp_over_subject" in r]
    doc["elementwise_kernels"] = {"claims": len(ratios), "max_exp_over_kernel": max(ratios, default=None),
                                  "median_exp_over_kernel": float(np.median(ratios)) if ratios else None,
                                  "within_3x": sum(x <= 3 for x in ratios),
                                  "median_subject_over_kernel": float(np.median(own)) if own else None,
                                  "median_exp_over_subject": float(np.median(alone)) if alone else None,
                                  "subjects_within_3x": sum(x <= 3 for x in alone),
                                  "target": "<= 3 (check kernel within 3x of jit(exp) points/s)"}
    first, warm = _sum_breakdowns(rows, "first"), _sum_breakdowns(rows, "warm")
    warm_cpu = _sum_breakdowns(rows, "warm", "breakdown_cpu")
    doc["totals"] = {
        "first_s": sum(r["first"]["seconds"] for r in rows), "warm_s": sum(r["warm"]["seconds"] for r in rows),
        "compiles": sum(r["first"]["compiles"] for r in rows), "warm_compiles": sum(r["warm"]["compiles"] for r in rows),
        "compile_s": sum(r["first"]["compile_seconds"] for r in rows),
        "warm_cpu_s": sum(r["warm"]["cpu_seconds"] for r in rows),
        "warm_by_phase": _by(warm, 0), "warm_by_kind": _by(warm, 1), "first_by_kind": _by(first, 1),
        "warm_cpu_by_phase": _by(warm_cpu, 0), "warm_cpu_by_kind": _by(warm_cpu, 1),
        "warm_by_phase_and_kind": {f"{p}/{k}": round(v, 3) for (p, k), v in warm.most_common()},
    }

    naive_ids = [i for i in (ns.naive or DEFAULT_NAIVE) if i in by_id]
    print(f"naive design on {', '.join(naive_ids)} ({ns.naive_seconds:g} s per run)...", flush=True)
    engine = {(r["claim"], r["dtype"]): r for r in rows}
    doc["naive"] = []
    for cid in naive_ids:
        for dtype in dtypes:
            for mode in ("eager", "jit-per-shape"):
                n = naive_rate(by_id[cid], dtype, ns.naive_seconds, mode)
                n["engine_speedup"] = engine[cid, dtype]["points_per_s"] / n["points_per_s"]
                if n["points_per_cpu_s"]:
                    n["engine_speedup_cpu"] = engine[cid, dtype]["points_per_cpu_s"] / n["points_per_cpu_s"]
                doc["naive"].append(n)
    if doc["naive"]:
        by_key = collections.defaultdict(list)
        for n in doc["naive"]:
            by_key[n["claim"], n["dtype"]].append(n)
        best = {k: max(ns_, key=lambda n: n["points_per_s"]) for k, ns_ in by_key.items()}  # the naive design at its best
        speedups = [b["engine_speedup"] for b in best.values()]
        cpu = [b["engine_speedup_cpu"] for b in best.values() if b.get("engine_speedup_cpu")]
        doc["naive_summary"] = {
            "min_speedup": min(speedups), "geomean_speedup": float(np.exp(np.mean(np.log(speedups)))),
            "min_speedup_cpu": min(cpu, default=None), "target": ">= 15x",
            "naive_ci_s": sum(min(n["extrapolated_1e5_s"] for n in ns_) * engine[k]["points"] / 1e5
                              for k, ns_ in by_key.items()),
            "engine_ci_s": sum(engine[k]["warm"]["seconds"] for k in by_key),
        }

    print("the exact oracle against the old mpmath referees...", flush=True)
    doc["exact_vs_mpmath"] = exact_vs_mpmath(by_id, dtypes)
    doc["exact_share_of_wall"] = {  # first run: the exact values computed (or read, if the cache has them); warm: read
        run: kinds.get("exact", 0.0) / max(sum(kinds.values()), 1e-9)
        for run, kinds in (("first", doc["totals"]["first_by_kind"]), ("warm", doc["totals"]["warm_by_kind"]))}

    doc["targets"] = targets(doc)
    doc["load_after"] = [round(x, 2) for x in os.getloadavg()]
    out = pathlib.Path(ns.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=1, default=float) + "\n")
    for line in summarize(doc):
        print(line)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
