"""The proof oracle: a check's own programs read as formulas (SymPy), and its statement proved over the reals.

The interpreter of :mod:`.exact` evaluates each function of a check, unbatched, with SymPy expressions as its
numbers (:mod:`.exact.symbolic`), in symbols whose assumptions come from the check's domain (each component's
``symbolic(name, k)``: real, positive, on the simplex; a one-hot label or a binary one is each of its values in
turn). A decision SymPy cannot take splits the evaluation into *paths*, one per outcome; on a path a linear
condition becomes a substitution (``z1 - z2 >= 0``: ``z1 = z2 + t``, ``t >= 0``; ``p == 0``: ``p = 0``), so each
path's formulas carry their region in their symbols. The statement's residual, on every path:

* ``Derivative``: the hand result minus SymPy's own ``diff`` of the forward's formula (on paths with an interior:
  a region where an equality holds among the differentiated entries carries no derivative, and is set aside);
* ``Identity``: lhs - rhs;
* ``Inequality``: lower - upper, to be shown <= 0 (< 0 if strict).

Three outcomes, honestly named. ``proved``: every path's residual is 0 (or of the right sign) by one of the
routes of :data:`ROUTE_NAMES`, each a SymPy rewriting (never a numerical evaluation); the hardest route used is
recorded. ``disproved``: a residual is not shown 0, and the exact oracle (Arb balls, :func:`.exact.values`) finds a
point of the domain where the two sides differ beyond half an ulp of float64 (no deliberate float cutoff): the
witness. ``undecided``, with the reason: the time cap, more paths than :data:`MAX_PATHS`, a primitive or a
decision SymPy cannot read, or a residual that is not shown 0 with no witness found.

Vector claims are proved at each size of the domain's buckets, smallest first, within the time cap; where a
larger size does not finish, the smaller ones are what is proved, and the outcome says which. Outcomes are
cached on disk (``$CERTIFY_EXACT_CACHE/proof``), keyed by the programs' jaxprs, the domain and the cap.
"""
from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import importlib.util
import itertools
import json
import math
import os
import signal
import threading
import time

import numpy as np

# SymPy's polynomials run on python-flint when it is installed (it is: the exact oracle's), and python-flint 0.9.0
# kills the process with SIGFPE inside SymPy's heuristic gcd (`cancel` of 2 sigma(2.1 x) - 1 - tanh x): a crash
# takes the whole gate and its reports with it. Pure-Python ground types cannot, and are the same on every machine
# whatever else is installed (gmpy2 or not). Set before SymPy is first imported; a user's own setting stands.
os.environ.setdefault("SYMPY_GROUND_TYPES", "python")

PROVED, DISPROVED, UNDECIDED = "proved", "disproved", "undecided"
SECONDS = 10.0  # the time cap per check (CERTIFY_PROOF_SECONDS overrides)
MAX_PATHS = 64  # paths of one case: beyond, the formula is too branched to prove here
VERSION = "proof-2"  # bump when the prover's reading changes: cached outcomes are then not read
WITNESS_POINTS = 256  # points of the domain's sweep at which a residual not shown 0 is evaluated exactly


class Timeout(Exception):
    pass


class Undecided(Exception):
    """A case that cannot be proved here, and why."""


def seconds() -> float:
    return float(os.environ.get("CERTIFY_PROOF_SECONDS", SECONDS))


# -- what a domain component is, symbolically -------------------------------------------------------------------
def reals(name, shape, **assumptions) -> np.ndarray:
    """An object array of real symbols ``name0, name1, ...`` with SymPy assumptions (positive=True, ...)."""
    import sympy as sp

    out = np.empty(shape, dtype=object)
    flat = out.reshape(-1)
    for i in range(flat.size):
        flat[i] = sp.Symbol(f"{name}{i}" if out.size > 1 or shape else name, real=True, **assumptions)
    return out


def numbers(values) -> np.ndarray:
    """A concrete case (a one-hot vertex, a binary label) as an object array of SymPy integers/rationals."""
    import sympy as sp

    a = np.asarray(values, dtype=np.float64)
    out = np.empty(a.shape, dtype=object)
    out.reshape(-1)[:] = [sp.Rational(float(v)) for v in a.reshape(-1)]
    return out


