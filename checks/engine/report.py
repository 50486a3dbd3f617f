"""The certificate: ``claims.json`` (schema below), ``CLAIMS.md`` and the terminal table.

Schema (``schema_version`` 1)::

    {schema_version, generated_by, environment: {jax, jaxlib, backend, devices, x64, matmul_precision,
     flush_to_zero}, hypothesis_profile, budget: {points, examples, ...},
     summary: {claims, by_status, by_verdict, by_document},
     claims: [{id, statement, sources: [{document, section, quote}], kind, verdict, reconstructed,
               condition, as_written, correction, note, derivation, status, status_by_dtype,
               counterexample, evidence: [{oracle, dtype, backend, points, max_error, tolerance,
               oracle_wrong, note}], findings: [...]}]}
"""
from __future__ import annotations

import collections
import dataclasses
import json
import math
import pathlib

from .claim import Verdict

SCHEMA_VERSION = 1


def _overall(claim, outcomes):
    if claim.verdict is Verdict.DEFINITION:
        return "recorded (definition)"
    if not outcomes:
        return "not run"
    statuses = [o.status for o in outcomes]
    for s in statuses:
        if s == "FAILED":
            return "FAILED"
    if all(s.startswith("skipped") for s in statuses):
        return statuses[0]
    return "erratum confirmed" if "erratum confirmed" in statuses else "certified"


def _derivation(fn):
    return None if fn is None else f"{fn.__module__}.{fn.__qualname__}"


def claim_entry(claim, outcomes):
    evidence, findings, cex = [], [], None
    for o in outcomes:
        evidence += [dataclasses.asdict(e) for e in o.evidence]
        findings += o.findings[:3]
        cex = cex or o.counterexample
    return {
        "id": claim.id,
        "statement": claim.statement,
        "sources": [dataclasses.asdict(s) for s in claim.sources],
        "kind": claim.kind.value,
        "verdict": claim.verdict.value,
        "reconstructed": claim.reconstructed,
        "condition": claim.condition,
        "as_written": claim.as_written,
        "correction": claim.statement if claim.verdict is Verdict.ERRATUM else None,
        "note": claim.note,
        "derivation": _derivation(claim.derivation),
        "status": _overall(claim, outcomes),
        "status_by_dtype": {o.dtype: o.status for o in outcomes},
        "message": "; ".join(o.message for o in outcomes if o.message),
        "counterexample": cex,
        "evidence": evidence,
        "findings": findings,
    }


