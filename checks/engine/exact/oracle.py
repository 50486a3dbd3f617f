"""The exact oracle: a claim's own functions evaluated in rigorous ball arithmetic, at a batch of points.

``values(fn, args)`` gives the real value of ``fn`` at each point (each entry a ball proven to contain it);
``derivatives(fn, args, wrt, order)`` gives the exact Jacobian (order 1) or Hessian (order 2) of ``fn``
with respect to argument ``wrt``, by power series (forward mode, with no rule of JAX's in the loop). The
program is traced with ``jax.vmap`` over the batch and interpreted by :mod:`.interpreter`.

Precision adapts per point (Ziv's strategy): a point whose results are not accurate to ``TARGET_BITS``
(relative, or absolutely below any float's resolution) is evaluated again at twice the precision. A
point whose ball stays wide whatever the precision is a **branch point**: a comparison of the program
was undecided there (a kink or a jump of the formula, or a tie of a max), and no derivative or value is
claimed at it. A point where the program's value is undefined (``inf - inf``, ``log`` of a negative)
is reported as ``undefined``.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import inspect
import math

import numpy as np
from flint import arb, ctx

from . import cache, interpreter
from . import scalars as S
from .scalars import Ambiguous

START_BITS = 128
MAX_BITS = 4096
TARGET_BITS = 80  # relative accuracy of a result: far below float64's 53 bits, so rounding it is decided
ABSOLUTE = arb(2) ** -1200  # a result this small is 0 in every float format: absolute accuracy suffices

OK, BRANCH, UNDEFINED, UNDECIDED = "ok", "branch point", "undefined", "undecided"


@dataclasses.dataclass
class Exact:
    """Exact results at a batch of points: per point a status, and per output an object array of balls."""

    status: np.ndarray  # (n,) of OK / BRANCH / UNDEFINED / UNDECIDED
    values: list  # per output of the function: object array (n, *shape) of arb balls or extended floats
    reason: list  # (n,) why a point is not OK ('' where it is)
    rounded: list = dataclasses.field(default=None, repr=False)  # per output, its float64 rounding (kept by the cache)

    def rounding(self, i=0) -> np.ndarray:
        """Output ``i`` rounded to float64 at every point (rounded once: the checks ask for it per oracle)."""
        if self.rounded is None:
            self.rounded = [None] * len(self.values)
        if self.rounded[i] is None:
            v = self.values[i]
            self.rounded[i] = np.array([_rounded(x) for x in v.reshape(-1)], dtype=np.float64).reshape(v.shape)
        return self.rounded[i]

    def floats(self, i=0) -> np.ndarray:
        """Output ``i`` rounded to float64 (nan where a point is not OK)."""
        out = self.rounding(i).copy()
        bad = self.status != OK
        out[bad] = np.nan
        return out

    @property
    def ok(self) -> np.ndarray:
        return self.status == OK


def _rounded(x) -> float:
    """A result to float64: a ball or extended float by :func:`~.scalars.to_float`, a truth value as 0 or 1, an
    undecided one (None) as nan."""
    if x is None:
        return S.NAN
    if isinstance(x, (bool, np.bool_)):
        return float(x)
    return S.to_float(x)


def _accurate(x) -> bool:
    if x is None:  # an undecided comparison's boolean
        return False
    if isinstance(x, (bool, np.bool_, int, np.integer)):
        return True
    if isinstance(x, float):
        return not math.isnan(x)
    if x.is_exact():
        return True
    if not x.is_finite():
        return False
    rad = x.rad()
    return bool(rad <= ABSOLUTE or rad <= abs(x.mid()) * arb(2) ** -TARGET_BITS)


def _undefined(x) -> bool:
    return isinstance(x, float) and math.isnan(x)


def _specs(args, skip=0):
    """(shape, dtype) of each argument, the first ``skip`` axes left out (1: one point of a batch)."""
    return tuple((np.shape(a)[skip:], np.asarray(a).dtype.str) for a in args)


def _trace(fn, args):
    return _traced(fn, _specs(args))


@functools.lru_cache(maxsize=256)
def _traced(fn, specs):
    """The batched program of ``fn`` for arguments of these (shape, dtype): traced once per batch size."""
    import jax

    return jax.make_jaxpr(jax.vmap(fn))(*[jax.ShapeDtypeStruct(shape, np.dtype(dt)) for shape, dt in specs])


@functools.lru_cache(maxsize=256)
def _program_digest(fn, point_specs):
    """The cache's name for ``fn`` on points of these (shape, dtype): its program for one point, traced once.

    Not the batched program: that one is traced per batch size, and a warm run, which finds every batch in
    the cache, should trace nothing (the batch size is in the key through the points' shapes anyway).
    """
    import jax

    return cache.program(jax.make_jaxpr(fn)(*[jax.ShapeDtypeStruct(shape, np.dtype(dt)) for shape, dt in point_specs]))


def _run(fn, make_inputs, idx, length, bits, extract):
    """One evaluation of the points ``idx`` at ``bits`` of precision, as ``extract`` presents it."""
    old_prec, old_len = ctx.prec, S.Series.length
    ctx.prec, S.Series.length = bits, length
    try:
        inputs, concrete = make_inputs(idx)
        closed = _trace(fn, concrete)
        return extract(interpreter.evaluate(closed, *inputs), len(idx))
    finally:
        ctx.prec, S.Series.length = old_prec, old_len


def _evaluate(fn, make_inputs, n, length, extract):
    """Evaluate points ``0..n-1`` with escalating precision; ``make_inputs(idx)`` builds (inputs, concrete)
    for a subset, ``extract(outs, k)`` turns the raw outputs into per-point results for ``k`` points."""
    status = np.full(n, UNDECIDED, dtype=object)
    reason = [""] * n
    results = [None] * n
    pending = np.arange(n)
    bits = START_BITS
    while pending.size and bits <= MAX_BITS:
        got = _batch(fn, make_inputs, pending, length, bits, extract)
        still = []
        for j, point in zip(pending, got):
            if isinstance(point, str):  # an ambiguous decision at this single point
                status[j], reason[j] = BRANCH, point
                continue
            results[j] = point
            entries = [x for out in point for x in out.reshape(-1)]
            if any(_undefined(x) for x in entries):
                status[j], reason[j] = UNDEFINED, "the value is undefined here (no real limit)"
            elif all(_accurate(x) for x in entries):
                status[j] = OK
            else:
                still.append(j)
        pending = np.asarray(still, dtype=np.int64)
        bits *= 2
    for j in pending:  # wide at every precision: an undecided comparison (a kink or jump), or precision itself
        S.Undecided.count = 0
        _batch(fn, make_inputs, np.asarray([j]), length, MAX_BITS, extract)
        if S.Undecided.count:
            status[j], reason[j] = BRANCH, "a comparison stays undecided at every precision: a kink or jump"
        else:
            reason[j] = f"not accurate to {TARGET_BITS} bits at {MAX_BITS} bits of working precision"
    n_out = len(next(r for r in results if r is not None)) if any(r is not None for r in results) else 0
    values = []
    for i in range(n_out):
        shape = next(r[i].shape for r in results if r is not None)
        arr = np.empty((n,) + shape, dtype=object)
        for j, r in enumerate(results):
            arr[j, ...] = r[i] if r is not None else _nan_like(shape)
        values.append(arr)
    return Exact(status, values, reason)


def _at(o, j):
    """Point ``j`` of a batched output, as an array (0-d for a scalar output)."""
    return interpreter._obj(o)[j:j + 1].reshape(np.shape(o)[1:])


def _nan_like(shape):
    a = np.empty(shape, dtype=object)
    a.reshape(-1)[:] = [S.NAN] * a.size
    return a


AMBIGUOUS_CHUNK = 8  # a batch with an ambiguous point is split into chunks of this size, then single points
MAX_CHOICES = 64  # evaluations of one point over the candidates of its ambiguous argmax decisions


def _batch(fn, make_inputs, idx, length, bits, extract):
    """Per point in ``idx``: a list of output arrays, or a string saying why it is ambiguous.

    An ambiguous decision (an integer or a branch chosen by overlapping balls) stops the batch's evaluation:
    it is evaluated again in chunks, and a chunk that is ambiguous point by point.
    """
    try:
        return _run(fn, make_inputs, idx, length, bits, extract)
    except Ambiguous as e:
        if len(idx) == 1:
            return [_every_choice(fn, make_inputs, idx, length, bits, extract) if
                    isinstance(e, interpreter.AmbiguousChoice) else str(e)]
        size = AMBIGUOUS_CHUNK if len(idx) > AMBIGUOUS_CHUNK else 1
        return [r for start in range(0, len(idx), size)
                for r in _batch(fn, make_inputs, idx[start:start + size], length, bits, extract)]


def normalised(p) -> np.ndarray:
    """``p / sum(p)`` over the last axis, exactly: balls as narrow as the highest working precision asks for
    (computed once at ``MAX_BITS``, so every precision of an evaluation sees them exact enough)."""
    p = np.asarray(p, np.float64)
    out = np.empty(p.shape, dtype=object)
    old = ctx.prec
    ctx.prec = MAX_BITS
    try:
        for i in np.ndindex(*p.shape[:-1]):
            row = [S.from_float(v) for v in p[i]]
            total = sum(row[1:], row[0])
            out[i] = [v / total for v in row]
    finally:
        ctx.prec = old
    return out


_NORMALISED_CODE = hashlib.sha256(f"{inspect.getsource(normalised)}{MAX_BITS}".encode()).digest()


class Normalised:
    """The exact points ``p / sum(p)`` (over the last axis) that float probability vectors ``p`` stand for, as
    :func:`normalised` makes them, but only when they are read (``np.asarray``): a warm run finds its results in
    the cache under ``p`` itself (:meth:`key`), without normalising at 4096 bits or hashing the balls."""

    def __init__(self, p):
        self.p = np.asarray(p)
        self._balls = None

    def __getitem__(self, idx):  # rows of p: the points of those rows
        return Normalised(self.p[idx])

    def __len__(self):
        return len(self.p)

    def __array__(self, dtype=None, copy=None):
        if self._balls is None:
            self._balls = normalised(self.p)
        return self._balls

    def key(self) -> bytes:
        """What the points are, for the cache: how they are made (this code) and the floats they are made from."""
        return b"".join([_NORMALISED_CODE, f"{self.p.dtype.str}{self.p.shape}".encode(),
                         np.ascontiguousarray(self.p).tobytes()])


def _exact_inputs(args, points, idx):
    """The interpreter's inputs for the points ``idx``: the exact points where given (object arrays of balls),
    else the float arguments themselves (a float is the real number it is)."""
    return [a[idx] if points is None or points[i] is None else np.asarray(points[i][idx])
            for i, a in enumerate(args)]


def _every_choice(fn, make_inputs, idx, length, bits, extract):
    """One point evaluated once per way of taking its ambiguous argmax decisions, the results united
    (their union is sharp where the choice does not matter); a reason string where there are too many ways."""
    pending, results = [[]], []
    while pending:
        forced = pending.pop()
        interpreter.Choices.forced, interpreter.Choices.made = forced, 0
        try:
            results.append(_run(fn, make_inputs, idx, length, bits, extract)[0])
        except interpreter.AmbiguousChoice as e:
            pending += [forced + [c] for c in range(len(e.candidates))]
        except Ambiguous as e:
            return str(e)
        finally:
            interpreter.Choices.forced = None
        if len(results) + len(pending) > MAX_CHOICES:
            return f"more than {MAX_CHOICES} ways to take its ambiguous argmax decisions"
    united = results[0]
    old = ctx.prec
    ctx.prec = bits  # the union's endpoints at the evaluation's own precision
    try:
        for other in results[1:]:
            united = [_union_arrays(a, b) for a, b in zip(united, other)]
    finally:
        ctx.prec = old
    return united


def _union_arrays(a, b):
    out = np.empty(np.shape(a), dtype=object)
    out.reshape(-1)[:] = [S.union(x, y) for x, y in zip(np.ravel(a), np.ravel(b))]
    return out


def values(fn, args, points=None) -> Exact:
    """The exact value of ``fn`` at each point of the batch ``args`` (arrays with a leading batch axis).

    ``points`` (optional, parallel to ``args``): the exact points the float arguments stand for, as object
    arrays of balls (a probability vector normalised exactly), or None where the float is the point.
    """
    args = [np.asarray(a) for a in args]

    def make_inputs(idx):
        return _exact_inputs(args, points, idx), [a[idx] for a in args]

    def extract(outs, k):
        return [[_at(o, j) for o in outs] for j in range(k)]

    return _cached(fn, args, points, ("values",), lambda: _evaluate(fn, make_inputs, len(args[0]), 0, extract))


def _cached(fn, args, points, what, compute) -> Exact:
    """``compute()``, or its result from the cache (:mod:`.cache`) for the same program, points and question."""
    k = cache.key(_program_digest(fn, _specs(args, skip=1)), args, what, points) if cache.directory() else None
    hit = cache.load(k) if k else None
    if hit is not None:
        return hit
    result = compute()
    if k:
        cache.store(k, result)
    return result


def _directions(n, order):
    """Seed directions in the wrt argument's flattened entries: the basis (order 1), or the basis and the
    pairwise sums e_i + e_j (order 2, for mixed partials by polarisation)."""
    eye = np.eye(n, dtype=np.int64)
    if order == 1:
        return eye
    pairs = [eye[i] + eye[j] for i in range(n) for j in range(i + 1, n)]
    return np.concatenate([eye, np.asarray(pairs, dtype=np.int64).reshape(-1, n)])


def derivatives(fn, args, wrt=0, order=1, points=None) -> Exact:
    """The exact derivative of order 1 (Jacobian, ``out_shape + in_shape``) or 2 (Hessian,
    ``out_shape + in_shape + in_shape``) of ``fn`` with respect to ``args[wrt]``, at each point
    (``points`` as for :func:`values`). An infinite entry of ``args[wrt]`` is held fixed: its column is 0."""
    if order not in (1, 2):
        raise S.Unsupported(f"derivatives of order {order} (1 and 2 are supported)")
    args = [np.asarray(a) for a in args]
    in_shape = args[wrt].shape[1:]
    n_in = int(np.prod(in_shape, dtype=np.int64))
    dirs = _directions(n_in, order)
    nd = len(dirs)
    length = order + 1

    def make_inputs(idx):
        concrete = [np.repeat(a[idx], nd, axis=0) for a in args]
        inputs = [np.repeat(a, nd, axis=0) for a in _exact_inputs(args, points, idx)]
        x = interpreter._obj(_exact_inputs(args, points, idx)[wrt]).reshape(len(idx), n_in)
        seeded = np.empty((len(idx) * nd, n_in), dtype=object)
        for p in range(len(idx)):
            for d, v in enumerate(dirs):
                for e in range(n_in):
                    base = x[p, e]
                    seeded[p * nd + d, e] = base if isinstance(base, float) else \
                        S.series([base, arb(int(v[e]))], length)
        inputs[wrt] = seeded.reshape((len(idx) * nd,) + in_shape)
        return inputs, concrete

    factorial = math.factorial(order)

    def extract(outs, k):
        points = []
        for p in range(k):
            per_out = []
            for o in outs:
                block = interpreter._obj(o)[p * nd:(p + 1) * nd]  # (nd, *out_shape)
                coef = np.empty(block.shape, dtype=object)
                for i, s in enumerate(block.reshape(-1)):
                    coef.reshape(-1)[i] = _coefficient(s, order, factorial)
                per_out.append(_assemble(coef, n_in, in_shape, order))
            points.append(per_out)
        return points

    return _cached(fn, args, points, ("derivative", wrt, order),
                   lambda: _two_sided(lambda: _evaluate(fn, make_inputs, len(args[0]), length, extract)))


def _two_sided(evaluate) -> Exact:
    """Evaluate from the right (``t -> 0+``); where a tie was decided by a germ, from the left too: a
    derivative exists where both sides agree, and a point where they differ is a kink (a branch point)."""
    S.Germ.side, S.Germ.used = 1, False
    right = evaluate()
    if not S.Germ.used:
        return right
    S.Germ.side = -1
    try:
        left = evaluate()
    finally:
        S.Germ.side, S.Germ.used = 1, False
    for j in range(len(right.status)):
        if right.status[j] != OK or left.status[j] != OK:
            if right.status[j] == OK:
                right.status[j], right.reason[j] = left.status[j], f"from the left: {left.reason[j]}"
            continue
        pairs = [(r, l) for out_r, out_l in zip(right.values, left.values)
                 for r, l in zip(np.ravel(out_r[j:j + 1]), np.ravel(out_l[j:j + 1]))]
        if not all(_same(r, l) for r, l in pairs):
            right.status[j] = BRANCH
            right.reason[j] = "the derivatives from the left and from the right differ: a kink"
    return right


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a == b
    return a.overlaps(b)


def _coefficient(s, k, factorial):
    """``k! c_k``: the k-th directional derivative from a series (0 for a constant; nan stays nan)."""
    if isinstance(s, float):
        return s
    if not S.is_series(s):
        return arb(0)
    return S.coeffs(s, k + 1)[k] * factorial


def _polarised(both, a, b):
    """The mixed partial from second directional derivatives: (D^2_{e_i+e_j} - D^2_{e_i} - D^2_{e_j}) / 2."""
    if any(isinstance(v, float) for v in (both, a, b)):
        return S.NAN
    return (both - a - b) / 2


def _assemble(coef, n_in, in_shape, order):
    """Directional derivatives (nd, *out_shape) -> the Jacobian or Hessian, input axes last."""
    out_shape = coef.shape[1:]
    if order == 1:
        jac = np.moveaxis(coef, 0, -1)
        return jac.reshape(out_shape + in_shape)
    diag = coef[:n_in]
    hess = np.empty(out_shape + (n_in, n_in), dtype=object)
    for i in range(n_in):
        hess[..., i, i] = diag[i]
    k = n_in
    for i in range(n_in):
        for j in range(i + 1, n_in):
            mixed = np.frompyfunc(_polarised, 3, 1)(coef[k], diag[i], diag[j])
            hess[..., i, j] = mixed
            hess[..., j, i] = mixed
            k += 1
    return hess.reshape(out_shape + in_shape + in_shape)