def sign_assumptions(lo, hi, open_lo=False, open_hi=False) -> dict:
    """The SymPy sign assumptions an interval [lo, hi] implies (bounds themselves are not assumptions SymPy has)."""
    if lo is not None and (lo > 0 or (lo == 0 and open_lo)):
        return {"positive": True}
    if lo is not None and lo == 0:
        return {"nonnegative": True}
    if hi is not None and (hi < 0 or (hi == 0 and open_hi)):
        return {"negative": True}
    if hi is not None and hi == 0:
        return {"nonpositive": True}
    return {}


def cases(component, name, k, free=False) -> list:
    """The component's symbolic cases (object arrays of its example's shape), and what they assume (a phrase).

    Its own ``symbolic(name, k, free)`` where it has one; otherwise real entries of its example's shape.
    ``free``: independent entries (a simplex's last entry too), for the argument a derivative is taken in.
    """
    own = getattr(component, "symbolic", None)
    if own is not None:
        return own(name, k, free)
    shape = np.shape(component.sweep("float64", 1, k, np.random.default_rng(0))[0])
    return [reals(name, shape)], "real entries"


# -- the paths of a program ---------------------------------------------------------------------------------------
@dataclasses.dataclass
class _Path:
    forced: dict
    inputs: list  # per argument: object array of expressions in the path's symbols
    definitions: list  # (dummy, its expression in the symbols before it): to return to the original symbols
    flat: bool = False  # an equality among differentiated entries holds: no interior
    conditions: tuple = ()


def _solvable(d, avoid):
    """A symbol of ``d`` in which it is linear with a constant coefficient: (symbol, coefficient, rest) or None;
    symbols without sign assumptions first (nothing is lost by solving for them), ``avoid`` last."""
    import sympy as sp

    def order(s):
        return (s in avoid, bool(s.is_nonnegative or s.is_nonpositive or s.is_nonzero))

    for s in sorted(d.free_symbols, key=lambda s: (order(s), s.name)):
        a = sp.expand(d.diff(s))
        if a.is_number and a != 0 and not a.has(sp.nan, sp.zoo):
            rest = sp.expand(d - a * s)
            if s not in rest.free_symbols:
                return s, a, rest
    return None


def _branch(path, site, rel, outcome, wrt_symbols):
    """The path with ``rel`` decided as ``outcome`` at ``site``, its region written into its symbols where the
    condition is linear in one of them."""
    import sympy as sp

    from .exact import symbolic as Y

    cond = rel if outcome else rel.negated
    kind, d = Y.normal(cond)
    forced = {**path.forced, site: outcome}
    solved = _solvable(d, wrt_symbols)
    if solved is None:
        return dataclasses.replace(path, forced=forced, conditions=path.conditions + (cond,))
    s, a, rest = solved
    if kind is sp.Eq:
        value, definition = -rest / a, None
    else:
        assumption = {sp.Gt: "positive", sp.Ge: "nonnegative", sp.Ne: "nonzero"}[kind]
        if kind is sp.Ne and (d.is_nonnegative or d.is_nonpositive):  # a sign known already: now a strict one
            assumption = "positive" if d.is_nonnegative else "negative"
        t = sp.Dummy(f"t{len(path.definitions)}", real=True, **{assumption: True})
        value, definition = (t - rest) / a, (t, d)
    inputs = [_subs(x, {s: value}) for x in path.inputs]
    flat = path.flat or (definition is None and bool(_original(s, path.definitions).free_symbols & wrt_symbols))
    definitions = path.definitions + ([definition] if definition else [])
    return _Path(forced, inputs, definitions, flat, path.conditions + (cond,))


def _subs(x, mapping):
    out = np.empty(np.shape(x), dtype=object)
    out.reshape(-1)[:] = [v.subs(mapping) if hasattr(v, "subs") else v for v in np.ravel(x)]
    return out


def _original(expr, definitions):
    """An expression of a path's symbols in the symbols it started from (the dummies replaced by what they stand for)."""
    for t, d in reversed(definitions):
        expr = expr.subs(t, d)
    return expr


