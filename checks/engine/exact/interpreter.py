"""Evaluate a jaxpr exactly: every floating-point operation of the program done on real numbers.

The program is the claim's own JAX code, traced with ``jax.make_jaxpr`` (batched over points with
``jax.vmap``); the interpreter walks its equations with the numbers of the system in use (:mod:`.numbers`:
by default :mod:`.scalars`, Arb balls, Arb power series, extended reals; SymPy expressions for a proof,
:mod:`.symbolic`) in numpy object arrays:

* floating-point values are object arrays of numbers; integers and booleans that are known are plain
  numpy arrays, computed by :mod:`.structure` in numpy (integer arithmetic is exact already), as is
  data movement (broadcasts, reshapes, slices, concatenations, pads) on either;
* a gather or scatter is not re-implemented: the primitive is bound on an array of *indices* of the
  operand's shape, and the result says which element lands where (JAX's own semantics);
* a float constant of the program is the real number it is: a float is an exact binary fraction;
* ``stop_gradient`` is the identity (the truth is the derivative of the values the program computes);
  ``custom_jvp`` / ``custom_vjp`` calls are evaluated by their primal: the rule under test is never used.

A primitive without an exact rule raises :class:`~.scalars.Unsupported`, naming itself.
"""
from __future__ import annotations

import functools

import numpy as np

from . import linalg, structure
from .numbers import S, ufunc, using
from .scalars import Ambiguous, Unsupported


def _obj(x) -> np.ndarray:
    """``x`` as an object array (a 0-d one for a single number)."""
    if isinstance(x, np.ndarray) and x.dtype == object:
        return x
    if isinstance(x, np.ndarray):
        return _numbers(x)
    out = np.empty((), dtype=object)
    out[()] = x
    return out


def _numbers(a: np.ndarray) -> np.ndarray:
    """A concrete numpy array (float, int or bool) as interpreter numbers."""
    a = np.asarray(a)
    out = np.empty(a.shape, dtype=object)
    flat = out.reshape(-1)
    for i, v in enumerate(a.reshape(-1).tolist()):
        flat[i] = S.from_float(v) if a.dtype.kind == "f" else S.from_float(float(v))
    return out


def _bools(x) -> np.ndarray:
    """An object array of True/False/None as a numpy bool array where every entry is decided."""
    x = _obj(x)
    if any(v is None for v in x.reshape(-1)):
        return x
    return np.asarray(x.tolist(), dtype=bool).reshape(x.shape)


def _is_float(var) -> bool:
    return np.dtype(var.aval.dtype).kind == "f"


def _is_objects(v) -> bool:
    return isinstance(v, np.ndarray) and v.dtype == object


def _ufunc(fn, nin):
    return np.frompyfunc(fn, nin, 1)


def _arith(name):
    def rule(eqn, a, b, **_):
        return _obj(ufunc(name, 2)(_operand(a), _operand(b)))

    return rule


def _operand(a):
    return a if _is_objects(a) else _numbers(np.asarray(a))


def _unary(name):
    return lambda eqn, x, **_: _obj(ufunc("elementary", 1, name)(_operand(x)))


def _compare(op):
    def rule(eqn, a, b, **_):
        return _bools(ufunc("compare", 2, op)(_operand(a), _operand(b)))

    return rule


def _logic(name):
    def rule(eqn, a, b, **_):
        return _bools(ufunc(name, 2)(_obj(a), _obj(b)))

    return rule


def _not(eqn, a, **_):
    return _bools(_ufunc(S.logical_not, 1)(a))


def _select_n(eqn, which, *cases, **_):
    if not any(_is_objects(c) for c in cases) and not any(_is_float(v) for v in eqn.invars[1:]):
        return _bools(_ufunc(S.select, 1 + len(cases))(which, *cases))  # booleans chosen by an undecided boolean
    cases = [_operand(c) for c in cases]
    if _is_objects(which):
        return _obj(_ufunc(S.select, 1 + len(cases))(which, *cases))
    which = np.asarray(which).astype(np.int64)
    shape = np.broadcast_shapes(which.shape, *[c.shape for c in cases])
    return _obj(np.choose(np.broadcast_to(which, shape), [np.broadcast_to(c, shape) for c in cases]))


