"""A disk cache of exact results, keyed by the program and the points (``$CERTIFY_EXACT_CACHE``).

An exact result depends on nothing but the traced program (its jaxpr and constants), the points, what was
asked (values, or a derivative of which order in which argument) and the interpreter: the key hashes all of
them, so a changed formula, point or interpreter is a new entry. Float results are never cached: they are
facts of the run. Entries are written atomically (one file each), so parallel workers may share the cache.
"""
from __future__ import annotations

import hashlib
import os
import pathlib
import pickle
import re
import tempfile

import numpy as np
from flint import arb

VERSION = "exact-2"  # bump when the interpreter's semantics or an entry's layout change: old entries are then never read
_ADDRESS = re.compile(r" at 0x[0-9a-f]+")


def directory():
    d = os.environ.get("CERTIFY_EXACT_CACHE")
    return pathlib.Path(d) if d else None


def hasher(parts, arrays=()):
    """A sha256 of strings (each delimited) and arrays (dtype, shape and bytes): where every key here starts."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode())
        h.update(b"\0")
    for a in arrays:
        a = np.asarray(a)
        h.update(f"{a.dtype.str}{a.shape}".encode())
        h.update(np.ascontiguousarray(a).tobytes())
    return h


def program(closed_jaxpr) -> str:
    """The digest of a traced program: its jaxpr (object addresses removed) and its constants.

    Printing a jaxpr takes milliseconds: callers compute this once per traced program, not per lookup.
    """
    return hasher([_ADDRESS.sub("", str(closed_jaxpr))], closed_jaxpr.consts).hexdigest()


def key(program_digest, args, what, points=None) -> str:
    """The entry of the program with digest ``program_digest`` (:func:`program`) asked ``what`` at these points."""
    import jax

    h = hasher([VERSION, jax.default_backend(), repr(what), program_digest], args)
    for p in points or ():
        h.update(b"-")
        if hasattr(p, "key"):  # points made from floats by known code (oracle.Normalised): named by those
            h.update(p.key())
            continue
        for v in () if p is None else np.asarray(p).reshape(-1):
            _digest(h, v)
    return h.hexdigest()


def _digest(h, x):
    """One exact point into the hash: a ball's midpoint and radius as (mantissa, exponent) bytes (a point is
    normalised at 4096 bits: its decimal repr would cost 5x more), else the value's repr."""
    parts = [repr(x).encode()] if not isinstance(x, arb) else [
        int(i).to_bytes((int(i).bit_length() + 8) // 8, "little", signed=True)
        for i in (*x.mid().man_exp(), *x.rad().man_exp())]
    for b in parts:  # each with its length: no two points run together into the same bytes
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)


def _encode(x):
    if isinstance(x, arb):
        if not (x.mid().is_finite() and x.rad().is_finite()):
            return float("nan")  # a ball that says nothing (an undecided point's result)
        m, e = x.mid().man_exp()
        rm, re_ = x.rad().man_exp()
        return (int(m), int(e), int(rm), int(re_))
    return x  # an extended float, a boolean or None


def _decode(x):
    if isinstance(x, tuple):
        return arb((x[0], x[1]), (x[2], x[3]))
    return x


def _objects(a, fn):
    out = np.empty(a.shape, dtype=object)
    out.reshape(-1)[:] = [fn(v) for v in a.reshape(-1)]
    return out


def computed(fn, arrays, compute, *parts):
    """``compute()``, from the cache where it ran before: the values of ``fn`` (a pure function of mpmath: its
    module's source, its code object and mpmath's version name it, with ``parts``) at the points ``arrays``.

    A function that closes over variables, has no Python code or no module source to read, is computed every
    time: it would not be all in the key.
    """
    import inspect
    import marshal
    import sys

    import mpmath

    code = getattr(fn, "__code__", None)
    if directory() is None or code is None or getattr(fn, "__closure__", None):
        return compute()
    try:
        source = inspect.getsource(sys.modules[fn.__module__])
    except (KeyError, OSError, TypeError):
        return compute()
    k = hasher(["mpmath-1", source, marshal.dumps(code).hex(), mpmath.__version__, *map(str, parts)],
               arrays).hexdigest()
    hit = read(k)
    if hit is None:
        hit = compute()
        write(k, hit)
    return hit


def read(k):
    """The payload stored under ``k`` (None: no cache, or no such entry)."""
    d = directory()
    path = d / k[:2] / k if d else None
    if path is None or not path.exists():
        return None
    with open(path, "rb") as f:
        return pickle.load(f)


def write(k, payload) -> None:
    """Store ``payload`` under ``k``, atomically (a reader sees the whole entry or none)."""
    d = directory()
    if d is None:
        return
    path = d / k[:2] / k
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as f:
        pickle.dump(payload, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def load(k):
    """The exact result stored under ``k``, or None."""
    payload = read(k)
    if payload is None:
        return None
    from .oracle import Exact

    status, values, reason, rounded = payload
    return Exact(np.asarray(status, dtype=object), [_objects(v, _decode) for v in values], reason, rounded)


def store(k, result) -> None:
    if directory() is not None:
        write(k, (list(result.status), [_objects(v, _encode) for v in result.values], list(result.reason),
                  [result.rounding(i) for i in range(len(result.values))]))