def paths(jaxprs, inputs, wrt_symbols=frozenset()):
    """Every path of the programs ``jaxprs`` (evaluated one after the other, their decisions numbered across all)
    at the symbolic ``inputs``: a list of (path, outputs per program)."""
    from .exact import interpreter
    from .exact import symbolic as Y

    todo, done = [_Path({}, list(inputs), [])], []
    while todo:
        _on_time()
        path = todo.pop()
        Y.start(path.forced)
        try:
            outs = [interpreter.evaluate(j, *path.inputs, numbers=Y)[0] for j in jaxprs]
        except Y.Fork as f:
            todo += [_branch(path, f.site, f.condition, o, wrt_symbols) for o in (True, False)]
            if len(todo) + len(done) > MAX_PATHS:
                raise Undecided(f"more than {MAX_PATHS} paths (the program's decisions split it too finely)") from None
            continue
        except Y.Infeasible:
            continue  # a forced decision is decided the other way here: the region is empty
        done.append((path, outs, sorted(Y.Path.constants)))
    return done


# -- is a residual zero? ----------------------------------------------------------------------------------------
def _exp_log_normal(e):
    """Exponentials of linear forms as products of ``E_s = e^s`` (positive symbols), logarithms split over the
    positive factors of their arguments, ``log E_s = s``; then a rational function in the E's, cancelled."""
    import sympy as sp

    e = sp.expand_log(sp.powsimp(e), force=False)
    new = {}

    def exp_of(arg):
        arg = sp.expand(arg)
        coeffs = arg.as_coefficients_dict()
        out = sp.Integer(1)
        for term, c in coeffs.items():
            if term == 1:
                out *= sp.exp(c)
            elif term.is_Symbol and c.is_Rational:
                if term not in new:
                    new[term] = sp.Dummy(f"E_{term.name}", positive=True)
                out *= new[term] ** c
            else:
                out *= sp.exp(c * term)
        return out

    e = e.replace(sp.exp, exp_of)
    back = {E: sp.exp(s) for s, E in new.items()}

    def log_of(arg):
        arg = sp.factor(sp.cancel(arg))
        split = sp.expand_log(sp.log(arg), force=False)
        return split.subs({sp.log(E): s for s, E in new.items()})

    e = e.replace(sp.log, log_of)
    r = sp.cancel(sp.together(e))
    return r if r == 0 else r.subs(back)


ROUTE_NAMES = ("evaluation", "expand", "cancel", "exp-log normal form", "simplify")  # cheapest first


def _routes():
    import sympy as sp

    fns = {"evaluation": lambda e: e, "expand": sp.expand, "cancel": lambda e: sp.cancel(sp.together(e)),
           "exp-log normal form": _exp_log_normal, "simplify": sp.simplify}
    return [(name, fns[name]) for name in ROUTE_NAMES]


def zero(expr):
    """The first route that rewrites ``expr`` to 0, or None (no route is a numerical evaluation)."""
    for name, fn in _routes():
        if fn(expr) == 0:
            return name
    return None


def signed(expr, strict):
    """The first route under which ``expr`` is shown <= 0 (< 0 if ``strict``), or None."""
    for name, fn in _routes():
        v = fn(expr)
        if (v.is_extended_negative if strict else v.is_extended_nonpositive):
            return name
    return None


# -- the checks, as residuals -------------------------------------------------------------------------------
def _trace(fn, shapes):
    import jax

    return jax.make_jaxpr(fn)(*[jax.ShapeDtypeStruct(s, np.float64) for s in shapes])


def _programs(check):
    from .checks import Derivative, Identity, Inequality

    if isinstance(check, Derivative):
        return [check.forward, check.derivative]
    if isinstance(check, Identity):
        return [check.lhs, check.rhs]
    if isinstance(check, Inequality):
        return [check.lower, check.upper]
    return None


def _residuals(check, path, outs, originals):
    """Per entry, the residual on this path: [(expression, the entry's index)]."""
    import sympy as sp

    from .checks import Derivative

    a, b = (np.asarray(o, dtype=object) for o in outs)
    if isinstance(check, Derivative):  # b: the hand result; the truth is the forward's formula differentiated
        f, a = a, b
        x = originals[check.wrt]
        b = np.empty(f.shape + x.shape * check.order, dtype=object)
        to_path = _substitution(originals, path)
        for out_idx in np.ndindex(*f.shape):
            g = _original(sp.sympify(f[out_idx]), path.definitions)
            for idx in np.ndindex(*(x.shape * check.order)):
                d = g
                for j in range(check.order):
                    d = d.diff(x[idx[j * x.ndim:(j + 1) * x.ndim]])
                b[out_idx + idx] = d.subs(to_path)
    a, b = np.broadcast_arrays(a, b)
    return [(sp.sympify(a[i] - b[i]), i) for i in np.ndindex(*a.shape)]


