"""The certification engine: declare a claim, certify it against its oracles, report it.

Public API for declaring claims (``from checks.engine import ...``)::

    Claim, Source, Verdict, Kind        # the declaration
    Derivative, Identity, Inequality, Exists, Custom   # the checks
    Args, Real, Logits, Simplex, OneHot, Binary, BinaryLabels, Mask   # the inputs
    Tol                                                # tolerances, with reasons
    evidence, outcome, judged                          # what a Custom check's run(dtype, budget) returns
"""
from .checks import Custom, Derivative, Exists, Identity, Inequality
from .claim import Claim, DeclarationError, Kind, Source, Verdict
from .domains import Args, Binary, BinaryLabels, Logits, Mask, OneHot, Real, Simplex
from .outcomes import evidence, judged, outcome
from .tolerance import Tol

__all__ = [
    "Args", "Binary", "BinaryLabels", "Claim", "Custom", "DeclarationError", "Derivative", "Exists", "Identity",
    "Inequality", "Kind", "Logits", "Mask", "OneHot", "Real", "Simplex", "Source", "Tol", "Verdict", "evidence", "judged",
    "outcome",
]