def _convert(eqn, x, new_dtype, **_):
    kind = np.dtype(new_dtype).kind
    if kind == "f":  # real semantics: a change of float format changes no value
        if eqn.invars[0].aval.dtype == bool:
            return _obj(_ufunc(lambda b: S.union(S.from_float(0.0), S.from_float(1.0)) if b is None
                               else S.from_float(float(b)), 1)(x))
        return x
    if kind == "b":
        return _bools(_ufunc(S.compare("ne"), 2)(x, _obj(S.from_float(0.0))))
    # float -> integer truncates toward zero: decided only where the ball lies within one integer's interval
    def trunc(v):
        v = S.constant(v)
        if isinstance(v, float):
            raise Ambiguous("an infinite or undefined value converted to an integer")
        f = S.floor(v) if v >= 0 else S.ceil(v) if v <= 0 else None
        if f is None:
            raise Ambiguous("a value of undecided sign converted to an integer")
        return int(f.unique_fmpz())

    return np.asarray(np.vectorize(trunc, otypes=[object])(x).tolist(), dtype=new_dtype).reshape(np.shape(x))


def _concrete(eqn, *args):
    """Bind the primitive on known non-float values (integer and boolean arithmetic is exact)."""
    out = eqn.primitive.bind(*[np.asarray(a) for a in args], **eqn.params)
    if eqn.primitive.multiple_results:
        return [np.asarray(o) for o in out]
    return np.asarray(out)


# -- data movement by index tracing (what structure.MOVEMENT does not do in numpy) ---------------------------
_MOVEMENT = {"gather", "scatter", "split", "pad"}


def _move(eqn, *args):
    """Bind a data-movement primitive on the indices of its float operands; gather the numbers they name."""
    import jax.numpy as jnp

    pools, idx_args, offset = [], [], 0
    for var, a in zip(eqn.invars, args):
        if _is_objects(a) or _is_float(var):
            a = _operand(a)
            idx_args.append(jnp.asarray(np.arange(offset, offset + a.size, dtype=np.int64).reshape(a.shape)))
            pools.append(a.reshape(-1))
            offset += a.size
        else:
            idx_args.append(np.asarray(a))
    pool = np.concatenate(pools) if pools else np.empty(0, object)
    params = dict(eqn.params)
    if eqn.primitive.name in ("gather",) and params.get("fill_value") is None:
        params["fill_value"] = -1  # out-of-bounds reads: -1, resolved to nan below
    out = eqn.primitive.bind(*idx_args, **params)
    outs = out if eqn.primitive.multiple_results else [out]
    results = []
    for o in outs:
        o = np.asarray(o)
        got = np.empty(o.shape, dtype=object)
        flat, src = got.reshape(-1), o.reshape(-1)
        for i, j in enumerate(src.tolist()):
            flat[i] = pool[j] if j >= 0 else S.NAN
        results.append(got)
    return results if eqn.primitive.multiple_results else results[0]


# -- reductions ----------------------------------------------------------------------------------------------
def _reducer(name, empty):
    def rule(eqn, x, axes, **_):
        u = ufunc(name, 2)
        out = x
        for ax in sorted((int(a) for a in axes), reverse=True):
            if out.shape[ax] == 0:
                shape = out.shape[:ax] + out.shape[ax + 1:]
                out = _obj(np.full(shape, None, dtype=object))
                out.reshape(-1)[:] = [empty() for _ in range(out.size)]
            else:
                out = _obj(u.reduce(out, axis=ax))
        return _bools(out) if eqn.outvars[0].aval.dtype == bool else out

    return rule


def _arg_extreme(sign):
    def rule(eqn, x, axes, index_dtype, **_):
        ax = int(axes[0])
        moved = np.moveaxis(x, ax, -1)
        rows = moved.reshape(-1, moved.shape[-1])
        out = np.empty(rows.shape[0], dtype=np.int64)
        pick = vars(S).get("extreme_index", _extreme_index)  # a number system may decide it its own way
        for r, row in enumerate(rows):
            out[r] = pick(list(row), sign)
        return out.reshape(moved.shape[:-1]).astype(index_dtype)

    return rule