def _substitution(originals, path):
    """original symbol -> its expression on the path."""
    mapping = {}
    for x, y in zip(originals, path.inputs):
        for a, b in zip(np.ravel(x), np.ravel(y)):
            if getattr(a, "is_Symbol", False) and a != b:
                mapping[a] = b
    return mapping


def _undefined(r, check):
    import sympy as sp

    from .checks import Inequality

    return r.has(sp.nan, sp.zoo) or (r.has(sp.oo) and not isinstance(check, Inequality))


@dataclasses.dataclass
class _CaseResult:
    route: int = -1  # the hardest route used (index in ROUTE_NAMES)
    failed: list = dataclasses.field(default_factory=list)  # (path conditions, entry, residual, why)
    paths: int = 0
    aside: int = 0  # paths with no interior, set aside for a derivative
    constants: set = dataclasses.field(default_factory=set)


def _prove_case(check, jaxprs, inputs, originals, wrt_symbols) -> _CaseResult:
    from .checks import Derivative, Inequality

    res = _CaseResult()
    found = paths(jaxprs, inputs, wrt_symbols)
    res.paths = len(found)
    for path, outs, consts in found:
        res.constants |= set(consts)
        if isinstance(check, Derivative) and path.flat:
            res.aside += 1
            continue
        for r, idx in _residuals(check, path, outs, originals):
            _on_time()
            if _undefined(r, check):
                res.failed.append((path, idx, r, "a value undefined or infinite on this path"))
                continue
            route = signed(r, check.strict) if isinstance(check, Inequality) else zero(r)
            if route is None:
                res.failed.append((path, idx, r, None))
            else:
                res.route = max(res.route, ROUTE_NAMES.index(route))
    return res


def _size_cases(check, k):
    """Every combination of the components' cases at size k, with the original symbols of each, and what is assumed."""
    from .checks import Derivative

    per, said = [], []
    for i, comp in enumerate(check.domain.components):
        free = isinstance(check, Derivative) and i == check.wrt
        got, phrase = cases(comp, _NAMES[i], k, free)
        per.append(got)
        said.append(f"{_NAMES[i]}: {phrase}")
    return list(itertools.product(*per)), "; ".join(said)


_NAMES = "xyzuvwabcd"


class _Clock:
    until = math.inf  # the deadline of the proof in progress (time.monotonic())


def _on_time():
    """Between the steps of a proof (paths, residuals): past the deadline, :class:`Timeout`."""
    if time.monotonic() > _Clock.until:
        raise Timeout()


@contextlib.contextmanager
def _deadline(secs):
    """Raise :class:`Timeout` after ``secs``: checked between the steps of a proof, and, in the main thread, by
    SIGALRM inside a step too (SymPy's own work). The alarm repeats until it is raised where it counts (one
    raised inside a garbage-collector callback is ignored by Python)."""
    outer = _Clock.until
    _Clock.until = min(outer, time.monotonic() + secs)
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        try:
            yield
        finally:
            _Clock.until = outer
        return

    def ring(*_):
        raise Timeout()

    old = signal.signal(signal.SIGALRM, ring)
    collecting = gc.isenabled()
    gc.disable()  # an alarm inside a collector's callback (JAX has one) would be ignored, and said so on stderr
    signal.setitimer(signal.ITIMER_REAL, max(_Clock.until - time.monotonic(), 1e-3), 0.1)
    try:
        yield
    finally:
        if collecting:
            gc.enable()
        _Clock.until = outer
        left = outer - time.monotonic()  # an enclosing deadline's alarm goes on
        signal.setitimer(signal.ITIMER_REAL, max(left, 1e-3) if math.isfinite(outer) else 0, 0.1 if math.isfinite(outer) else 0)
        signal.signal(signal.SIGALRM, old)


# -- the outcome ---------------------------------------------------------------------------------------------
LARGEST = 4  # the largest vector size attempted: beyond, the formulas branch too much for the time cap


def _sizes(check):
    """The sizes attempted, smallest first: the stated ones up to :data:`LARGEST` (at least the smallest), and 3
    where the claim states 2 and one beyond (a general n that is too slow here is then proved at n = 2, 3); (None,)
    for scalars."""
    if not check.domain.vector:
        return (None,)
    stated = set(check.domain.buckets)
    small = {k for k in stated if k <= LARGEST} or {min(stated)}
    if 2 in stated and max(stated) > 3:
        small.add(3)
    return tuple(sorted(small))


