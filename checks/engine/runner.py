"""Certify one claim in one dtype: sweep, Hypothesis, the exact oracle, adjudication.

Every batch goes through one ``jit(vmap(kernel))`` per (check, dtype, bucket):
the batch size is fixed (Hypothesis batches are padded by repeating their first
example), so nothing recompiles per example. The comparison is compiled into the kernel: the
host receives one error per point and oracle, and values only at the points the exact oracle judges.

The exact oracle (:mod:`.exact`) evaluates the claim's own functions in ball arithmetic at a stratified
sample of every bucket's sweep and at every Hypothesis example, and wherever autodiff disagrees with the
hand result: it decides the mathematics, and the float results' errors are measured against it.
"""
from __future__ import annotations

import collections
import contextlib
import dataclasses
import json
import logging
import math
import pathlib

import numpy as np
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from . import referee as ref
from . import registry, simplify
from .checks import SHADOW, Custom, Derivative, Exists, Identity
from .claim import Claim, Verdict
from .exact.compare import CUTOFF
from .platform import configure, flushes_subnormals, reads_subnormals_as_zero, supports
from .raised import Raised, blame, name, said
from .tolerance import reduce_points, ulp_error


@dataclasses.dataclass(frozen=True)
class Budget:
    """How much evidence to gather per claim and dtype (chosen by the Hypothesis profile)."""

    points: int = 100_000        # deterministic sweep points, split across shape buckets
    examples: int = 25           # Hypothesis examples (each a batch of up to hyp_batch points), all buckets
    hyp_batch: int = 4           # small: drawing floats dominates an example's cost; the sweep brings the volume
    batch: int = 2048            # the fixed compiled batch size
    exact_points: int = 512      # sweep points judged by the exact oracle, per claim and dtype (across buckets)


BUDGETS = {
    "dev": Budget(points=20_000, examples=25, exact_points=128),
    "ci": Budget(examples=12),  # derandomized gate: the sweep brings the volume, Hypothesis a fixed exploration
    "thorough": Budget(points=10_000_000, examples=300, batch=1 << 16, exact_points=10_000),
}
DECLARED_POINTS = 16  # points at which a declared mpmath referee is checked against the exact truth


@dataclasses.dataclass
class Evidence:
    oracle: str
    dtype: str
    backend: str
    points: int = 0
    max_error: float = 0.0
    tolerance: float | None = None
    note: str = ""
    oracle_wrong: int = 0  # points where this oracle (autodiff) was wrong and the referee sided with the hand result

    def add(self, points, max_error, oracle_wrong=0):
        self.points += int(points)
        self.max_error = max(self.max_error, float(max_error))
        self.oracle_wrong += int(oracle_wrong)


@dataclasses.dataclass
class Outcome:
    """What certifying one claim in one dtype found."""

    claim: str
    dtype: str
    status: str = "certified"
    evidence: list = dataclasses.field(default_factory=list)
    counterexample: dict | None = None
    findings: list = dataclasses.field(default_factory=list)
    message: str = ""
    proof: dict | None = None  # the proof oracle's outcome (:func:`prove`), in one dtype's outcome of the claim

    @property
    def ok(self) -> bool:
        return self.status in ("certified", "erratum confirmed", "recorded")


def _without_local_constants():
    """Keep Hypothesis from drawing values out of constants found in the project's loaded modules.

    Hypothesis grows that pool as modules load, so under xdist a worker's draws would depend on
    the tests it ran before (a lazily imported module adds its literals) and a derandomized run
    on the schedule. The domains list their special values themselves. This reaches into
    Hypothesis' internals; ``checks/test_engine.py`` fails if the hook moves.
    """
    from hypothesis.internal.conjecture import providers
    from hypothesis.internal.constants_ast import Constants

    providers._get_local_constants = Constants
    providers.CONSTANTS_CACHE.cache.clear()


_without_local_constants()


HYPOTHESIS_PAD = 2048  # Hypothesis batches are padded to the budget's batch up to this (ci: one compiled shape)...
HYPOTHESIS_SMALL = 64  # ...and beyond it to this (thorough): a shape of their own either way, so a small one
ADJUDICATE = 64  # refereed points per batch of autodiff disagreements (spread; the rest take the nearest verdict)


def _magnitude(args):
    return float(np.max(np.abs(np.concatenate([np.ravel(np.asarray(a, np.float64)) for a in args])), initial=0.0))


class CheckFailed(AssertionError):
    pass


def _args_to_json(args):
    return [np.asarray(a).tolist() for a in args]


