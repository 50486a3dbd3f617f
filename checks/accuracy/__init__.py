"""Numerical truth: every stable form against mpmath, side by side with what users call.

``python -m checks.accuracy`` writes ``reports/accuracy.json`` and ``reports/ACCURACY.md``.

Modules, in the order the measurement flows:

* ``points``          deterministic log-spaced points per dtype (families of a scalar parameter);
* ``exact``           mpmath referees (60 digits), correct rounding to the dtype, ULP distance;
* ``implementations`` the rows (functions, derivatives, backend primitives) and their columns;
* ``bounds``          each stable form's certified bound, with the rounding count behind it;
* ``measure``         evaluation (``jit(vmap)``), flush-to-zero handling, per-point errors;
* ``thresholds``      exact failure thresholds by bisection over the floats, and their models;
* ``report``          JSON and Markdown; ``ratchet`` the recorded maxima (``ratchet.json``).

The claims in ``checks/claims/accuracy.py`` and the test ``checks/test_accuracy.py`` use the same code.
"""