def _beyond(check):
    return sorted(set(check.domain.buckets) - set(_sizes(check))) if check.domain.vector else []


def _shapes(check, k):
    return [np.shape(c.sweep("float64", 1, k or 2, np.random.default_rng(0))[0]) for c in check.domain.components]


def _prove_size(check, k):
    """(status, route or reason, residual text) at one size."""
    from .checks import Derivative

    shapes = _shapes(check, k)
    jaxprs = [_trace(f, shapes) for f in _programs(check)]
    combos, assumed = _size_cases(check, k or 2)
    wrt = set()
    route, failed, constants, npaths, aside = -1, [], set(), 0, 0
    for combo in combos:
        _on_time()
        originals = [np.asarray(c, dtype=object) for c in combo]
        if isinstance(check, Derivative):
            wrt = {s for s in np.ravel(originals[check.wrt]) if getattr(s, "is_Symbol", False)}
        r = _prove_case(check, jaxprs, originals, originals, frozenset(wrt))
        route, npaths, aside = max(route, r.route), npaths + r.paths, aside + r.aside
        constants |= r.constants
        failed += r.failed
    return {"route": ROUTE_NAMES[route] if route >= 0 else "evaluation", "failed": failed, "cases": len(combos),
            "paths": npaths, "aside": aside, "constants": sorted(constants), "assumed": assumed}


def _closed_form(failed):
    """The residual, in closed form: each failing path's (its conditions, the entry, the simplified residual)."""
    import sympy as sp

    shown = []
    for path, idx, r, _ in failed[:3]:
        r = _original(r, path.definitions)
        conditions = [sp.sstr(_original(c, path.definitions)) for c in path.conditions]
        where = f" where {' and '.join(conditions)}" if conditions else ""
        entry = f"[{', '.join(map(str, idx))}]" if idx else ""
        try:
            with _deadline(2.0):
                r = sp.factor(sp.simplify(r))
        except Timeout:
            pass
        shown.append(f"residual{entry} = {sp.sstr(r)}{where}")
    return "; ".join(shown)


def _witness(check, k):
    """A point of the domain where the exact oracle (Arb) shows the statement false beyond half an ulp of float64,
    as {args, error_ulps}, or None."""
    from . import exact
    from .checks import Derivative, Identity
    from .exact import compare

    args = list(check.domain.sweep("float64", WITNESS_POINTS, k or 2))
    points = check.domain.exact(args)
    fns = _programs(check)
    if isinstance(check, Derivative):
        a = exact.values(check.derivative, args, points)
        b = exact.derivatives(check.forward, args, check.wrt, check.order, points)
    else:
        a, b = exact.values(fns[0], args, points), exact.values(fns[1], args, points)
    ok = a.ok & b.ok
    tiny = float(np.finfo(np.float64).tiny)
    if isinstance(check, (Derivative, Identity)):
        err = compare.difference(a.values[0], b.values[0], np.abs(b.floats()), np.float64, tiny)
    else:
        err = compare.excess(a.values[0], b.values[0], np.maximum(np.abs(a.floats()), np.abs(b.floats())),
                             np.float64, tiny, check.strict)
    err = np.where(ok, err, 0.0)
    if not (err > compare.CUTOFF).any():
        return None
    j = int(np.argmax(err))  # the clearest witness
    return {"args": [np.asarray(x[j]).tolist() for x in args], "error_ulps": float(err[j]) if math.isfinite(err[j])
            else "inf"}


NOT_RUN = "not run"


def applies(check) -> bool:
    """Whether a proof applies to the check's kind (a derivative, an identity, an inequality)."""
    return _programs(check) is not None


def prove(check, cap=None) -> dict | None:
    """The proof outcome of a check (None for a kind no proof applies to: a witness, a custom check):
    ``{status, route | reason, sizes, assumed, residual, witness, seconds}``, from the cache where it holds it."""
    if not applies(check):
        return None
    if importlib.util.find_spec("sympy") is None:
        return {"status": NOT_RUN, "reason": "SymPy is not installed (the optional extra: pip install -e '.[proof]')"}
    cap = seconds() if cap is None else cap
    key = _key(check, cap)
    hit = _load(key)
    if hit is not None:
        return hit
    out = _prove(check, cap)
    _store(key, out)
    return out


