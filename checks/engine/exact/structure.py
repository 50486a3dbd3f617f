"""Primitives that move data or compute on integers and booleans, in numpy: exact as they stand, and with no
XLA compilation per shape (binding a primitive eagerly would compile it for every batch size the exact oracle
meets). Each follows the primitive's own semantics (``jax.lax``): truncating integer division, logical shifts
on the unsigned bits, clamped dynamic slices, argmax's first index. What is not here is bound with JAX itself
(:mod:`.interpreter`: gathers, scatters and the rare rest).
"""
from __future__ import annotations

import numpy as np


def _broadcast_in_dim(x, shape, broadcast_dimensions, **_):
    dims = list(broadcast_dimensions)
    expanded = np.reshape(x, [np.shape(x)[dims.index(d)] if d in dims else 1 for d in range(len(shape))])
    return np.broadcast_to(expanded, shape).copy()


def _reshape(x, new_sizes, dimensions=None, **_):
    if dimensions is not None:
        x = np.transpose(x, dimensions)
    return np.reshape(x, new_sizes)


def _slice(x, start_indices, limit_indices, strides=None, **_):
    strides = strides or (1,) * len(start_indices)
    return x[tuple(slice(s, e, st) for s, e, st in zip(start_indices, limit_indices, strides))]


def _starts(x, starts, sizes):
    """Dynamic start indices as JAX clamps them: into [0, dim - size]."""
    return [int(np.clip(int(np.asarray(s)), 0, d - n)) for s, d, n in zip(starts, np.shape(x), sizes)]


def _dynamic_slice(x, *starts, slice_sizes, **_):
    lo = _starts(x, starts, slice_sizes)
    return x[tuple(slice(a, a + n) for a, n in zip(lo, slice_sizes))]


def _dynamic_update_slice(x, update, *starts, **_):
    lo = _starts(x, starts, np.shape(update))
    out = x.copy() if x.dtype == object or update.dtype != object else x.astype(object)
    out[tuple(slice(a, a + n) for a, n in zip(lo, np.shape(update)))] = update
    return out


def _pad(x, padding_value, padding_config, **_):
    if any(lo < 0 or hi < 0 for lo, hi, _ in padding_config):
        return None  # cropping pads: bound with JAX
    shape = [lo + hi + n + max(n - 1, 0) * interior for (lo, hi, interior), n in zip(padding_config, np.shape(x))]
    out = np.empty(shape, dtype=x.dtype)
    out[...] = np.asarray(padding_value, dtype=x.dtype).reshape(()) if x.dtype != object else \
        np.asarray(padding_value, dtype=object).reshape(())[()]
    out[tuple(slice(lo, lo + n + max(n - 1, 0) * interior, interior + 1)
              for (lo, _, interior), n in zip(padding_config, np.shape(x)))] = x
    return out


def _concatenate(*xs, dimension, **_):
    return np.concatenate(_common(xs), axis=dimension)


def _stack(*xs, axis, **_):
    return np.stack(_common(xs), axis=axis)


def _common(xs):
    """Operands of one primitive as arrays of one kind (objects if any is)."""
    if any(np.asarray(x).dtype == object for x in xs):
        from .interpreter import _obj
        return [_obj(x) for x in xs]
    return [np.asarray(x) for x in xs]


def _iota(*, dtype, shape, dimension, **_):
    r = np.arange(shape[dimension], dtype=dtype)
    return np.broadcast_to(r.reshape([-1 if i == dimension else 1 for i in range(len(shape))]), shape).copy()


def _div(a, b):
    """Integer division truncating toward zero (lax.div), not numpy's floor."""
    q = np.floor_divide(a, b)
    return np.where((np.remainder(a, b) != 0) & ((a < 0) != (b < 0)), q + 1, q)


def _shift_right_logical(a, b):
    bits = a.dtype.itemsize * 8
    u = a.view(np.dtype(f"u{a.dtype.itemsize}")) if a.dtype.kind == "i" else a
    out = np.where(b >= bits, 0, u >> np.clip(b, 0, bits - 1).astype(u.dtype))
    return out.astype(u.dtype).view(a.dtype) if a.dtype.kind == "i" else out.astype(a.dtype)