def _extreme_index(row, sign):
    """The first index of the largest (sign 1) or smallest (sign -1) entry.

    Entries whose balls overlap the extreme one are all candidates: a tie of inexact values (two logits
    equal, divided by the same rounded temperature) is a choice the oracle makes every way (:class:`Choices`).
    """
    if any(S._cmp(v, v) == "nan" for v in row):
        raise Ambiguous("argmax over an undefined value")
    lead = max(range(len(row)), key=lambda i: sign * S.to_float(row[i]))
    candidates = [i for i in range(len(row)) if S._cmp(row[i], row[lead]) in (0, None) or i == lead]
    if len(candidates) == 1 or all(S._cmp(row[i], row[candidates[0]]) == 0 for i in candidates):
        return candidates[0]
    return Choices.take(candidates)


class Choices:
    """The successive ambiguous argmax decisions of one point's evaluation, taken as ``forced`` says.

    Without ``forced`` the first one raises :class:`~.scalars.Ambiguous` with its candidates; the oracle then
    evaluates the point once per candidate (and so on, for a later decision) and unites the results: a value
    that does not depend on the choice stays sharp, one that does is wide (a branch point).
    """

    forced = None  # the candidates to take, in the order the decisions come; None: no choice is made
    made = 0

    @classmethod
    def take(cls, candidates):
        if cls.forced is None or cls.made >= len(cls.forced):
            raise AmbiguousChoice(candidates)
        choice = cls.forced[cls.made]
        cls.made += 1
        return candidates[choice] if choice < len(candidates) else candidates[-1]


class AmbiguousChoice(Ambiguous):
    def __init__(self, candidates):
        super().__init__(f"argmax over {len(candidates)} entries whose balls overlap")
        self.candidates = candidates


def _cumulative(name):
    def rule(eqn, x, axis, reverse, **_):
        y = np.flip(x, axis) if reverse else x
        out = _obj(ufunc(name, 2).accumulate(y, axis=axis))
        return np.flip(out, axis) if reverse else out

    return rule


# -- products ----------------------------------------------------------------------------------------------
def _dot_general(eqn, lhs, rhs, dimension_numbers, **_):
    (lc, rc), (lb, rb) = dimension_numbers
    lhs, rhs = _operand(lhs), _operand(rhs)
    lfree = [i for i in range(lhs.ndim) if i not in lc and i not in lb]
    rfree = [i for i in range(rhs.ndim) if i not in rc and i not in rb]
    # lhs as (batch, lfree, contract), rhs as (batch, rfree, contract): the product of every pair, summed
    L = np.transpose(lhs, list(lb) + lfree + list(lc))
    R = np.transpose(rhs, list(rb) + rfree + list(rc))
    nb, nc = len(lb), len(lc)
    bshape = L.shape[:nb]
    lshape, rshape = L.shape[nb:L.ndim - nc], R.shape[nb:R.ndim - nc]
    csize = int(np.prod(L.shape[L.ndim - nc:], dtype=np.int64))
    L = L.reshape(bshape + (int(np.prod(lshape, dtype=np.int64)), 1, csize))
    R = R.reshape(bshape + (1, int(np.prod(rshape, dtype=np.int64)), csize))
    prod = ufunc("mul", 2)(L, R)
    if csize == 0:
        total = np.empty(prod.shape[:-1], object)
        total.reshape(-1)[:] = [S.from_float(0.0)] * total.size
    else:
        total = ufunc("add", 2).reduce(prod, axis=-1)
    return _obj(total).reshape(bshape + lshape + rshape)


# -- calls and control ---------------------------------------------------------------------------------------
def _sub_jaxpr(params):
    for key in ("jaxpr", "call_jaxpr", "fun_jaxpr"):
        if key in params:
            return params[key]
    raise Unsupported("a call without a jaxpr")