def _prove(check, cap) -> dict:
    from .exact.scalars import Ambiguous, Unsupported

    t0 = time.monotonic()
    sizes, proved, out = _sizes(check), [], None
    beyond = _beyond(check)
    notes = [f"n = {', '.join(map(str, beyond))}: not attempted (the prover tries n <= {LARGEST}, or the smallest "
             "size)"] if beyond else []
    try:
        with _deadline(cap):
            for k in sizes:
                try:
                    got = _prove_size(check, k)
                except Undecided as e:
                    notes.append(f"n = {k}: {e}" if k else str(e))
                    if proved:
                        continue  # a larger size too branched: the smaller ones stand
                    out = {"status": UNDECIDED, "reason": str(e)}
                    break
                if got["failed"]:
                    out = _unproved(check, k, got)
                    break
                proved.append((k, got))
    except Timeout:
        notes.append(f"n = {sizes[len(proved)]}: timeout ({cap:g} s)" if sizes[0] else f"timeout ({cap:g} s)")
        if not proved:
            out = {"status": UNDECIDED, "reason": f"timeout: not finished within {cap:g} s"}
    except (Unsupported, Ambiguous) as e:
        out = {"status": UNDECIDED, "reason": f"{'unsupported' if isinstance(e, Unsupported) else 'undecidable'}: {e}"}
    except Exception as e:  # noqa: BLE001 - SymPy itself failing on a formula is an undecided proof, said so
        out = {"status": UNDECIDED, "reason": f"SymPy failed: {type(e).__name__}: {e}"[:300]}
    if out is None:
        out = _proved(proved, notes)
    elif proved and out["status"] == UNDECIDED:
        out["reason"] += f" (proved for n = {', '.join(str(k) for k, _ in proved)})"
    out["seconds"] = round(time.monotonic() - t0, 3)
    return out


def _proved(proved, notes) -> dict:
    k, last = proved[-1]
    route = max((got["route"] for _, got in proved), key=ROUTE_NAMES.index)
    sizes = [k for k, _ in proved if k]
    text = route + (f"; read as constants: {', '.join(last['constants'])}" if last["constants"] else "")
    aside = sum(got["aside"] for _, got in proved)
    if aside:
        text += f"; {aside} path(s) with no interior (an equality among the differentiated entries) set aside"
    return {"status": PROVED, "route": text, "sizes": sizes, "assumed": last["assumed"], "complete": not notes,
            "paths": sum(got["paths"] for _, got in proved), "cases": sum(got["cases"] for _, got in proved),
            "note": "; ".join(notes)}


def _unproved(check, k, got) -> dict:
    residual = _closed_form(got["failed"])
    witness = _witness(check, k)
    at = f" (n = {k})" if k else ""
    if witness is not None:
        return {"status": DISPROVED, "residual": residual, "witness": witness, "sizes": [k] if k else [],
                "reason": f"the residual is not 0{at}, and the exact oracle shows it nonzero at a point of the domain"}
    why = next((w for *_, w in got["failed"] if w), None) or "no route rewrites the residual to 0"
    return {"status": UNDECIDED, "residual": residual, "sizes": [k] if k else [],
            "reason": f"{why}{at}; no point of {WITNESS_POINTS} in the domain shows it nonzero in exact arithmetic"}


# -- the cache -----------------------------------------------------------------------------------------------
def _key(check, cap) -> str | None:
    from .exact import cache

    if cache.directory() is None:
        return None
    h = hashlib.sha256()
    parts = [VERSION, type(check).__name__, repr(check.domain), repr(getattr(check, "wrt", None)),
             repr(getattr(check, "order", None)), repr(getattr(check, "strict", None)), repr(cap)]
    for k in _sizes(check):
        for f in _programs(check):
            parts.append(cache._ADDRESS.sub("", str(_trace(f, _shapes(check, k)))))
    for part in parts:
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


def _load(key):
    from .exact import cache

    if key is None:
        return None
    path = cache.directory() / "proof" / key[:2] / f"{key}.json"
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _store(key, out) -> None:
    from .exact import cache
    from .report import write_atomic

    if key is None:
        return
    path = cache.directory() / "proof" / key[:2] / f"{key}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(out))
