"""The number system of the evaluation in progress: :mod:`.scalars` (Arb balls) unless another is in use.

The interpreter (:mod:`.interpreter`, :mod:`.linalg`) does every operation on numbers through ``S``, which
forwards to the current system: Arb balls by default, SymPy expressions for a proof (:mod:`.symbolic`). A
number system is a module with the functions of :mod:`.scalars` (``add``, ``elementary(name)``,
``compare(op)``, ``select``, ``union``, ...); it may add ``RULES``, primitive name -> rule, for the primitives
whose reading differs from the interpreter's own (a decision that splits a proof into cases).
"""
from __future__ import annotations

import contextlib
import functools

import numpy as np

from . import scalars


class _Current:
    """The names of the number system in use (a module), as attributes: ``S.add`` is the system's ``add``.

    Copied in when the system changes, so that an access costs what a module's does (the interpreter makes
    several per number)."""

    system = None

    def load(self, numbers):
        vars(self).clear()
        vars(self).update(vars(numbers))
        _Current.system = numbers


S = _Current()
S.load(scalars)


@contextlib.contextmanager
def using(numbers):
    """Evaluate with the module ``numbers`` (None: keep the one in use) for the duration of the block."""
    old = _Current.system
    if numbers is None or numbers is old:
        yield
        return
    S.load(numbers)
    try:
        yield
    finally:
        S.load(old)


def ufunc(name, nin, *args):
    """``np.frompyfunc`` of the current system's function ``name`` (of ``name(*args)`` when a factory:
    ``elementary("exp")``, ``compare("lt")``), made once per system."""
    return _ufunc(_Current.system, name, nin, args)


@functools.lru_cache(maxsize=None)
def _ufunc(numbers, name, nin, args):
    fn = getattr(numbers, name)
    return np.frompyfunc(fn(*args) if args else fn, nin, 1)