def _reduce(fn):
    def rule(x, axes, **_):
        return fn(x, axis=tuple(int(a) for a in axes)) if axes else x
    return rule


def _argext(fn):
    def rule(x, axes, index_dtype, **_):
        return fn(x, axis=int(axes[0])).astype(index_dtype)
    return rule


def _cumulative(fn):
    def rule(x, axis, reverse=False, **_):
        y = np.flip(x, axis) if reverse else x
        out = fn(y, axis=axis)
        return np.flip(out, axis) if reverse else out
    return rule


def _sort(*operands, dimension, is_stable=True, num_keys=1):
    keys = [np.asarray(k) for k in operands[:num_keys]]
    perm = np.lexsort(keys[::-1], axis=dimension) if num_keys > 1 else np.argsort(keys[0], axis=dimension,
                                                                                     kind="stable")
    return [np.take_along_axis(np.asarray(o), perm, axis=dimension) for o in operands]


def _select_n(which, *cases):
    which = np.asarray(which)
    shape = np.broadcast_shapes(which.shape, *[np.shape(c) for c in cases])
    return np.choose(np.broadcast_to(which.astype(np.int64), shape), [np.broadcast_to(c, shape) for c in cases])


def _elementwise(fn):
    return lambda *args, **_: fn(*[np.asarray(a) for a in args])


# every entry: (operands, params) -> result (or a list of results), or None to say "bind it with JAX instead"
MOVEMENT = {
    "broadcast_in_dim": _broadcast_in_dim, "reshape": _reshape, "transpose": lambda x, permutation, **_:
    np.transpose(x, permutation), "squeeze": lambda x, dimensions, **_: np.squeeze(x, axis=tuple(dimensions)),
    "expand_dims": lambda x, dimensions, **_: np.expand_dims(x, tuple(dimensions)), "slice": _slice,
    "dynamic_slice": _dynamic_slice, "dynamic_update_slice": _dynamic_update_slice, "pad": _pad,
    "concatenate": _concatenate, "stack": _stack, "rev": lambda x, dimensions, **_: np.flip(x, tuple(dimensions)),
    "copy": lambda x, **_: x, "copy_p": lambda x, **_: x,
}

INTEGER = {  # integer and boolean arithmetic (never a float operand)
    "add": _elementwise(np.add), "sub": _elementwise(np.subtract), "mul": _elementwise(np.multiply),
    "neg": _elementwise(np.negative), "max": _elementwise(np.maximum), "min": _elementwise(np.minimum),
    "abs": _elementwise(np.abs), "sign": _elementwise(np.sign), "div": _elementwise(_div),
    "rem": _elementwise(np.fmod), "and": _elementwise(np.bitwise_and), "or": _elementwise(np.bitwise_or),
    "xor": _elementwise(np.bitwise_xor), "not": _elementwise(np.invert), "eq": _elementwise(np.equal),
    "ne": _elementwise(np.not_equal), "lt": _elementwise(np.less), "le": _elementwise(np.less_equal),
    "gt": _elementwise(np.greater), "ge": _elementwise(np.greater_equal),
    "shift_left": _elementwise(np.left_shift), "shift_right_arithmetic": _elementwise(np.right_shift),
    "shift_right_logical": _elementwise(_shift_right_logical),
    "select_n": lambda which, *cases, **_: _select_n(which, *cases),
    "clamp": lambda lo, x, hi, **_: np.clip(x, lo, hi),
    "integer_pow": lambda x, y, **_: np.power(x, y),
    "convert_element_type": lambda x, new_dtype, **_: np.asarray(x).astype(new_dtype),
    "iota": _iota,
    "reduce_sum": _reduce(np.sum), "reduce_prod": _reduce(np.prod), "reduce_max": _reduce(np.max),
    "reduce_min": _reduce(np.min), "reduce_and": _reduce(np.all), "reduce_or": _reduce(np.any),
    "argmax": _argext(np.argmax), "argmin": _argext(np.argmin),
    "cumsum": _cumulative(np.cumsum), "cumprod": _cumulative(np.cumprod),
    "cummax": _cumulative(np.maximum.accumulate), "cummin": _cumulative(np.minimum.accumulate),
    "sort": _sort,
}
