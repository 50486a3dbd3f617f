"""Exact evaluation of a claim's own JAX programs (python-flint's Arb balls): see :mod:`.oracle`."""
from .oracle import BRANCH, OK, UNDECIDED, UNDEFINED, Exact, Normalised, derivatives, normalised, values
from .scalars import Ambiguous, Unsupported

__all__ = ["Ambiguous", "BRANCH", "Exact", "Normalised", "OK", "UNDECIDED", "UNDEFINED", "Unsupported", "derivatives", "normalised", "values"]
