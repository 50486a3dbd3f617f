"""Builders of what a :class:`~checks.engine.Custom` check's ``run(dtype, budget)`` returns.

A Custom check measures something, writes it as :func:`evidence` rows, and says
whether it held with :func:`outcome` (or :func:`judged`, when each row carries its
own pass/fail). The runner fills in the claim id and backend.
"""
from __future__ import annotations

# the runner is imported where used: importing the engine's API (and the pytest plugin, through it)
# stays light, and the runner's Hypothesis setting applies only where claims are certified


def evidence(oracle, dtype, points=0, max_error=0.0, tolerance=None, note=""):
    """One row: ``max_error`` over ``points`` points, against ``tolerance`` (None: the row is informative).

    ``oracle`` names what was compared (a column of the report); ``dtype`` is the run's; ``note`` says
    anything a reader needs (the worst input, a threshold found).
    """
    from .runner import Evidence

    return Evidence(oracle, dtype, "", points=int(points), max_error=float(max_error), tolerance=tolerance, note=note)


def outcome(dtype, ok, evidence, message="", counterexample=None):
    """Certified iff ``ok``; a counterexample belongs to a failure only.

    ``dtype``: the run's; ``evidence``: the :func:`evidence` rows; ``message``: why, in a line; ``counterexample``: a dict with
    ``args`` (the input, JSON-able) and anything that shows the failure (the report keeps it).
    """
    from .runner import Outcome

    return Outcome("", dtype, status="certified" if ok else "FAILED", evidence=list(evidence),
                   counterexample=None if ok else counterexample, message=message)


def judged(dtype, rows, message="", counterexample=None):
    """``rows``: ``(evidence, ok)`` pairs. Certified iff every row is ok; a failure names the failed rows.

    ``dtype``, ``message``, ``counterexample``: as for :func:`outcome`.
    """
    bad = [e.oracle for e, ok in rows if not ok]
    return outcome(dtype, not bad, [e for e, _ in rows], "failed: " + "; ".join(bad) if bad else message,
                   counterexample)
