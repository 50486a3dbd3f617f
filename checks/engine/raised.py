"""A claim's own function that raises at an input: one line naming the function, the input and the exception.

An author's functions run compiled by JAX (a callback may raise there), interpreted exactly in ball arithmetic
(:mod:`.exact`: an Arb operation or a conversion may raise, a primitive may have no exact rule) and, where
declared, in mpmath (a referee may divide by zero, overflow an integer, return a complex number). Any of them
raising stops the claim with :class:`Raised`, which the runner turns into an ``error`` outcome: its message says
which function raised, at which input (the first of its batch that raises), and what it raised, instead of a
traceback from inside JAX, Arb or mpmath.
"""
from __future__ import annotations

import numpy as np


class Raised(Exception):
    """A claim's function raised: the message names the function, the input and the exception."""


def said(e) -> str:
    """An exception in one line: its type and the first line of its message; of one raised inside a JAX callback
    (whose message ends with the callback's traceback), the callback's own exception."""
    lines = [line for line in str(e).strip().split("\n") if line.strip()]
    if "Traceback (most recent call last)" in str(e):
        return lines[-1].strip()
    return f"{type(e).__name__}: {lines[0]}" if lines else type(e).__name__


def name(role, fn) -> str:
    """``role`` with the function's own name: "forward (half_square)"."""
    own = getattr(fn, "__qualname__", None) or type(fn).__name__
    return f"{role} ({own})"


def point(args, i) -> str:
    """Point ``i`` of a batch, as ``python -m checks repro --args`` writes it (an exact ball as its text)."""
    import json

    return json.dumps([np.asarray(a[i]).tolist() for a in args], default=str)


def blame(what, call, args):
    """``call(idx)`` (the function ``what`` at the points ``idx`` of the batch ``args``: an index array, or a slice
    for all of them) at every point; where it raises, :class:`Raised` naming the first point of the batch at which
    it does (``what`` may be a function of that point's arguments, naming the culprit once the point is known).

    The point is found by halving: a function of each point separately raises on a half that holds such a point.
    Where neither half raises (a failure of the batch as a whole), the batch's first point is named.
    """
    n = len(args[0])
    try:
        return call(slice(None))  # the whole batch as a view: no copy of every array on the hot path
    except Raised:
        raise
    except Exception as e:  # noqa: BLE001 - whatever the author's function raises, said in one line
        idx, error = np.arange(n), e
        while idx.size > 1:
            for half in (idx[:idx.size // 2], idx[idx.size // 2:]):
                try:
                    call(half)
                except Raised:
                    raise
                except Exception as e2:  # noqa: BLE001
                    idx, error = half, e2
                    break
            else:
                break
        i = int(idx[0])
        who = what([a[i] for a in args]) if callable(what) else what
        raise Raised(f"{who} raised at {point(args, i)}: {said(error)}") from None
