"""The certificate: ``claims.json``, ``CLAIMS.md`` and the terminal table.

``claims.json`` follows ``SCHEMA`` below (``schema_version`` 1; the README renders it):
``schema_errors`` validates a report against it without dependencies.
"""
from __future__ import annotations

import collections
import dataclasses
import json
import math
import os
import pathlib
from xml.sax.saxutils import escape

from .claim import Verdict

SCHEMA_VERSION = 1


# claims.json, as data: a key ending in '?' may be absent; `...` gives the value type of any other key;
# [s] is a list of s; Maybe(s) is None or s; NUM is a number or "inf"/"-inf"/"nan"
class Maybe:
    def __init__(self, schema):
        self.schema = schema


NUM = "number"
_EVIDENCE = {"oracle": str, "dtype": str, "backend": str, "points": int, "max_error": NUM,
             "tolerance": Maybe(NUM), "oracle_wrong": int, "note": str}
_FINDING = {"oracle": str, "dtype": str, "input": list, "autodiff": object, "referee": object, "hand": object,
            "what": str}
# a custom check may name its failures instead of a point (then its repro reruns the check), and add the
# context of its counterexample (names, values, shape, ...)
_COUNTEREXAMPLE = {"args?": list, "dtype": str, "repro": str, "oracle?": Maybe(str), "error_ulps?": Maybe(NUM),
                   ...: object}
SCHEMA = {
    "schema_version": int, "generated_by": str, "hypothesis_profile": str,
    "budget": {"points": int, "examples": int, "batch": int, ...: int},
    "environment": {"jax": str, "jaxlib": str, "backend": str, "devices": [str], "x64": bool,
                    "matmul_precision": str, "flush_to_zero": {"float32?": bool, "float64?": bool}, ...: object},  # dtypes the backend has
    "summary": {"claims": int, "by_status": {...: int}, "by_verdict": {...: int}, "by_document": {...: int}},
    "claims": [{
        "id": str, "statement": str, "sources": [{"document": str, "section": str, "quote": str}],
        "kind": str, "verdict": str, "reconstructed": bool, "condition": Maybe(str), "as_written": Maybe(str),
        "correction": Maybe(str), "note": str, "derivation": Maybe(str), "status": str,
        "status_by_dtype": {...: str}, "message": str, "counterexample": Maybe(_COUNTEREXAMPLE),
        "evidence": [_EVIDENCE], "findings": [_FINDING],
    }],
}


def schema_errors(value, schema=SCHEMA, path="$") -> list[str]:
    """Where ``value`` (a loaded claims.json) departs from ``SCHEMA``: a list of messages, empty if none."""
    if isinstance(schema, Maybe):
        return [] if value is None else schema_errors(value, schema.schema, path)
    if schema == NUM:
        ok = (isinstance(value, (int, float)) and not isinstance(value, bool)) or value in ("inf", "-inf", "nan")
        return [] if ok else [f"{path}: {value!r} is not a number"]
    if isinstance(schema, dict):
        if not isinstance(value, dict):
            return [f"{path}: expected an object, got {type(value).__name__}"]
        errors = []
        for key, sub in schema.items():
            if key is ...:
                continue
            name = key.rstrip("?")
            if name in value:
                errors += schema_errors(value[name], sub, f"{path}.{name}")
            elif not key.endswith("?"):
                errors.append(f"{path}: missing key {name!r}")
        names = {k.rstrip("?") for k in schema if k is not ...}
        for key in set(value) - names:
            errors += ([f"{path}: unexpected key {key!r}"] if ... not in schema
                       else schema_errors(value[key], schema[...], f"{path}.{key}"))
        return errors
    if isinstance(schema, list):
        if not isinstance(value, list):
            return [f"{path}: expected a list, got {type(value).__name__}"]
        return [e for i, v in enumerate(value) for e in schema_errors(v, schema[0], f"{path}[{i}]")]
    if schema is int and isinstance(value, bool):
        return [f"{path}: expected int, got bool"]
    return [] if isinstance(value, schema) else [f"{path}: expected {schema.__name__}, got {type(value).__name__}"]


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
    worst = max(pool, key=_ratio)
    err = worst["max_error"] if worst["max_error"] == "inf" else format(worst["max_error"], ".3g")
    return f"{err}/{worst['tolerance']:g}", pts, wrong


def _ratio(e):
    """Error over tolerance; a zero tolerance (an exact check) is 0 when met, inf when not."""
    err, tol = e["max_error"], e["tolerance"]
    if err == "inf":
        return math.inf
    return err / tol if tol else (0.0 if err == 0 else math.inf)