def repro_command(claim_id, dtype, args=None, as_written=False, budget=None):
    """The one-line command that replays a point (or, without ``args``, reruns a custom check under the
    profile of ``budget``); an author's claims file is named with ``--claims``, an erratum's as-written
    form with ``--as-written``."""
    path = registry.origin(claim_id)
    if path is not None:
        try:
            path = path.resolve().relative_to(pathlib.Path.cwd())
        except ValueError:
            pass
    claims = f" --claims {path}" if path is not None else ""
    if args is None:
        profile = next((name for name, b in BUDGETS.items() if b == budget), None)
        return f"python -m checks{claims} run {claim_id} --dtype {dtype}" + (f" --profile {profile}" if profile else "")
    return (f"python -m checks{claims} repro {claim_id} --dtype {dtype} --args '{json.dumps(_args_to_json(args))}'"
            + (" --as-written" if as_written else ""))


class Evaluation:
    """A batch of points through a check's compiled kernel.

    ``errors``: per oracle, one error per point (its worst entry), computed on the device; for
    an :class:`Exists` check, whether each point is a witness. Only these come to the host for
    every point. ``at(idx)`` fetches every output's values at a few points (the referee's, the
    disagreements'), from the batches the device left them in.
    """

    def __init__(self, errors, parts, batch):
        self.errors, self._parts, self._batch = errors, parts, batch

    def at(self, idx) -> dict:
        idx = np.asarray(idx, dtype=np.intp)
        first = self._parts[0]
        values = {k: np.empty((idx.size,) + v.shape[1:], v.dtype) for k, v in first.items()}
        part = idx // self._batch
        for p in np.unique(part):
            sel = part == p
            for k, v in self._parts[p].items():
                values[k][sel] = np.asarray(v)[idx[sel] - p * self._batch]
        return values

    def dtypes(self) -> dict:
        return {k: v.dtype for k, v in self._parts[0].items()}


def _floor(check, dtype):
    """The smallest scale errors are judged against, for this backend (None: a check without tolerance)."""
    tol = getattr(check, "tol", None)
    return tol.floor(dtype, flushes_subnormals(dtype)) if tol else None