def _call(eqn, *args, **params):
    sub = _sub_jaxpr(params)
    info = getattr(getattr(sub, "jaxpr", sub), "debug_info", None)
    name = (getattr(info, "func_src_info", "") or "").split(" ")[0]
    if name in _REAL_FUNCTIONS and any(_is_objects(a) for a in args):
        return _REAL_FUNCTIONS[name](*args)
    return evaluate(sub, *args)


def _frexp(x):
    """``jnp.frexp`` in real semantics: ``x = m 2^e`` with ``|m|`` in [1/2, 1) (0, inf and nan: ``(x, 0)``).

    Its primal code reads the float's bits, which a ball that is not a float has none of: the exponent is
    decided from the ball instead (ambiguous where it straddles a power of two), and ``m = x / 2^e`` exactly.
    """
    flat = _obj(x).reshape(-1)
    m = np.empty(flat.shape, dtype=object)
    e = np.zeros(flat.shape, dtype=np.int32)
    for i, v in enumerate(flat):
        c = S.constant(v)
        if isinstance(c, float) or c == 0:
            m[i] = v
            continue
        size = abs(c)
        k = int(np.frexp(abs(S.to_float(c)))[1]) if np.isfinite(S.to_float(c)) and S.to_float(c) != 0 else None
        if k is None or not (size >= S.from_float(2.0) ** (k - 1) and size < S.from_float(2.0) ** k):
            raise Ambiguous("frexp of a ball that straddles a power of two")
        e[i] = k
        m[i] = S.div(v, S.from_float(2.0) ** k)
    return [m.reshape(np.shape(x)), e.reshape(np.shape(x))]


_REAL_FUNCTIONS = {"_frexp": _frexp}  # JAX functions whose primal works on a float's bits, by their real meaning


def _cond(eqn, index, *args, branches, **_):
    if _is_objects(index):
        raise Ambiguous("a branch chosen by an undecided comparison")
    idx = np.asarray(index)
    if idx.ndim:
        raise Unsupported("cond with a batched index")
    return evaluate(branches[int(np.clip(idx, 0, len(branches) - 1))], *args)


def _platform_index(eqn, *_, platforms, has_default, **__):
    import jax

    here = jax.default_backend()
    for i, names in enumerate(platforms):
        if here in names or (here == "gpu" and ("cuda" in names or "rocm" in names)):
            return np.asarray(i, np.int32)
    if has_default:
        return np.asarray(len(platforms), np.int32)
    raise Unsupported(f"platform_index has no branch for {here}")


def _while(eqn, *args, cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts):
    cc, bc, carry = args[:cond_nconsts], args[cond_nconsts:cond_nconsts + body_nconsts], list(
        args[cond_nconsts + body_nconsts:])
    while True:
        (go,) = evaluate(cond_jaxpr, *cc, *carry)
        if _is_objects(go):
            raise Ambiguous("a loop condition on an undecided comparison")
        if not bool(np.asarray(go)):
            return carry
        carry = evaluate(body_jaxpr, *bc, *carry)


def _linear_solve(eqn, *args, const_lengths, jaxprs):
    n_mv, n_vm, n_s = const_lengths.matvec, const_lengths.vecmat, const_lengths.solve
    consts = args[n_mv + n_vm:n_mv + n_vm + n_s]
    rhs = args[sum(const_lengths):]
    return evaluate(jaxprs.solve, *consts, *rhs)


def _identity(eqn, *args, **_):
    return list(args) if eqn.primitive.multiple_results else args[0]


def _bitcast(eqn, x, new_dtype, **_):
    dtype = np.dtype(eqn.invars[0].aval.dtype)
    vals = np.empty(x.shape, dtype=dtype)
    for i, v in enumerate(x.reshape(-1)):
        v = S.constant(v)
        f = v if isinstance(v, float) else S.to_float(v)
        if not isinstance(v, float) and not (v.is_exact() and v == S.from_float(float(np.asarray(f, dtype)))):
            raise Unsupported("bitcast_convert_type of a value that is not a float of its dtype")
        vals.reshape(-1)[i] = f
    return np.asarray(vals.view(new_dtype))


def _bitcast_rule(eqn, x, new_dtype, **params):
    out = _bitcast(eqn, x, new_dtype)
    return _numbers(out) if np.dtype(new_dtype).kind == "f" else out