def json_safe(obj):
    """JSON has no inf or nan: non-finite floats are written as the strings 'inf', '-inf', 'nan'."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return "nan" if math.isnan(obj) else ("inf" if obj > 0 else "-inf")
    if isinstance(obj, dict):
        return {k: json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_safe(v) for v in obj]
    return obj


def build(cert) -> dict:
    from . import platform

    by_claim = collections.defaultdict(list)
    for (cid, _), out in sorted(cert.outcomes.items()):
        by_claim[cid].append(out)
    ran = set(by_claim)
    claims = [claim_entry(c, by_claim.get(c.id, [])) for c in cert.selected()
              if c.id in ran or c.verdict is Verdict.DEFINITION]
    docs = collections.Counter(s["document"] for c in claims for s in c["sources"][:1])
    budget = cert.budget()
    return json_safe({
        "schema_version": SCHEMA_VERSION,
        "generated_by": "make certify (checks.engine)",
        "environment": platform.environment(),
        "hypothesis_profile": cert.profile,
        "budget": dataclasses.asdict(budget),
        "summary": {
            "claims": len(claims),
            "by_status": dict(collections.Counter(c["status"] for c in claims)),
            "by_verdict": dict(collections.Counter(c["verdict"] for c in claims)),
            "by_document": dict(sorted(docs.items())),
        },
        "claims": claims,
    })


def _worst(entry, dtype):
    """(worst error/tolerance, points, autodiff-wrong points) of the claim's own checks in ``dtype``.

    Against the referee when there is one (the truth); otherwise the worst oracle.
    Autodiff disagreements the referee settled against autodiff are counted, not shown as errors.
    """
    rows = [e for e in entry["evidence"] if e["dtype"] == dtype and not e["oracle"].startswith("as written")]
    judged = [e for e in rows if e["tolerance"] is not None and e["points"]]
    if not judged:
        return "", 0, 0
    pts = max(e["points"] for e in rows)
    wrong = max((e["oracle_wrong"] for e in rows), default=0)
    pool = [e for e in judged if e["oracle"] == "referee"] or judged
    worst = max(pool, key=lambda e: math.inf if e["max_error"] == "inf" else e["max_error"] / e["tolerance"])
    err = worst["max_error"] if worst["max_error"] == "inf" else format(worst["max_error"], ".3g")
    return f"{err}/{worst['tolerance']:g}", pts, wrong


def table(doc) -> list[str]:
    env = doc["environment"]
    lines = [
        f"jax {env['jax']} / jaxlib {env['jaxlib']}, backend {env['backend']} ({', '.join(env['devices'])}), "
        f"x64={env['x64']}, matmul precision={env['matmul_precision']}, flush-to-zero={env['flush_to_zero']}, "
        f"hypothesis profile={doc['hypothesis_profile']}",
        f"{'claim':44s} {'source':22s} {'verdict':16s} {'status':20s} {'points f32':>10s} {'points f64':>10s}"
        f" {'AD wrong':>9s}  worst ulps/tol (f32 | f64)",
    ]
    for c in doc["claims"]:
        src = c["sources"][0]
        w32, p32, a32 = _worst(c, "float32")
        w64, p64, a64 = _worst(c, "float64")
        lines.append(f"{c['id'][:44]:44s} {src['document'][:3] + ' ' + src['section'][:18]:22s} {c['verdict'][:16]:16s} "
                     f"{c['status'][:20]:20s} {p32:>10d} {p64:>10d} {a32 + a64:>9d}  {w32} | {w64}")
    s = doc["summary"]
    lines.append(f"{s['claims']} claims: " + ", ".join(f"{v} {k}" for k, v in sorted(s["by_status"].items())))
    return lines


def _md_escape(text):
    return text.replace("|", r"\|").replace("\n", " ")


def markdown(doc) -> str:
    """CLAIMS.md: deterministic (no timings), so it changes only when claims or verdicts change."""
    out = ["# Claims", "",
           "Generated by `make certify` from the claim registry (`checks/claims/`). "
           "Statuses are those of the last certification; see `reports/claims.json` for the evidence.", ""]
    s = doc["summary"]
    out += [f"**{s['claims']} claims.** By verdict: " + ", ".join(f"{k}: {v}" for k, v in sorted(s["by_verdict"].items()))
            + ". By status: " + ", ".join(f"{k}: {v}" for k, v in sorted(s["by_status"].items())) + ".", ""]
    by_doc = collections.defaultdict(list)
    for c in doc["claims"]:
        by_doc[c["sources"][0]["document"]].append(c)
    for document in sorted(by_doc):
        out += [f"## `{document}`", "", "| id | statement | section | verdict | status |", "|---|---|---|---|---|"]
        for c in by_doc[document]:
            verdict = c["verdict"] + (" (reconstructed)" if c["reconstructed"] else "")
            stmt = f"${_md_escape(c['statement'])}$"
            if c["as_written"]:
                stmt += f"<br>as written: ${_md_escape(c['as_written'])}$"
            if c["condition"]:
                stmt += f"<br>holds when: {_md_escape(c['condition'])}"
            out.append(f"| `{c['id']}` | {stmt} | {_md_escape(c['sources'][0]['section'])} | {verdict} | {c['status']} |")
        out.append("")
    return "\n".join(out)


def write(doc, out_dir: pathlib.Path) -> list[pathlib.Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / "claims.json", out_dir / "CLAIMS.md"]
    paths[0].write_text(json.dumps(doc, indent=1, allow_nan=False, default=str))
    paths[1].write_text(markdown(doc))
    return paths


def failure_message(claim, out) -> str:
    lines = [f"claim {claim.id!r} [{out.dtype}]: {out.status}: {out.message}"]
    if out.counterexample:
        cex = out.counterexample
        lines.append(f"  counterexample: args={json.dumps(cex['args'])} oracle={cex.get('oracle')} "
                     f"error={cex.get('error_ulps')} ulps")
        lines.append(f"  reproduce: {cex['repro']}")
    for e in out.evidence:
        lines.append(f"  {e.oracle}: points={e.points} max_error={e.max_error:.3g} tolerance={e.tolerance}")
    return "\n".join(lines)