class _Compiled:
    """``jit(vmap(kernel))`` per check and dtype, with the comparison fused in, reused for every batch.

    The kernel compares on the device (in float64 wherever the backend has it, the formula of
    :func:`~checks.engine.tolerance.ulp_error` that the host uses too) and returns each point's
    errors beside every output's values; the host reads the errors, and values only where it needs
    them. The batch axis is sharded over every local device (JAX's own sharding: one code path for
    one CPU or eight GPUs); the batch size is a multiple of the device count.
    """

    def __init__(self):
        self._fns = {}

    def _build(self, check, dtype):
        jax = configure()
        jnp = jax.numpy
        work = jnp.float64 if supports("float64") is None else jnp.dtype(dtype)
        kernel = jax.vmap(check.kernel())
        floor = _floor(check, dtype)

        def judged(*args):
            out = kernel(*args)
            if isinstance(check, Exists):
                errors = {"witness": jnp.all(out["witness"].reshape(out["witness"].shape[0], -1), axis=1)}
            else:
                errors = {o: reduce_points(e, jnp) for o, e in check.compare(out, dtype, floor, jnp, work).items()}
            return errors, out

        devices = jax.devices()
        mesh = jax.sharding.Mesh(np.array(devices), ("points",))
        sharding = jax.sharding.NamedSharding(mesh, jax.sharding.PartitionSpec("points"))
        return jax.jit(judged, in_shardings=sharding, out_shardings=sharding), len(devices)

    def __call__(self, check, args, batch, dtype) -> Evaluation:
        key = (id(check), dtype)
        entry = self._fns.get(key)
        if entry is None:  # the check is kept alive with its id
            entry = self._fns[key] = (check, *self._build(check, dtype))
        fn, ndev = entry[1], entry[2]
        batch = -(-batch // ndev) * ndev
        n = args[0].shape[0]
        errors, parts = [], []
        for start in range(0, n, batch):
            chunk = [a[start:start + batch] for a in args]
            m = chunk[0].shape[0]
            if m < batch:  # pad with the chunk's first point: same compiled shape, harmless values
                chunk = [np.concatenate([c, np.repeat(c[:1], batch - m, axis=0)]) for c in chunk]
            err, out = fn(*chunk)
            errors.append({k: np.asarray(v)[:m] for k, v in err.items()})
            parts.append(out)
        return Evaluation({k: np.concatenate([e[k] for e in errors]) for k in errors[0]}, parts, batch)


COMPILED = _Compiled()


def _dtype_guard(ev, dtype, claim_id):
    for name, dt in ev.dtypes().items():
        if np.dtype(dt).kind == "f" and str(dt) != dtype and name != SHADOW:
            raise CheckFailed(f"claim {claim_id!r}: output {name!r} is {dt}, inputs are {dtype}: "
                              "a silent up/downcast in the derivation (a Python float64 constant via numpy?)")


CALLBACK_LOG = "jax._src.callback"  # JAX logs a raising callback's traceback before raising; Raised says it in a line


@contextlib.contextmanager
def _quiet(logger):
    log = logging.getLogger(logger)
    old, log.disabled = log.disabled, True
    try:
        yield
    finally:
        log.disabled = old


MPMATH = ("referee", "forward_mp", "exact")  # a check's declared mpmath functions: not compiled by JAX


def _compiled_culprit(check, point):
    """The first of the check's JAX functions that raises when called uncompiled at ``point`` (one example), named;
    else the compiled kernel as a whole (autodiff of a function, a custom rule's backward pass)."""
    for field in dataclasses.fields(check):
        fn = getattr(check, field.name)
        if callable(fn) and field.name not in MPMATH:
            try:
                fn(*point)
            except Exception:  # noqa: BLE001 - the culprit, whatever it raises
                return name(field.name, fn)
    return "the check compiled by JAX (its functions and their derivatives)"


class _Session:
    """Evaluation of one check in one dtype: accumulates evidence and keeps the worst point."""

    def __init__(self, claim, check, dtype, budget, backend):
        self.claim, self.check, self.dtype, self.budget = claim, check, dtype, budget
        tol = getattr(check.tol, "ulps", None) if getattr(check, "tol", None) else None
        self.tol = tol
        self.floor = _floor(check, dtype)
        notes = getattr(check, "oracle_notes", None) or {}  # e.g. why an oracle does not apply to this check
        self.evidence = {o: Evidence(o, dtype, backend, tolerance=self.limit(o), note=notes.get(o, ""))
                         for o in check.oracles}
        self.findings = {}  # oracle -> the simplest input where it was wrong
        self.worst = None  # (error, oracle, args, limit) of the worst failing point
        self.excluded = collections.Counter()  # exact statuses of points the truth cannot judge
        self.declaration = None  # a declared referee that disagrees with the exact truth
        self.hypothesis_points = []  # the examples Hypothesis drew: judged exactly after its run

    def as_seen(self, args):
        """The inputs as the backend sees them: subnormals read as zero where it does so (DAZ, detected)."""
        if not reads_subnormals_as_zero(self.dtype):
            return args
        tiny = np.finfo(self.dtype).tiny
        return [np.where(np.abs(a) < tiny, np.zeros_like(a) * np.sign(a), a) if a.dtype.kind == "f" else a for a in args]

    def limit(self, oracle):
        """The tolerance an oracle's errors are judged by (None: shown, not judged)."""
        if oracle in getattr(self.check, "informational", ()):
            return None
        return CUTOFF if oracle == "mathematics" else self.tol

    # -- elementwise comparisons ---------------------------------------------------------
    def evaluate(self, args, batch=None) -> Evaluation:
        def at(idx):
            return COMPILED(self.check, [a[idx] for a in args], batch or self.budget.batch, self.dtype)

        with _quiet(CALLBACK_LOG):
            ev = blame(lambda point: _compiled_culprit(self.check, point), at, args)
        _dtype_guard(ev, self.dtype, self.claim.id)
        return ev

    def judge(self, args, ev=None, batch=None):
        """Evaluate a batch (unless ``ev`` is given); returns the per-point failure mask (after adjudication)."""
        ev = self.evaluate(args, batch) if ev is None else ev
        if isinstance(self.check, Exists):
            hit = ev.errors["witness"]
            self.evidence["witness"].add(len(hit), 0.0)
            return self._real_witnesses(args, ev, hit)
        n = len(args[0])
        errs = ev.errors
        fails = {o: e > self.tol for o, e in errs.items()}
        verdicts = None
        if isinstance(self.check, Derivative) and any(f.any() for f in fails.values()):
            verdicts = self._adjudicate(args, ev, fails)
        bad = np.zeros(n, bool)
        for oracle, err in errs.items():
            if oracle not in self.evidence:  # a sieve (the float64 shadow): only the exact oracle's verdict counts
                if verdicts is not None:
                    bad |= fails[oracle] & verdicts[0]
                continue
            settled = np.zeros(n, bool)
            if verdicts is None:
                self._note_worst(err, fails[oracle], oracle, args)
                oracle_wrong = settled
            else:  # the exact errors at the hand's proven failures are the worst (noted by _adjudicate)
                hand_wrong, autodiff_wrong, branch = verdicts
                oracle_wrong, fails[oracle] = fails[oracle] & autodiff_wrong, fails[oracle] & hand_wrong
                settled = oracle_wrong | branch
            self.evidence[oracle].add(n, np.where(settled, 0.0, err).max(initial=0.0), oracle_wrong.sum())
            bad |= fails[oracle]
        return bad

    def _real_witnesses(self, args, ev, hit):
        """The float witnesses that are witnesses in the reals too (their exact predicate is true): up to
        ``ADJUDICATE`` of them per batch, spread; a witness of rounding alone is no witness of the claim."""
        cand = np.flatnonzero(hit)
        real = np.zeros_like(hit)
        if not cand.size:
            return real
        pick = cand[np.unique(np.linspace(0, cand.size - 1, min(cand.size, ADJUDICATE)).astype(int))]
        errors, truth = self._exactly([a[pick] for a in args], ev.at(pick))
        holds = truth.ok & (errors["mathematics"] == 0)
        self.evidence["mathematics"].add(holds.sum(), 0.0)
        self.excluded["witnesses of rounding only"] += int((truth.ok & ~holds).sum())
        real[pick[holds]] = True
        return real

    def _note_worst(self, err, fails, oracle, args):
        if fails.any():
            i = int(np.argmax(np.where(fails, err, -1)))
            if self.worst is None or err[i] > self.worst[0]:
                self.worst = (float(err[i]), oracle, [a[i] for a in args], self.limit(oracle))

    def _adjudicate(self, args, ev, fails):
        """Autodiff disagrees with the hand result at these points: the exact derivative says who is wrong.

        ``fails`` maps each autodiff oracle to its failing points; the exact oracle runs once on their
        union. Up to ``ADJUDICATE`` points spread evenly over the disagreements (in input order, which
        for the sweep is by magnitude) are judged exactly; any others take the verdict of their nearest
        judged neighbour if that is "autodiff wrong". Returns three masks: the points where the *hand*
        result is wrong (judged: proven), those where autodiff is (judged or inferred), and the judged
        branch points (a kink: no derivative, nobody is wrong). A disagreement whose nearest judged
        neighbour convicts the hand is in none: unresolved, it counts in the oracle's evidence, and the
        proven failures fail the claim.
        """
        union = np.logical_or.reduce(list(fails.values()))
        cand = np.flatnonzero(union)
        pick = cand[np.unique(np.linspace(0, cand.size - 1, min(cand.size, ADJUDICATE)).astype(int))]
        sub = [a[pick] for a in args]
        at_pick = ev.at(pick)
        errors, truth = self._exactly(sub, at_pick)
        judged = truth.ok
        wrong_at_pick = judged & ((errors["floating point"] > self.tol) | (errors["mathematics"] > CUTOFF))
        acquitted = judged & ~wrong_at_pick
        for oracle, err in errors.items():
            self._note_worst(np.where(judged, err, 0.0), judged & (err > self.limit(oracle)), oracle, sub)
        right = np.clip(np.searchsorted(pick, cand), 0, pick.size - 1)
        left = np.clip(right - 1, 0, pick.size - 1)
        nearest = np.where(np.abs(pick[left] - cand) <= np.abs(pick[right] - cand), left, right)
        hand_wrong, autodiff_wrong, branch = (np.zeros_like(union) for _ in range(3))
        hand_wrong[pick[wrong_at_pick]] = True
        branch[pick[~judged]] = True
        autodiff_wrong[cand] = acquitted[nearest]
        autodiff_wrong[pick[~judged]] = False
        exact = truth.floats()
        for oracle, f in fails.items():
            if oracle == SHADOW:
                continue
            ad_wrong = np.flatnonzero(f[pick] & acquitted)
            if ad_wrong.size:  # the simplest input where this autodiff mode is wrong, as a finding
                self._note_finding(oracle, sub, at_pick, exact,
                                   min(ad_wrong, key=lambda i: _magnitude([a[i] for a in sub])))
        return hand_wrong, autodiff_wrong, branch

    def _note_finding(self, oracle, sub, out, exact, j):
        finding = {
            "oracle": oracle, "dtype": self.dtype,
            "input": _args_to_json([a[j] for a in sub]),
            "autodiff": np.asarray(out[oracle][j]).tolist(),
            "referee": np.asarray(exact[j]).tolist(),
            "hand": np.asarray(out["hand"][j]).tolist(),
            "what": f"jax {oracle}-mode autodiff of the forward definition is wrong here; the hand result matches "
                    "the exact derivative of the forward",
        }
        old = self.findings.get(oracle)
        if old is None or _magnitude(finding["input"]) < _magnitude(old["input"]):
            self.findings[oracle] = finding

    # -- the exact oracle ------------------------------------------------------------------
    def _exactly(self, sub, out):
        """The check judged exactly at the points ``sub`` (whose kernel outputs are ``out``)."""
        seen = self.as_seen(sub)
        ex = self.check.truth(seen)
        errors, truth = self.check.judge_exactly(out, ex, self.dtype, self.floor)
        self.excluded.update(str(st) for st in truth.status[~truth.ok])
        return errors, truth

    def exact(self, sub, out):
        """Both verdicts at the points ``sub``, recorded as evidence; returns the failing points (or None)."""
        errors, truth = self._exactly(sub, out)
        judged = truth.ok
        bad = np.zeros(len(sub[0]), bool)
        for oracle, err in errors.items():
            err = np.where(judged, err, 0.0)
            limit = self.limit(oracle)
            fails = err > limit if limit is not None else np.zeros(len(err), bool)
            self.evidence[oracle].add(judged.sum(), err.max(initial=0.0))
            self._note_worst(err, fails, oracle, sub)
            bad |= fails
        if self.declaration is None:
            self.declaration = _declared_disagreement(self.check, self.as_seen(sub), truth, self.dtype, self.floor)
        return [a[bad] for a in sub] if bad.any() else None

    def exact_sample(self, args, ev):
        """The exact oracle on a stratified sample of a bucket's sweep (in order of magnitude: every regime)."""
        n = len(args[0])
        share = -(-self.budget.exact_points // len(self.check.domain.buckets))
        idx = np.unique(np.linspace(0, n - 1, min(n, share)).astype(int))
        return self.exact([a[idx] for a in args], ev.at(idx))

    def exact_hypothesis(self):
        """The exact oracle on every example Hypothesis drew, a batch per shape; returns the failing points."""
        groups = collections.defaultdict(list)
        for point in self.hypothesis_points:
            groups[tuple(np.shape(a) for a in point)].append(point)
        failing = []
        for points in groups.values():
            args = [np.stack([p[i] for p in points]) for i in range(len(points[0]))]
            ev = self.evaluate(args, batch=self._hypothesis_batch())
            bad = self.exact(args, ev.at(np.arange(len(points))))
            if bad is not None:
                failing += [[a[i] for a in bad] for i in range(len(bad[0]))]
        return failing

    def exact_note(self):
        """Say in the evidence how many points the exact oracle could not judge, and why."""
        if self.excluded and "mathematics" in self.evidence:
            self.evidence["mathematics"].note = "set aside by the exact oracle: " + ", ".join(
                f"{n} {what}" for what, n in sorted(self.excluded.items()))

    def _hypothesis_batch(self):
        return self.budget.batch if self.budget.batch <= HYPOTHESIS_PAD else HYPOTHESIS_SMALL

    # -- the phases ----------------------------------------------------------------------
    def sweep(self, k, n, part=0):
        args = self.check.domain.sweep(self.dtype, n, k, seed=part)
        ev = self.evaluate(args)
        return args, ev, self.judge(args, ev)

    def hypothesis(self, extra):
        """One Hypothesis run over batches of examples of every shape bucket.

        ``extra`` maps a bucket to known failing points (simplest first): Hypothesis may draw
        them and shrinks from there. Once the sweep has failed, the search is confined to the
        smallest failing bucket: the fewest entries to shrink, and the smallest counterexample.
        On failure, returns the shrunk failing example.
        """
        def batches(k):
            example = self.check.domain.strategy(self.dtype, k)
            if extra.get(k):
                example = st.one_of(example, st.sampled_from(extra[k]))
            return st.lists(example, min_size=1, max_size=self.budget.hyp_batch)

        # one_of over strategies built once (a flatmap would rebuild them, and Hypothesis would
        # recompute their properties, on every draw)
        failing = sorted(k for k in self.check.domain.buckets if extra.get(k))
        drawn = st.one_of(*[batches(k) for k in (failing[:1] or self.check.domain.buckets)])

        failure = {}

        # no example database: every claim's `prop` has the same source, hence the same database key,
        # and one claim's saved failures would be replayed into another's run; no explain phase: the shrunk
        # example is what is reported (explaining which parts of it matter took 3 of 4 s of the errata's shrinking)
        @settings(max_examples=self.budget.examples, deadline=None, database=None,
                  phases=[p for p in settings.default.phases if p != Phase.explain],
                  suppress_health_check=list(HealthCheck))
        @given(drawn)
        def prop(examples):
            args = [np.stack([np.asarray(e[i]) for e in examples]) for i in range(len(examples[0]))]
            bad = self.judge(args, batch=self._hypothesis_batch())
            if bad.any():
                j = int(np.argmax(bad))
                failure["args"] = [a[j] for a in args]
                raise CheckFailed("counterexample")
            self.hypothesis_points += [[a[j] for a in args] for j in range(len(args[0]))]

        try:
            prop()
        except CheckFailed:
            return failure.get("args")
        return None


def _declared_disagreement(check, args, truth, dtype, floor):
    """A declared mpmath referee (``referee``/``forward_mp``, ``Identity.exact``) against the exact truth of the
    claim's own code, at a few judged points: a message naming the first point where they disagree, or None.

    Both are rounded to the dtype from values accurate far beyond it, so they agree to one rounding.
    """
    if isinstance(check, Derivative) and (check.referee is not None or check.forward_mp is not None):
        values = ref.derivative_values
        what = "the declared referee" if check.referee is not None else "the derivative of the declared forward_mp"
    elif isinstance(check, Identity) and check.exact is not None:
        values, what = ref.identity_values, "the declared exact value"
    else:
        return None
    idx = np.flatnonzero(truth.ok)[:DECLARED_POINTS]
    if not idx.size:
        return None
    exact_points = check.domain.exact(args)
    sub = [(a if p is None else p)[idx] for a, p in zip(args, exact_points)]
    declared = values(check, sub, dtype)
    exact = truth.floats()[idx].astype(dtype).astype(np.float64)
    err = reduce_points(ulp_error(declared, exact, np.abs(exact), dtype, floor))
    if not (err > 1).any():
        return None
    j = int(np.argmax(err > 1))
    return (f"{what} disagrees with the exact value of the claim's own code at {_args_to_json([a[j] for a in sub])}: "
            f"declared {np.asarray(declared[j]).tolist()}, exact {np.asarray(exact[j]).tolist()} "
            f"({err[j]:.3g} ulps): the declaration is wrong, or the code is")


def _simplest_first(args_list):
    """Order failing points simplest first (smallest magnitudes), for shrinking and reporting."""
    return sorted(args_list, key=_magnitude)


SWEEP_CHUNK = 1 << 18  # points generated and judged at a time: bounds host memory for Jacobians


def _run_check(claim, check, dtype, budget, backend, expect_failure=False):
    """Sweep each shape bucket (with the exact oracle on a sample of its first chunk), then Hypothesis over
    all, then the exact oracle on Hypothesis' examples.

    Returns (session, the simplest failing example or None).
    """
    if expect_failure or isinstance(check, Exists):  # one example per batch: the fewest choices to shrink
        budget = dataclasses.replace(budget, hyp_batch=1)
    s = _Session(claim, check, dtype, budget, backend)
    buckets = check.domain.buckets
    per_bucket = max(1, budget.points // len(buckets))
    bad_pts = {}
    for k in buckets:
        found = []
        for part in range(-(-per_bucket // SWEEP_CHUNK)):
            args, ev, bad = s.sweep(k, min(SWEEP_CHUNK, per_bucket - part * SWEEP_CHUNK), part)
            found += [[a[i] for a in args] for i in np.flatnonzero(bad)[:256]]
            # an as-written form already failing on the sweep is proven wrong at its counterexample instead
            if part == 0 and not isinstance(check, Exists) and not (expect_failure and bad.any()):
                extra = s.exact_sample(args, ev)
                if extra is not None:
                    found += [[a[i] for a in extra] for i in range(len(extra[0]))]
            if expect_failure and bad.any():  # the as-written form has failed: more of its points prove nothing
                break
        bad_pts[k] = _simplest_first(found)[:256]
    shrunk = s.hypothesis(bad_pts)
    late = s.exact_hypothesis() if shrunk is None and not isinstance(check, Exists) else []
    s.exact_note()
    simplest = _simplest_first([p[0] for p in bad_pts.values() if p] + late)
    failing = shrunk if shrunk is not None else (simplest[0] if simplest else None)
    return s, None if failing is None else simplify.simplest(s, failing)


def _custom(claim, check, dtype, budget, backend):
    try:
        out = check.run(dtype, budget)
    except Raised:
        raise
    except Exception as e:  # noqa: BLE001 - whatever the author's check raises, said in one line
        raise Raised(f"{name('the custom check', check.run)} raised: {said(e)}") from None
    for e in out.evidence:
        e.backend = backend
    out.claim = claim.id
    if out.counterexample is not None and "repro" not in out.counterexample:
        out.counterexample = {"dtype": dtype, **out.counterexample, "repro": repro_command(claim.id, dtype, budget=budget)}
    return out


def certify(claim: Claim, dtype: str, budget: Budget) -> Outcome:
    """Certify ``claim`` in ``dtype`` and say what was found (never raises for a failed claim).

    A function of the claim's that raises (:mod:`.raised`) makes an ``error`` outcome whose message names the
    function, the input and the exception."""
    try:
        return _certify(claim, dtype, budget)
    except Raised as e:
        return Outcome(claim.id, dtype, status="error", message=str(e))


def _certify(claim, dtype, budget):
    jax = configure()
    backend = jax.default_backend()
    if claim.verdict is Verdict.DEFINITION:
        return Outcome(claim.id, dtype, status="recorded", message="definition: recorded, nothing to check")

    # an erratum of floating point holds as written in a dtype it does not name: certified so, strictly
    as_written_holds = claim.verdict is Verdict.ERRATUM and claim.float_erratum and dtype not in claim.float_erratum
    check = claim.as_written_check if as_written_holds else claim.check
    if isinstance(check, Custom):
        out = _custom(claim, check, dtype, budget, backend)
    else:
        s, failing = _run_check(claim, check, dtype, budget, backend)
        out = Outcome(claim.id, dtype, evidence=list(s.evidence.values()), findings=list(s.findings.values()))
        if isinstance(check, Exists):
            if failing is None:
                out.status, out.message = "FAILED", ("no witness found: the claimed counterexample does not exist on "
                                                     "these points (in the reals: float witnesses of rounding alone "
                                                     "do not count)")
            else:
                out.counterexample = _counterexample(claim, check, dtype, failing)
        elif s.declaration is not None:
            out.status, out.message = "FAILED", s.declaration
        elif failing is not None:
            oracle, err, limit = (s.worst[1], s.worst[0], s.worst[3]) if s.worst else ("?", math.inf, s.tol)
            out.status = "FAILED"
            out.counterexample = _counterexample(claim, check, dtype, failing)
            nan = out.counterexample.get("nan")
            out.message = (f"worst: {oracle}: NaN ({', '.join(nan)} is NaN at the counterexample), not a number of ulps"
                           if nan and not math.isfinite(err) else f"worst: {oracle} error {err:.3g} ulps > tolerance {limit}")
    if out.status == "FAILED" or claim.verdict is not Verdict.ERRATUM:
        return out
    if as_written_holds:
        out.message = (f"the as-written form holds in {dtype}: an erratum of floating point in "
                       f"{', '.join(claim.float_erratum)} only")
        return out

    aw = claim.as_written_check
    if isinstance(aw, Custom):
        aw_out = _custom(claim, aw, dtype, budget, backend)
        failing = aw_out.counterexample if aw_out.status == "FAILED" else None
        out.evidence += [dataclasses.replace(e, oracle=f"as written: {e.oracle}") for e in aw_out.evidence]
        if aw_out.status == "FAILED" and failing is None:
            out.status, out.message = "FAILED", "the as-written custom check failed without naming its counterexample"
            return out
        cex = failing
    else:
        # a tenth of the budget first: the as-written form usually fails at once; only if it
        # does not is the full budget spent before declaring that it passes (strictness kept)
        for b in (dataclasses.replace(budget, points=max(1, budget.points // 10)), budget):
            s, failing = _run_check(claim, aw, dtype, b, backend, expect_failure=True)
            if failing is not None:
                break
        out.evidence += [dataclasses.replace(e, oracle=f"as written: {e.oracle}") for e in s.evidence.values()]
        cex = None if failing is None else _counterexample(claim, aw, dtype, failing)
    if failing is None:
        out.status = "FAILED"
        out.message = "erratum not reproduced: the as-written form passed every point; update the registry"
    else:
        out.status = "erratum confirmed"
        out.counterexample = cex
    return out


def prove(claim: Claim, out: Outcome) -> Outcome:
    """Add the proof oracle's outcome (:mod:`.proof`) to ``out``: the claim's check, and an erratum's as-written form.

    A proof is over the reals: a claim it *disproves* (a nonzero residual, and a point where the exact oracle shows
    it) fails, and so does an erratum whose as-written form it *proves* at every size the claim states (one proved
    at a smaller size only, a shape error at 1 x 1, may be wrong at the others). An undecided proof changes nothing.
    """
    from . import proof

    if claim.check is None or not proof.applies(claim.check):
        return out
    found = proof.prove(claim.check)
    if claim.as_written_check is not None and proof.applies(claim.as_written_check):
        found["as_written"] = proof.prove(claim.as_written_check)
    out.proof = found
    if out.ok and found["status"] == proof.DISPROVED:
        out.status, out.message = "FAILED", f"the proof oracle disproves the claim: {found['reason']}: {found['residual']}"
    elif out.ok and (found.get("as_written") or {}).get("status") == proof.PROVED \
            and found["as_written"].get("complete") and not claim.float_erratum:
        out.status, out.message = "FAILED", ("the proof oracle proves the as-written form over the reals: the erratum "
                                             "is not one; update the registry")
    return out


def explain(claim: Claim, check, dtype: str, args) -> dict:
    """Every oracle's error at one point (for counterexamples and ``python -m checks repro``)."""
    jax = configure()
    s = _Session(claim, check, dtype, BUDGETS["dev"], jax.default_backend())
    arrays = _point(claim, check, dtype, args)
    ev = s.evaluate(arrays)
    out = ev.at([0])
    values = {k: v[0].tolist() for k, v in out.items()}
    if isinstance(check, Exists):
        return {"values": values, "errors": {}}
    errors = {o: float(e[0]) for o, e in ev.errors.items()}
    ex = check.truth(s.as_seen(arrays))
    exact_errors, truth = check.judge_exactly(out, ex, dtype, s.floor)
    proven = None
    if truth.ok[0]:
        errors.update({o: float(e[0]) for o, e in exact_errors.items()})
        values["exact"] = np.asarray(truth.floats()[0]).tolist()
        proven = float(check.judge_exactly(out, ex, dtype, s.floor, proven=True)[0]["mathematics"][0])
    else:
        values["exact"] = f"{truth.status[0]}: {truth.reason[0]}"
    return {"values": values, "errors": errors, "tolerance_ulps": s.tol, "mathematics_proven": proven}


def _point(claim, check, dtype, args):
    """One point as a batch of one, validated against the check's domain (a clear error, not a JAX traceback)."""
    from .claim import DeclarationError

    if not isinstance(args, (list, tuple)) or len(args) != len(check.domain.components):
        raise DeclarationError(f"claim {claim.id!r} takes {len(check.domain.components)} argument(s), "
                               f"got {args!r}")
    arrays = []
    for i, a in enumerate(args):
        arr = np.asarray(a)
        if arr.dtype.kind not in "fiub":
            raise DeclarationError(f"claim {claim.id!r}: argument {i} is not numeric: {a!r}")
        comp = check.domain.components[i]  # the component's own example shapes (vectors, matrices, scalars)
        shapes = {np.shape(comp.sweep(dtype, 4, k, np.random.default_rng(0))[0]) for k in check.domain.buckets}
        if arr.shape not in shapes:
            raise DeclarationError(f"claim {claim.id!r}: argument {i} has shape {arr.shape}, "
                                   f"expected one of {sorted(shapes)}")
        arrays.append(arr.astype(bool if getattr(comp, "boolean", False) else dtype)[None])
    return arrays


def _counterexample(claim, check, dtype, args):
    cex = {"args": _args_to_json(args), "dtype": dtype,
           "repro": repro_command(claim.id, dtype, args, as_written=check is claim.as_written_check)}
    if not isinstance(check, Exists):
        shown = explain(claim, check, dtype, args)
        errors = shown["errors"]
        oracle = max(errors, key=lambda o: errors[o]) if errors else None
        cex["oracle"] = oracle
        cex["error_ulps"] = errors.get(oracle) if oracle and math.isfinite(errors[oracle]) else None
        nan = [k for k, v in shown["values"].items()
               if not isinstance(v, str) and np.isnan(np.asarray(v, dtype=np.float64)).any()]
        if nan:  # an error of "inf ulps" here is a NaN, and is said so
            cex["nan"] = nan
        cex["exact"] = shown["values"]["exact"]
        proven = shown["mathematics_proven"]
        if proven is not None:  # beyond the cutoff: wrong in the reals, not only in floats (the balls prove it)
            cex["mathematics_ulps"] = proven
    return cex
