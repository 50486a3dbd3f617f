"""The certificate: ``claims.json``, and what derives from it: ``CLAIMS.md``, ``summary.md``, the badge, the table.

``claims.json`` follows ``SCHEMA`` below (``schema_version`` 2; the README renders it):
``schema_errors`` validates a report against it without dependencies. Every other report is
computed from a ``claims.json`` document alone, so none can say more, or better, than it.

A run's ``state`` is ``passed`` only if pytest's exit status was 0 and no claim x dtype is red
(``RED``); ``in progress`` while it runs (written at its start, so a killed run never leaves the
previous run's reports looking current), ``interrupted`` after Ctrl-C, ``FAILED`` otherwise.
Every file is written atomically (a temporary file in the same directory, then ``os.replace``).
"""
from __future__ import annotations

import collections
import contextlib
import dataclasses
import json
import math
import os
import pathlib
import re
import tempfile
from xml.sax.saxutils import escape

from .claim import Verdict

SCHEMA_VERSION = 2

# a claim x dtype's status. Red ones fail the run: "error" (the check raised), "FAILED", "stale" (a quote no
# longer in its document), "interrupted" (Ctrl-C before it ran). Neither red nor green: "not run" (narrowed
# away, or the run stopped first) and "skipped: <why>" (the backend lacks the dtype).
RED = ("error", "FAILED", "stale", "interrupted")
CERTIFIED, ERRATUM, DEFINITION = "certified", "erratum confirmed", "recorded (definition)"
NOT_RUN = "not run"
PASSED, FAILED, INTERRUPTED, IN_PROGRESS = "passed", "FAILED", "interrupted", "in progress"
# who wrote the certificate (its generated_by): this repository's registry, or an author's claims in their repository
PROJECT, AUTHOR = "make certify (checks.engine)", "pytest (certified-derivations, checks.engine)"


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
# context of its counterexample (names, values, shape, ...); "nan" names the outputs that are NaN at the point
_COUNTEREXAMPLE = {"args?": list, "dtype": str, "repro": str, "oracle?": Maybe(str), "error_ulps?": Maybe(NUM),
                   "nan?": [str], ...: object}
# trace: "found" (verbatim in its section), "stale" (its test failed: trace_message says why), "skipped"
# (documents not found: trace_message says where they were looked for), "not checked" (the test did not run)
_SOURCE = {"document": str, "section": str, "quote": str, "trace": str, "trace_message": str}
# the proof oracle (checks/engine/proof.py): status proved | disproved | undecided | not run; a proof's route, or
# why not (reason); the sizes proved, what was assumed, whether every stated size was (complete); a disproof's
# residual (closed form) and exact witness
_PROOF_FIELDS = {"status": str, "route?": str, "reason?": str, "sizes?": list, "assumed?": str, "complete?": bool,
                 "paths?": int,
                 "cases?": int, "note?": str, "residual?": str, "witness?": dict, "seconds": NUM}