def table(doc) -> list[str]:
    env = doc["environment"]
    lines = [
        f"jax {env['jax']} / jaxlib {env['jaxlib']}, backend {env['backend']} ({', '.join(env['devices'])}), "
        f"x64={env['x64']}, matmul precision={env['matmul_precision']}, flush-to-zero={env['flush_to_zero']}, denormals-are-zero={env.get('denormals_are_zero')}, "
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


def _counts(doc):
    by = doc["summary"]["by_status"]
    failed = sum(v for k, v in by.items() if k == "FAILED")
    return by.get("certified", 0), by.get("erratum confirmed", 0), failed


def summary_markdown(doc) -> str:
    """A CI job summary (``$GITHUB_STEP_SUMMARY``): the verdict, then one row per claim, then failures' repros."""
    certified, errata, failed = _counts(doc)
    env = doc["environment"]
    out = [f"## Claims certificate: {'FAILED' if failed else 'passed'}", "",
           f"**{doc['summary']['claims']} claims**: {certified} certified, {errata} errata confirmed"
           + (f", **{failed} FAILED**" if failed else "") + ".", "",
           f"jax {env['jax']}, backend {env['backend']}, x64={env['x64']}, "
           f"Hypothesis profile `{doc['hypothesis_profile']}`, {doc['budget']['points']} sweep points per claim and dtype.", "",
           "| claim | source | verdict | status | worst ulps/tol float32 | worst ulps/tol float64 |",
           "|---|---|---|---|---|---|"]
    for c in doc["claims"]:
        src = c["sources"][0]
        mark = "❌ " if c["status"] == "FAILED" else ""
        out.append(f"| `{c['id']}` | {_md_escape(src['document'])}: {_md_escape(src['section'])} | {c['verdict']} | "
                   f"{mark}{c['status']} | {_worst(c, 'float32')[0]} | {_worst(c, 'float64')[0]} |")
    bad = [c for c in doc["claims"] if c["status"] == "FAILED"]
    if bad:
        out += ["", "### Failures", ""]
        for c in bad:
            cex = c["counterexample"] or {}
            out.append(f"- `{c['id']}`: {_md_escape(c['message'])}"
                       + (f"<br>reproduce: `{cex['repro']}`" if cex.get("repro") else ""))
    return "\n".join(out) + "\n"


def _text_width(text):
    """Approximate width in px of ``text`` in 11px Verdana (shields.io's badge font), without measuring."""
    narrow, wide = set("fijlrt.,:;|!' "), set("mwMW%")
    return sum(4 if ch in narrow else 10 if ch in wide else 7 for ch in text)


def badge_svg(doc) -> str:
    """A flat badge ``claims | N certified, M errata`` (green; red with the failures when any), made locally."""
    certified, errata, failed = _counts(doc)
    label = "claims"
    value = f"{certified} certified, {errata} errata" + (f", {failed} failed" if failed else "")
    color = "#e05d44" if failed else "#4c1"
    lw, vw = _text_width(label) + 10, _text_width(value) + 10
    w = lw + vw
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="20" role="img" aria-label="{escape(label)}: {escape(value)}">
<title>{escape(label)}: {escape(value)}</title>
<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>
<clipPath id="r"><rect width="{w}" height="20" rx="3" fill="#fff"/></clipPath>
<g clip-path="url(#r)"><rect width="{lw}" height="20" fill="#555"/><rect x="{lw}" width="{vw}" height="20" fill="{color}"/><rect width="{w}" height="20" fill="url(#s)"/></g>
<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">
<text x="{lw / 2}" y="14">{escape(label)}</text><text x="{lw + vw / 2}" y="14">{escape(value)}</text>
</g>
</svg>
"""


def write(doc, out_dir: pathlib.Path, complete: bool = True) -> list[pathlib.Path]:
    """claims.json, summary.md (also appended to ``$GITHUB_STEP_SUMMARY`` when set), badge.svg, and,
    for a ``complete`` run (every claim, both dtypes), the committed CLAIMS.md."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / "claims.json", out_dir / "summary.md", out_dir / "badge.svg"]
    paths[0].write_text(json.dumps(doc, indent=1, allow_nan=False, default=str))
    if complete:
        paths.append(out_dir / "CLAIMS.md")
        paths[-1].write_text(markdown(doc))
    summary = summary_markdown(doc)
    paths[1].write_text(summary, encoding="utf-8")
    paths[2].write_text(badge_svg(doc))
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_summary:
        with open(step_summary, "a", encoding="utf-8") as f:
            f.write(summary)
    return paths


def _error_text(cex):
    err = cex.get("error_ulps")
    return f"{err} ulps" if err is not None else "not finite"


def failure_message(claim, out) -> str:
    lines = [f"claim {claim.id!r} [{out.dtype}]: {out.status}: {out.message}"]
    if out.counterexample:
        cex = out.counterexample
        # a point (args), or what a custom check names instead (its failures, shapes, ...)
        context = " ".join(f"{k}={json.dumps(v, default=str)}" for k, v in cex.items()
                           if k not in ("dtype", "repro", "oracle", "error_ulps"))
        oracle = f" oracle={cex['oracle']} error={_error_text(cex)}" if cex.get("oracle") else ""
        lines.append(f"  counterexample: {context}{oracle}")
        if cex.get("repro"):
            lines.append(f"  reproduce: {cex['repro']}")
    for e in out.evidence:
        lines.append(f"  {e.oracle}: points={e.points} max_error={e.max_error:.3g} tolerance={e.tolerance}")
    return "\n".join(lines)