def _sort(eqn, *operands, dimension, is_stable, num_keys):
    keys = operands[:num_keys]
    moved = [np.moveaxis(np.asarray(o) if not _is_objects(o) else o, dimension, -1) for o in operands]
    n = moved[0].shape[-1]
    lead = moved[0].shape[:-1]
    perm = np.empty(lead + (n,), dtype=np.int64)
    kmoved = moved[:len(keys)]
    for pos in np.ndindex(*lead):
        def cmp(i, j, pos=pos):
            for k in kmoved:
                c = S._cmp(_operand(k[pos + (i,)]).item() if not _is_objects(k) else k[pos + (i,)],
                           _operand(k[pos + (j,)]).item() if not _is_objects(k) else k[pos + (j,)])
                if c is None or c == "nan":
                    raise Ambiguous("sort of entries whose balls overlap")
                if c:
                    return c
            return 0

        perm[pos] = sorted(range(n), key=functools.cmp_to_key(cmp))
    outs = []
    for m in moved:
        taken = np.take_along_axis(m, perm, axis=-1)
        outs.append(np.moveaxis(taken, -1, dimension))
    return outs


def _clamp(eqn, lo, x, hi, **_):
    return _arith("maximum")(eqn, lo, _arith("minimum")(eqn, x, hi))


def _stop_gradient(eqn, x, **_):
    return _obj(_ufunc(S.constant, 1)(x)) if Mode.stop_gradient == "constant" and _is_objects(x) else x


class Mode:
    """How ``stop_gradient`` is read: as the identity (the value's true derivative), or as JAX defines it
    for autodiff (a constant: the fallback at the ties of a max whose variation the program declares
    irrelevant, see :mod:`.oracle`)."""

    stop_gradient = "identity"


_CALLS = {"jit", "pjit", "closed_call", "core_call", "remat", "checkpoint", "custom_jvp_call", "custom_vjp_call",
          "custom_vjp_call_jaxpr", "cond", "while"}  # their bodies may hold floats of their own (constants)

RULES = {
    "add": _arith("add"), "add_any": _arith("add"), "sub": _arith("sub"), "mul": _arith("mul"),
    "div": _arith("div"), "max": _arith("maximum"), "min": _arith("minimum"), "pow": _arith("power"),
    "neg": lambda eqn, x, **_: _obj(_ufunc(S.neg, 1)(_operand(x))),
    "integer_pow": lambda eqn, x, y, **_: _obj(_ufunc(lambda v: S.integer_pow(v, y), 1)(_operand(x))),
    "square": lambda eqn, x, **_: _obj(_ufunc(lambda v: S.integer_pow(v, 2), 1)(_operand(x))),
    "is_finite": lambda eqn, x, **_: _bools(_ufunc(S.is_finite, 1)(_operand(x))),
    "floor": lambda eqn, x, **_: _obj(_ufunc(S.floor, 1)(_operand(x))),
    "ceil": lambda eqn, x, **_: _obj(_ufunc(S.ceil, 1)(_operand(x))),
    "eq": _compare("eq"), "ne": _compare("ne"), "lt": _compare("lt"), "le": _compare("le"),
    "gt": _compare("gt"), "ge": _compare("ge"),
    "and": _logic("logical_and"), "or": _logic("logical_or"), "not": _not,
    "select_n": _select_n, "convert_element_type": _convert, "clamp": _clamp,
    "reduce_sum": _reducer("add", lambda: S.from_float(0.0)),
    "reduce_prod": _reducer("mul", lambda: S.from_float(1.0)),
    "reduce_max": _reducer("maximum", lambda: S.NINF), "reduce_min": _reducer("minimum", lambda: S.INF),
    "reduce_and": _reducer("logical_and", lambda: True), "reduce_or": _reducer("logical_or", lambda: False),
    "argmax": _arg_extreme(1), "argmin": _arg_extreme(-1),
    "cumsum": _cumulative("add"), "cumprod": _cumulative("mul"), "cummax": _cumulative("maximum"),
    "cummin": _cumulative("minimum"),
    "dot_general": _dot_general,
    "jit": _call, "pjit": _call, "closed_call": _call, "core_call": _call, "remat": _call, "checkpoint": _call,
    "custom_jvp_call": _call, "custom_vjp_call": _call, "custom_vjp_call_jaxpr": _call,
    "cond": _cond, "platform_index": _platform_index, "while": _while,
    "custom_linear_solve": _linear_solve, "lu": linalg.lu, "triangular_solve": linalg.triangular_solve, "svd": linalg.svd,
    "optimization_barrier": _identity, "reduce_precision": _identity,
    "stop_gradient": _stop_gradient, "bitcast_convert_type": _bitcast_rule, "sort": _sort,
}
for _name in ("exp", "log", "log1p", "expm1", "tanh", "logistic", "sqrt", "rsqrt", "abs", "sign", "exp2", "erf",
              "erfc", "cosh", "sinh", "sin", "cos"):
    RULES[_name] = _unary(_name)