_PROOF = {**_PROOF_FIELDS, "as_written?": _PROOF_FIELDS}
_RUN = {"id": str, "state": str, "exit_status": Maybe(int), "partial": bool, "message": str, "failed_tests": [str]}
SCHEMA = {
    "schema_version": int, "generated_by": str, "hypothesis_profile": str, "run": _RUN,
    "budget": {"points": int, "examples": int, "batch": int, ...: int},
    # None when JAX never started (a run in progress, or one that stopped before it could start JAX)
    "environment": Maybe({"jax": str, "jaxlib": str, "backend": str, "devices": [str], "x64": bool,
                          "matmul_precision": str, "flush_to_zero": {"float32?": bool, "float64?": bool},
                          ...: object}),  # dtypes the backend has
    # by_verdict, by_document: the documents' claims; own: the project's own numerical-truth claims, counted apart
    "summary": {"claims": int, "by_status": {...: int}, "by_verdict": {...: int}, "by_document": {...: int},
                "own": int},
    "claims": [{
        "id": str, "statement": str, "sources": [_SOURCE],
        "kind": str, "verdict": str, "own": bool, "reconstructed": bool, "condition": Maybe(str), "as_written": Maybe(str),
        "correction": Maybe(str), "note": str, "derivation": Maybe(str), "status": str,
        "status_by_dtype": {...: str}, "message": str, "counterexample": Maybe(_COUNTEREXAMPLE),
        "evidence": [_EVIDENCE], "findings": [_FINDING], "proof": Maybe(_PROOF),
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


def _overall(claim, statuses, stale):
    """One status for the claim: the reddest of its dtypes' (a stale quote included), else what ran."""
    if claim.verdict is Verdict.DEFINITION:
        return "stale" if stale else DEFINITION
    for red in RED:
        if red in statuses or (red == "stale" and stale):
            return red
    ran = [s for s in statuses if s != NOT_RUN]
    if not ran:
        return NOT_RUN
    if all(s.startswith("skipped") for s in ran):
        return ran[0]
    return ERRATUM if ERRATUM in ran else CERTIFIED


def _derivation(fn):
    return None if fn is None else f"{fn.__module__}.{fn.__qualname__}"


def claim_entry(claim, outcomes, traces=None, unrun=None):
    """``outcomes``: the claim's Outcomes, one per dtype that ran; ``unrun``: dtype -> status ("not run",
    "interrupted") of those that did not; ``traces``: source index -> (trace status, message) of the quote
    traceability tests that ran."""
    traces = traces or {}
    sources = [{**dataclasses.asdict(s), "trace": traces.get(i, ("not checked", ""))[0],
                "trace_message": traces.get(i, ("", ""))[1]} for i, s in enumerate(claim.sources)]
    stale = [s["trace_message"] for s in sources if s["trace"] == "stale"]
    ran = list(outcomes)
    # a check that passed certifies a sentence the document no longer holds, if its quote is stale
    statuses = {dt: "stale" if stale and status in (CERTIFIED, ERRATUM) else status
                for dt, status in sorted({**{o.dtype: o.status for o in ran}, **(unrun or {})}.items())}
    evidence, findings, cex, proof = [], [], None, None
    for o in ran:
        evidence += [dataclasses.asdict(e) for e in o.evidence]
        findings += o.findings[:3]
        cex = cex or o.counterexample
        proof = proof or o.proof
    return {
        "id": claim.id,
        "statement": claim.statement,
        "sources": sources,
        "kind": claim.kind.value,
        "verdict": claim.verdict.value,
        "own": claim.own,
        "reconstructed": claim.reconstructed,
        "condition": claim.condition,
        "as_written": claim.as_written,
        "correction": claim.statement if claim.verdict is Verdict.ERRATUM else None,
        "note": claim.note,
        "derivation": _derivation(claim.derivation),
        "status": _overall(claim, list(statuses.values()), stale),
        "status_by_dtype": statuses,
        "message": "; ".join([*(f"[{o.dtype}] {o.message}" if len(ran) > 1 else o.message
                                for o in ran if o.message), *stale]),
        "counterexample": cex,
        "evidence": evidence,
        "findings": findings,
        "proof": proof,
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


def run_state(exit_status, claims, interrupted=False) -> str:
    """passed only on exit status 0 with no red claim; None (still running) is in progress."""
    if exit_status is None:
        return IN_PROGRESS
    if interrupted:
        return INTERRUPTED
    return PASSED if exit_status == 0 and not any(c["status"] in RED for c in claims) else FAILED


def _run_message(state, exit_status, claims, failed_tests, problem):
    cases = [s for c in claims for s in c["status_by_dtype"].values()]
    done = sum(s not in (NOT_RUN, INTERRUPTED) for s in cases)
    parts = [f"pytest exit status {exit_status}" if exit_status is not None
             else "started, not finished: if no run is going on, it was killed and these results are not current"]
    if state in (INTERRUPTED, IN_PROGRESS) or done < len(cases):
        parts.append(f"{done} of {len(cases)} claim x dtype ran")
    red = collections.Counter(c["status"] for c in claims if c["status"] in RED)
    if red:
        parts.append("claims " + ", ".join(f"{n} {s}" for s, n in red.items()))
    if failed_tests:
        parts.append(f"{len(failed_tests)} failed tests outside the claims")
    if problem:
        parts.append(problem)
    return "; ".join(parts)


def build(claims, dtypes, outcomes, traces, *, profile, budget, environment, run_id, exit_status=None,
          interrupted=False, failed_tests=(), problem="", generated_by=PROJECT) -> dict:
    """The certificate of ``claims`` (the selected ones) in ``dtypes``.

    ``outcomes``: (claim id, dtype) -> Outcome; ``traces``: (claim id, source index) -> (trace status, message);
    ``exit_status``: pytest's, None while the run is in progress; ``interrupted``: by Ctrl-C; ``failed_tests``: node
    ids of failed tests that are not claims; ``problem``: what stopped the run from certifying (a declaration
    error), if anything; ``generated_by``: ``PROJECT`` or ``AUTHOR``. A claim x dtype without an outcome is
    "interrupted" after Ctrl-C, "not run" otherwise.
    """
    pending = INTERRUPTED if interrupted else NOT_RUN
    entries = [claim_entry(c, [outcomes[c.id, dt] for dt in dtypes if (c.id, dt) in outcomes],
                           {i: traces[c.id, i] for i in range(len(c.sources)) if (c.id, i) in traces},
                           {dt: pending for dt in dtypes if (c.id, dt) not in outcomes} if c.numerical else {})
               for c in claims]
    state = run_state(exit_status, entries, interrupted)
    if problem and state == PASSED:
        state = FAILED
    theirs = [c for c in entries if not c["own"]]  # the project's own claims are no verdicts on a document
    docs = collections.Counter(s["document"] for c in theirs for s in c["sources"][:1])
    return json_safe({
        "schema_version": SCHEMA_VERSION,
        "generated_by": generated_by,
        "environment": environment,
        "hypothesis_profile": profile,
        "run": {"id": run_id, "state": state, "exit_status": exit_status,
                "partial": state in (INTERRUPTED, IN_PROGRESS)
                or any(s in (NOT_RUN, INTERRUPTED) for c in entries for s in c["status_by_dtype"].values()),
                "message": _run_message(state, exit_status, entries, failed_tests, problem),
                "failed_tests": list(failed_tests)},
        "budget": dataclasses.asdict(budget),
        "summary": {
            "claims": len(entries),
            "by_status": dict(collections.Counter(c["status"] for c in entries)),
            "by_verdict": dict(collections.Counter(c["verdict"] for c in theirs)),
            "by_document": dict(sorted(docs.items())),
            "own": len(entries) - len(theirs),
        },
        "claims": entries,
    })


def is_green(doc) -> bool:
    """What every derived report shows: green only for a passed run with no red claim."""
    return doc["run"]["state"] == PASSED and not any(c["status"] in RED for c in doc["claims"])


def _worst(entry, dtype):
    """(worst error/tolerance, points, autodiff-wrong points) of the claim's own checks in ``dtype``.

    Against the exact truth when the check has it (the float result's error, ``floating point``); otherwise
    the worst oracle. Autodiff disagreements the exact oracle settled against autodiff are counted, not shown
    as errors.
    """
    rows = [e for e in entry["evidence"] if e["dtype"] == dtype and not e["oracle"].startswith("as written")]
    judged = [e for e in rows if e["tolerance"] is not None and e["points"]]
    if not judged:
        return "", 0, 0
    pts = max(e["points"] for e in rows)
    wrong = max((e["oracle_wrong"] for e in rows), default=0)
    pool = [e for e in judged if e["oracle"] == "floating point"] or judged
    worst = max(pool, key=_ratio)
    err = worst["max_error"] if worst["max_error"] == "inf" else format(worst["max_error"], ".3g")
    return f"{err}/{worst['tolerance']:g}", pts, wrong


def _exact(entry, dtype):
    """The exact oracle's word on the claim in ``dtype``: the points it judged and its mathematics verdict
    ("512 ok", "3 WRONG"), with the points it set aside (branch points, undecided); "" where it judged none."""
    rows = [e for e in entry["evidence"] if e["dtype"] == dtype and e["oracle"] == "mathematics"]
    if not rows or not rows[0]["points"]:
        return ""
    e = rows[0]
    verdict = "ok" if _ratio(e) <= 1 else "WRONG"
    aside = sum(int(word) for word in re.findall(r"(\d+) (?:branch point|undecided|undefined)", e["note"]))
    return f"{e['points']} {verdict}" + (f" (+{aside} aside)" if aside else "")


def _proof(entry, long=False):
    """The proof oracle's word on the claim ("proved n=2,3", "undecided"; an erratum's as-written form after a
    slash); ``long``: with the route, or the reason, and an erratum's residual."""
    proof = entry.get("proof")
    if not proof:
        return ""

    def one(p):
        sizes = f" n={','.join(map(str, p['sizes']))}" if p.get("sizes") and p["status"] == "proved" else ""
        if not long:
            return p["status"] + sizes
        why = p.get("route") if p["status"] == "proved" else p.get("reason", "")
        return f"{p['status']}{sizes} ({why})"

    text = one(proof)
    aw = proof.get("as_written")
    if aw:
        text += (f"<br>as written: {one(aw)}" + (f": `{aw['residual']}`" if aw.get("residual") else "") if long
                 else f" / {one(aw)}")
    return text


def _ratio(e):
    """Error over tolerance; a zero tolerance (an exact check) is 0 when met, inf when not."""
    err, tol = e["max_error"], e["tolerance"]
    if err == "inf":
        return math.inf
    return err / tol if tol else (0.0 if err == 0 else math.inf)


def _environment_line(doc):
    env = doc["environment"]
    if env is None:
        return f"JAX not started; hypothesis profile={doc['hypothesis_profile']}"
    return (f"jax {env['jax']} / jaxlib {env['jaxlib']}, backend {env['backend']} ({', '.join(env['devices'])}), "
            f"x64={env['x64']}, matmul precision={env['matmul_precision']}, flush-to-zero={env['flush_to_zero']}, "
            f"denormals-are-zero={env.get('denormals_are_zero')}, hypothesis profile={doc['hypothesis_profile']}")


def _title(doc):
    """The run's state as every report heads it: "passed" only where ``is_green``."""
    if is_green(doc):
        return PASSED
    return {IN_PROGRESS: "in progress (not current)", INTERRUPTED: "interrupted (partial)"}.get(doc["run"]["state"], FAILED)


def _verdict_line(doc):
    return f"{_title(doc)}: {doc['run']['message']}"


def table(doc) -> list[str]:
    lines = [
        _environment_line(doc),
        f"{'claim':44s} {'source':22s} {'verdict':16s} {'status':20s} {'points f32':>10s} {'points f64':>10s}"
        f" {'AD wrong':>9s}  {'exact f32 | f64':24s} {'proof (/ as written)':24s} worst ulps/tol (f32 | f64)",
    ]
    for c in doc["claims"]:
        src = c["sources"][0]
        w32, p32, a32 = _worst(c, "float32")
        w64, p64, a64 = _worst(c, "float64")
        exact = f"{_exact(c, 'float32')} | {_exact(c, 'float64')}" if _exact(c, "float32") or _exact(c, "float64") else ""
        lines.append(f"{c['id'][:44]:44s} {src['document'][:3] + ' ' + src['section'][:18]:22s} {c['verdict'][:16]:16s} "
                     f"{c['status'][:20]:20s} {p32:>10d} {p64:>10d} {a32 + a64:>9d}  {exact:24s} {_proof(c):24s} "
                     f"{w32} | {w64}")
    s = doc["summary"]
    lines.append(f"{s['claims']} claims: " + ", ".join(f"{v} {k}" for k, v in sorted(s["by_status"].items())))
    lines.append(f"certificate {_verdict_line(doc)}")
    return lines


def _md_escape(text):
    return text.replace("|", r"\|").replace("\n", " ")


def _unique(items):
    return list(dict.fromkeys(items))


OWN = "The project's own numerical-truth claims"


def _where(claim, document):
    """The section cell of ``claim``'s row under ``document``: its sections there, and the other documents it
    cites; under the project's own heading (``document`` None), its sections in each document it cites."""
    sections = {d: "; ".join(_unique(_md_escape(s["section"]) for s in claim["sources"] if s["document"] == d))
                for d in _unique(s["document"] for s in claim["sources"])}
    if document is None:
        return "<br>".join(f"`{d}`: {where}" for d, where in sections.items())
    others = [d for d in sections if d != document]
    return sections[document] + ("<br>also cites " + ", ".join(f"`{d}`" for d in others) if others else "")


def markdown(doc) -> str:
    """CLAIMS.md: each document with every claim that cites it, then the project's own claims under their own
    heading (no verdicts on a document, so under none). Deterministic (no timings), so it changes only when
    claims, verdicts or statuses change."""
    origin, evidence = (("`make certify` from the claim registry (`checks/claims/`)", "`reports/claims.json`")
                        if doc["generated_by"] == PROJECT else
                        ("`pytest` (certified-derivations) from this repository's claims modules and notes",
                         "`claims.json` beside this file"))
    out = ["# Claims", "",
           f"Generated by {origin}. Statuses are those of the last certification; see {evidence} for the evidence.", "",
           f"**Certificate: {_verdict_line(doc)}**", ""]
    s = doc["summary"]
    out += [f"**{s['claims']} claims**, {s['claims'] - s['own']} from the documents and {s['own']} of the project's own. "
            "By verdict (the documents' claims): " + ", ".join(f"{k}: {v}" for k, v in sorted(s["by_verdict"].items()))
            + ". By status: " + ", ".join(f"{k}: {v}" for k, v in sorted(s["by_status"].items())) + ".", ""]
    cited_by = collections.defaultdict(list)
    for c in doc["claims"]:
        for document in [None] if c["own"] else _unique(src["document"] for src in c["sources"]):
            cited_by[document].append(c)
    for document in sorted(cited_by, key=lambda d: (d is None, d or "")):
        if document is None:
            out += [f"## {OWN}", "", "Accuracy bounds and measured thresholds the project states itself: the "
                    "sentences they cite (section column) motivate them and make no numerical statement, so they "
                    "are no verdicts on a document.", ""]
        else:
            out += [f"## `{document}`", "", f"Cited by {len(cited_by[document])} claims.", ""]
        out += ["| id | statement | section | verdict | status | exact (float32 \\| float64) | proof |",
                "|---|---|---|---|---|---|---|"]
        for c in cited_by[document]:
            verdict = c["verdict"] + (" (reconstructed)" if c["reconstructed"] else "")
            stmt = f"${_md_escape(c['statement'])}$"
            if c["as_written"]:
                stmt += f"<br>as written: ${_md_escape(c['as_written'])}$"
            if c["condition"]:
                stmt += f"<br>holds when: {_md_escape(c['condition'])}"
            exact = " \\| ".join(_exact(c, dt) for dt in ("float32", "float64")) if _exact(c, "float32") else ""
            out.append(f"| `{c['id']}` | {stmt} | {_where(c, document)} | {verdict} | {_mark(c)}{c['status']} | {exact} "
                       f"| {_md_escape(_proof(c, long=True))} |")
        out.append("")
    return "\n".join(out)


def _mark(claim):
    return "❌ " if claim["status"] in RED else ""


def _counts(doc):
    """(certified, errata confirmed, {red status: claims}) of the claims."""
    by = doc["summary"]["by_status"]
    return by.get(CERTIFIED, 0), by.get(ERRATUM, 0), {s: by[s] for s in RED if by.get(s)}


def summary_markdown(doc) -> str:
    """A CI job summary (``$GITHUB_STEP_SUMMARY``): the verdict, then one row per claim, then what failed."""
    certified, errata, red = _counts(doc)
    env = doc["environment"]
    out = [f"## Claims certificate: {_title(doc)}", "", f"{doc['run']['message']}.", "",
           f"**{doc['summary']['claims']} claims**: {certified} certified, {errata} errata confirmed"
           + "".join(f", **{n} {s}**" for s, n in red.items()) + ".", "",
           (f"jax {env['jax']}, backend {env['backend']}, x64={env['x64']}, " if env else "JAX not started, ")
           + f"Hypothesis profile `{doc['hypothesis_profile']}`, {doc['budget']['points']} sweep points per claim and dtype.", "",
           "| claim | source | verdict | status | worst ulps/tol float32 | worst ulps/tol float64 |",
           "|---|---|---|---|---|---|"]
    for c in doc["claims"]:
        src = c["sources"][0]
        out.append(f"| `{c['id']}` | {_md_escape(src['document'])}: {_md_escape(src['section'])} | {c['verdict']} | "
                   f"{_mark(c)}{c['status']} | {_worst(c, 'float32')[0]} | {_worst(c, 'float64')[0]} |")
    bad = [c for c in doc["claims"] if c["status"] in RED and c["status"] != INTERRUPTED]
    if bad:
        out += ["", "### Failures", ""]
        for c in bad:
            cex = c["counterexample"] or {}
            out.append(f"- `{c['id']}` ({c['status']}): {_md_escape(c['message'])}"
                       + (f"<br>reproduce: `{cex['repro']}`" if cex.get("repro") else ""))
    if doc["run"]["failed_tests"]:
        out += ["", "### Failed tests outside the claims", ""] + [f"- `{t}`" for t in doc["run"]["failed_tests"]]
    return "\n".join(out) + "\n"


def _text_width(text):
    """Approximate width in px of ``text`` in 11px Verdana (shields.io's badge font), without measuring."""
    narrow, wide = set("fijlrt.,:;|!' "), set("mwMW%")
    return sum(4 if ch in narrow else 10 if ch in wide else 7 for ch in text)


def badge_svg(doc) -> str:
    """A flat badge ``claims | N certified, M errata``: green only for a passed run; red with what failed
    (or the run's state); grey while in progress. Made locally."""
    certified, errata, red = _counts(doc)
    state = doc["run"]["state"]
    label = "claims"
    if state == IN_PROGRESS:
        value, color = "in progress", "#9f9f9f"
    else:
        problems = [f"{n} {'failed' if s == FAILED else s}" for s, n in red.items()]
        if not is_green(doc) and not problems:
            problems = ["interrupted" if state == INTERRUPTED else "run failed"]
        value = ", ".join([f"{certified} certified, {errata} errata", *problems])
        color = "#e05d44" if problems else "#4c1"
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


def write_atomic(path: pathlib.Path, text: str) -> None:
    """Replace ``path`` by ``text`` at once: a reader (or a killed run) never sees half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would make the reports private
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


# CLAIMS.md is the committed listing of the last complete run. A run that may replace it puts this banner on
# top when it starts, and changes it if it ends without completing: the old statuses are then visibly not current.
_BANNER = "> **Not current.** "


def _banner(run_id, text):
    return f"{_BANNER}{text} <!-- run {run_id} -->\n\n"


def _without_banner(text):
    return text.split("\n\n", 1)[1] if text.startswith(_BANNER) else text


def mark_claims_md(path: pathlib.Path, run_id, text, only_own=False) -> bool:
    """Put a banner saying ``text`` on an existing CLAIMS.md (replacing any banner; with ``only_own``, only
    replacing the banner of ``run_id``). Returns whether it did."""
    if not path.exists():
        return False
    old = path.read_text(encoding="utf-8")
    if only_own and f"<!-- run {run_id} -->" not in old.split("\n", 1)[0]:
        return False
    write_atomic(path, _banner(run_id, text) + _without_banner(old))
    return True


def write(doc, out_dir: pathlib.Path, complete: bool = True) -> list[pathlib.Path]:
    """claims.json, summary.md (a finished run's also appended to ``$GITHUB_STEP_SUMMARY`` when set), badge.svg,
    and, for a ``complete`` run (every claim, both dtypes), the committed CLAIMS.md."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / "claims.json", out_dir / "summary.md", out_dir / "badge.svg"]
    summary = summary_markdown(doc)
    write_atomic(paths[0], json.dumps(doc, indent=1, allow_nan=False, default=str))
    write_atomic(paths[1], summary)
    write_atomic(paths[2], badge_svg(doc))
    if complete:
        paths.append(out_dir / "CLAIMS.md")
        write_atomic(paths[-1], markdown(doc))
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_summary and doc["run"]["state"] != IN_PROGRESS:
        with open(step_summary, "a", encoding="utf-8") as f:
            f.write(summary)
    return paths


def _error_text(cex):
    if cex.get("nan"):
        return f"NaN ({', '.join(cex['nan'])} is NaN)"
    err = cex.get("error_ulps")
    return f"{err} ulps" if err is not None else "not finite"


def failure_message(claim, out) -> str:
    lines = [f"claim {claim.id!r} [{out.dtype}]: {out.status}: {out.message}"]
    if out.counterexample:
        cex = out.counterexample
        # a point (args), or what a custom check names instead (its failures, shapes, ...)
        context = " ".join(f"{k}={json.dumps(v, default=str)}" for k, v in cex.items()
                           if k not in ("dtype", "repro", "oracle", "error_ulps", "nan"))
        oracle = f" oracle={cex['oracle']} error={_error_text(cex)}" if cex.get("oracle") else ""
        lines.append(f"  counterexample: {context}{oracle}")
        if cex.get("repro"):
            lines.append(f"  reproduce: {cex['repro']}")
    for e in out.evidence:
        lines.append(f"  {e.oracle}: points={e.points} max_error={e.max_error:.3g} tolerance={e.tolerance}")
    return "\n".join(lines)
