r"""One declaration per audited rule: a library function's derivative, both autodiff modes, against the exact truth.

The hand result is the library's own derivative (``jax.jacrev`` of the library function: its rule as
training uses it) and ``rule forward-mode`` is ``jax.jacfwd`` of it; the truth is the exact derivative of the
plain definition (``_mathematics``). Both modes are judged against that truth in the ``floating point``
verdict (:mod:`checks.engine.custom_rules`).

A rule within the yardstick (a stable evaluation's roundings times the derivative's conditioning) is a
claim that holds. A rule that is not is a **pinned finding**: an erratum whose as-written form is the
yardstick applied to the library's rule (it must fail: strict, so a library release that fixes the rule
fails the audit until the finding is retired) and whose correction is the weaker bound the rule does meet
(certified: *by how much*, as a guarantee). The counterexample (``claims.json``, the terminal, the
``--as-written`` repro command) says where.
"""
from checks.engine import Source, Verdict
from checks.engine.custom_rules import certify_custom_rule, custom_gradient_claim

DOCUMENT = "rules.md"


def rule(id, statement, section, quote, library, plain, domain, tol, cond=None, finding=None, **options):
    """The claim that ``library``'s derivative is ``plain``'s to within ``tol`` (times ``cond``, the yardstick).

    ``finding``: ``None`` where the rule meets the yardstick; else a dict with the bound it does meet
    (``statement``, ``tol``, optionally ``cond``, ``resolution``, and ``plain`` / ``domain`` where the rule is the
    derivative of another function or only on part of the domain), a ``note``: where it fails, whether it matters,
    and ``dtypes`` for a finding of floating point (right in the reals): where it fails (``Claim.float_erratum``).
    """
    yardstick = dict(domain=domain, tol=tol, cond=cond, **options)
    sources = Source(DOCUMENT, section, quote)
    if finding is None:
        return custom_gradient_claim(id=id, statement=statement, sources=sources, rule_fn=library, primal_fn=plain,
                                     **yardstick)
    met = {**options, **{k: finding[k] for k in ("cond", "resolution") if k in finding}}
    return custom_gradient_claim(
        id=id, statement=finding["statement"], sources=sources, rule_fn=library, primal_fn=finding.get("plain", plain),
        domain=finding.get("domain", domain), tol=finding["tol"], verdict=Verdict.ERRATUM, note=finding["note"],
        float_erratum=finding.get("dtypes", ()),
        as_written=statement, as_written_check=certify_custom_rule(library, plain, **yardstick), **met)