def _read(env, v):
    from jax.extend import core

    if isinstance(v, core.Literal):
        return _literal(v.val, v.aval.dtype)
    return env[v]


def _literal(val, dtype):
    arr = np.asarray(val, dtype=dtype)
    return _numbers(arr) if np.dtype(dtype).kind == "f" else arr


def evaluate(jaxpr, *args, numbers=None) -> list:
    """The jaxpr (closed or open) at ``args``: float arguments as object arrays of numbers, others as arrays.

    ``numbers``: the number system (:mod:`.numbers`; default: the one in use, Arb balls unless said otherwise).
    """
    with using(numbers):
        return _evaluate(jaxpr, args)


def _evaluate(jaxpr, args) -> list:
    from jax.extend import core

    consts = []
    if isinstance(jaxpr, core.ClosedJaxpr):
        consts = [_literal(c, np.asarray(c).dtype) for c in jaxpr.consts]
        jaxpr = jaxpr.jaxpr
    env = {}
    for v, a in zip(jaxpr.constvars, consts):
        env[v] = a
    for v, a in zip(jaxpr.invars, args):
        env[v] = a if (_is_objects(a) or not _is_float(v)) else _numbers(np.asarray(a))
    for eqn in jaxpr.eqns:
        invals = [_read(env, v) for v in eqn.invars]
        with np.errstate(all="ignore"):  # numpy's object loops flag a nan result of ours: an undefined value, meant
            out = _apply(eqn, invals)
        outs = out if eqn.primitive.multiple_results else [out]
        for v, o in zip(eqn.outvars, outs):
            env[v] = o
    return [_read(env, v) for v in jaxpr.outvars]


def _apply(eqn, invals):
    name = eqn.primitive.name
    if not any(_is_objects(a) for a in invals) and not any(_is_float(v) for v in eqn.invars) \
            and name not in _CALLS:
        # integer and boolean arithmetic (and iota): exact as the machine does it; a float result of it is exact too
        fn = structure.INTEGER.get(name) or structure.MOVEMENT.get(name)
        out = fn(*[np.asarray(a) for a in invals], **eqn.params) if fn else None
        if out is None:
            out = _concrete(eqn, *invals)
        outs = out if eqn.primitive.multiple_results else [out]
        outs = [_numbers(np.asarray(o)) if _is_float(v) else np.asarray(o).astype(v.aval.dtype)
                for v, o in zip(eqn.outvars, outs)]
        return outs if eqn.primitive.multiple_results else outs[0]
    own = vars(S).get("RULES")  # the number system's own reading of a primitive, if it has one
    rule = (own.get(name) if own else None) or RULES.get(name)
    if rule is not None:
        return rule(eqn, *invals, **eqn.params)
    if name in structure.MOVEMENT:
        args = [_operand(a) if _is_objects(a) or _is_float(v) else np.asarray(a) for v, a in zip(eqn.invars, invals)]
        out = structure.MOVEMENT[name](*args, **eqn.params)
        if out is not None:
            return _bools(out) if eqn.outvars[0].aval.dtype == bool and _is_objects(out) else out
    if name in _MOVEMENT:
        return _move(eqn, *invals)
    raise Unsupported(f"primitive {name!r} has no exact rule")
