"""The accuracy table as data (``reports/accuracy.json``) and as Markdown (``reports/ACCURACY.md``)."""
from __future__ import annotations

import json
import math

import mpmath
import numpy as np

from . import bounds as bd
from . import thresholds as th
from .implementations import BY_NAME, COLUMNS

FORWARD_COLUMN = {"grad(ours)": "ours", "grad(naive)": "naive", "grad(jax)": "jax"}


def _num(v):
    """JSON has no inf/nan: they are written as strings."""
    if isinstance(v, (list, tuple, np.ndarray)):
        return [_num(x) for x in np.asarray(v, np.float64).tolist()] if np.ndim(v) else _num(float(v))
    v = float(v)
    return v if math.isfinite(v) else str(v)


def _fmt(x, dtype):
    """Shortest repr that round-trips in the dtype."""
    x = np.asarray(x, dtype)
    if x.ndim:
        return "[" + ", ".join(_fmt(v, dtype) for v in x) + "]"
    return str(x[()])  # numpy prints the shortest decimal that round-trips in the dtype


def point(row, i):
    """One input of a row, for a report: family, parameter, the arguments, the mpmath truth."""
    dt = row.dtype
    mp_val = row.exact_mp[i]
    with mpmath.workdps(20):
        truth = [mpmath.nstr(v, 17) for v in mp_val] if isinstance(mp_val, list) else mpmath.nstr(mp_val, 17)
    return {"family": str(row.points.family[i]), "param": _fmt(row.points.param[i], dt),
            "args": [_num(a[i]) for a in row.points.args], "mpmath": truth, "exact": _num(row.exact[i])}


def _column_entry(row, name):
    col = row.columns[name]
    if col.missing:
        return {"label": col.label, "missing": col.missing}
    i = row.first_failing(name)
    entry = {"label": col.label, "max_ulp": _num(col.max), "p99_ulp": _num(col.p99),
             "failing_points": int(row.failing(name).sum()), "flush_limited_points": col.flush_limited}
    if row.terms is not None:
        entry["max_vs_terms"] = _num(col.scaled_max)
        entry["p99_vs_terms"] = _num(np.percentile(col.scaled, 99, method="higher"))
    if i is not None:
        entry["first_failing"] = {**point(row, i), "computed": _num(col.values[i]), "error_ulp": _num(col.errors[i]),
                                  "error": _num(col.scaled[i])}
    if col.note:
        entry["note"] = col.note
    return entry


def row_entry(row):
    b = bd.BOUNDS[row.function.name]
    return {"function": row.function.name, "dtype": row.dtype, "note": row.function.note,
            "derivative": row.function.derivative, "points": len(row.points),
            "families": list(dict.fromkeys(row.points.family.tolist())),
            "measure": "eps relative to the summed terms" if b.relative_to_terms else "ULP",
            "bound": b.ulps, "bound_reason": b.reason,
            "flush_to_zero": row.flush, "subnormal_inputs_read_as_zero": row.flushed_inputs,
            "subnormal_results": row.flushed_results,
            "columns": {name: _column_entry(row, name) for name in COLUMNS if name in row.columns}}


def autodiff_findings(rows, thresholds):
    """jax.grad of each forward form: its worst error, and every input from which it has no correct digit,
    with the mpmath value there and whether the forward form it differentiates is accurate at that input."""
    by_key = {(r.function.name, r.dtype): r for r in rows}
    out = []
    for r in rows:
        if not r.function.derivative:
            continue
        fwd = by_key.get((r.function.forward, r.dtype))
        for name, fcol in FORWARD_COLUMN.items():
            col = r.columns.get(name)
            if col is None or col.missing or not r.failing(name).any():
                continue
            tails = []
            for t in thresholds:
                if (t.function, t.column, t.dtype) != (r.function.name, name, r.dtype):
                    continue
                fwd_err = th.error_at(fwd.function, fcol, t.family, t.first_failing, r.dtype) if fwd else None
                tails.append({**t.as_dict(), "forward_error": _num(fwd_err) if fwd_err is not None else None,
                              "forward_accurate": bool(fwd_err is not None and fwd_err <= fwd.bound)})
            i = int(np.argmax(col.scaled))
            out.append({"function": r.function.name, "column": name, "label": col.label, "dtype": r.dtype,
                        "failing_points": int(r.failing(name).sum()), "bound": r.bound, "max_ulp": _num(col.max),
                        "worst": {**point(r, i), "autodiff": _num(col.values[i]), "error_ulp": _num(col.errors[i])},
                        "no_correct_digit_from": tails})
    return out


def library_findings(rows):
    """jax / scipy where they exceed the stable form's bound."""
    out = []
    for r in rows:
        for name in ("jax", "scipy"):
            col = r.columns.get(name)
            if col is None or col.missing or not r.failing(name).any():
                continue
            i = r.first_failing(name)
            out.append({"function": r.function.name, "column": name, "label": col.label, "dtype": r.dtype,
                        "points": int(r.failing(name).sum()), "max_ulp": _num(col.max),
                        "ours_max_ulp": _num(r.columns["ours"].max),
                        "first_failing": {**point(r, i), "computed": _num(col.values[i]),
                                          "error_ulp": _num(col.errors[i])}})
    return out


def build(rows, thresholds, named, primitives, environment, n):
    return {
        "what": "error of each implementation against mpmath (60 digits) correctly rounded to the dtype",
        "environment": environment, "points_per_row": n,
        "conventions": {
            "ulp": "count of floats between the result and the correctly rounded truth (0 = correctly rounded); "
                   "NaN for a number, or inf for a finite truth, is inf",
            "flush_to_zero": "detected with checks.engine.platform.flushes_subnormals; where the backend flushes, "
                             "a JAX column is judged in the flushed number system: a subnormal truth returned as 0 is "
                             "exact to the backend's resolution, a subnormal input is read as 0 (the better of f(x) and "
                             "f(0) is used), and an error below 4 x the smallest normal counts as exact (flush_limited)",
            "first_failing": "the least extreme grid input (smallest |parameter| along its family) whose error exceeds "
                             "the row's bound",
            "thresholds": "exact: the first float at which a form has no correct digit, bisected between grid points",
        },
        "rows": [row_entry(r) for r in rows],
        "thresholds": [t.as_dict() for t in thresholds if t.column in ("naive", "grad(naive)")],
        "library_thresholds": [t.as_dict() for t in thresholds if t.column not in ("naive", "grad(naive)")],
        "named_thresholds": named,
        "findings": {"autodiff": autodiff_findings(rows, thresholds), "libraries": library_findings(rows)},
        "primitives": [{"function": p.function.name, "dtype": p.dtype,
                        "columns": {k: {"label": c.label, "max_ulp": _num(c.max), "p99_ulp": _num(c.p99)}
                                    for k, c in p.columns.items() if not c.missing}} for p in primitives],
    }


def write_json(data, path):
    path.write_text(json.dumps(data, indent=1) + "\n")


# ---- Markdown --------------------------------------------------------------------------------------
def _cell(c, terms):
    if c is None:
        return ""
    if "missing" in c:
        return c["missing"]
    s = f"{_short(c['max_ulp'])} / {_short(c['p99_ulp'])}"
    if terms:
        s += f" ({_short(c['max_vs_terms'])})"
    return s


def _short(v):
    if isinstance(v, str):
        return v
    return f"{v:.0f}" if v == int(v) and abs(v) < 1e6 else f"{v:.2g}"


def markdown(data) -> str:
    env = data["environment"]
    lines = [
        "# Accuracy against high precision",
        "",
        f"Produced by `python -m checks.accuracy` ({data['points_per_row']} points per function and dtype). "
        f"Backend: {env['backend']} ({', '.join(env['devices'])}), jax {env['jax']}; flush-to-zero detected: "
        + ", ".join(f"{k} {'yes' if v else 'no'}" for k, v in env["flush_to_zero"].items()) + ".",
        "",
        "Truth: mpmath at 60 digits, correctly rounded to the dtype. Cells: **max / 99th percentile ULP** over "
        "log-spaced points covering every magnitude of the dtype (±0, subnormals, ±inf where defined). Rows "
        "marked † end in a sum that can cancel: their bound is on the error relative to the summed terms, "
        "shown in parentheses (eps units). The bound column is the stable form's certified bound (section Bounds).",
        "",
        "Flush-to-zero is detected (`checks.engine.platform.flushes_subnormals`), not assumed. Where the backend "
        "flushes, a JAX column is judged in the backend's own number system: a subnormal truth returned as 0 counts "
        "as exact to the backend's resolution, a subnormal input is read as 0 (the better of f(x) and f(0) is "
        "taken), and an absolute error below 4 x the smallest normal counts as exact (`flush_limited_points` in the "
        "JSON). SciPy runs on the host, which keeps subnormals, and gets none of these allowances.",
        "",
    ]
    cols = [c for c in COLUMNS if any(c in r["columns"] for r in data["rows"])]
    for dtype in ("float32", "float64"):
        rows = [r for r in data["rows"] if r["dtype"] == dtype]
        if not rows:
            continue
        lines += [f"## {dtype}", "", "| function | bound | " + " | ".join(cols) + " |",
                  "|---|---|" + "---|" * len(cols)]
        for r in rows:
            terms = r["measure"] != "ULP"
            name = r["function"] + (" †" if terms else "")
            lines.append(f"| {name} | {_short(r['bound'])} | "
                         + " | ".join(_cell(r["columns"].get(c), terms) for c in cols) + " |")
        lines.append("")
    lines += ["## First failing inputs", "",
              "The least extreme grid input whose error exceeds the row's bound (ULP, or eps relative to the terms †).",
              "", "| function | dtype | column | input | computed | truth (mpmath) | error |", "|---|---|---|---|---|---|---|"]
    for r in data["rows"]:
        for name, c in r["columns"].items():
            f = c.get("first_failing")
            if f:
                lines.append(f"| {r['function']} | {r['dtype']} | {name} | {f['family']}, {f['param']} | "
                             f"{_short_list(f['computed'])} | {_short_list(f['mpmath'])} | {_short(f['error'])} |")
    lines += ["", "## Exact thresholds of the documents' warnings", "",
              "Found by bisection over the floats (the backend's own evaluation) and predicted by a model of the "
              "same operations, each correctly rounded (and flushed where the backend flushes).", "",
              "| threshold | dtype | first failing float | last passing | result there | truth | model | floats apart |",
              "|---|---|---|---|---|---|---|---|"]
    for t in data["named_thresholds"]:
        o = t["observed"] or {}
        lines.append(f"| {t['what']} ({t['family']}) | {t['dtype']} | {o.get('first_failing_str')} | "
                     f"{o.get('last_passing_str')} | {_short_list(o.get('value'))} | {_short_list(o.get('exact'))} | "
                     f"{t['model_str']} | {t['floats_apart']} |")
    lines += ["", "## Every threshold where a naive form loses every digit", "",
              "No correct digit: NaN, an infinity, or a relative error >= 1/2 (a 0 for a non-zero truth). "
              "Exact floats, bisected from the grid; 'all further out' says whether every grid point beyond fails too.",
              "", "| function | column | dtype | family | first failing | result | truth | all further out |",
              "|---|---|---|---|---|---|---|---|"]
    for t in data["thresholds"]:
        lines.append(_threshold_line(t))
    lines += ["", "## Findings: jax.grad", "",
              "Worst error of jax.grad of each forward form, and the inputs from which it has no correct digit "
              "(with mpmath's value there, and whether the forward form it differentiates is itself accurate there).",
              ""]
    for f in data["findings"]["autodiff"]:
        w = f["worst"]
        lines.append(f"- **{f['function']}**, `{f['label']}` ({f['dtype']}): max {_short(f['max_ulp'])} ULP "
                     f"(bound {_short(f['bound'])}, exceeded at {f['failing_points']} points; worst at {w['family']}, "
                     f"{w['param']}: {_short_list(w['autodiff'])} vs mpmath {_short_list(w['mpmath'])}).")
        for t in f["no_correct_digit_from"]:
            fw = "forward accurate there" if t["forward_accurate"] else "the forward form fails there too"
            lines.append(f"  - no correct digit from {t['family']} = {t['first_failing_str']} "
                         f"(last correct {t['last_passing_str']}): {_short_list(t['value'])} vs mpmath "
                         f"{_short_list(t['exact'])}; {fw}.")
    lines += ["", "## Findings: libraries", ""]
    for f in data["findings"]["libraries"]:
        ff = f["first_failing"]
        lines.append(f"- **{f['function']}**, {f['label']} ({f['dtype']}): max {_short(f['max_ulp'])} ULP "
                     f"(ours {_short(f['ours_max_ulp'])}) at {f['points']} points; first at {ff['family']}, "
                     f"{ff['param']}: {_short_list(ff['computed'])} vs mpmath {_short_list(ff['mpmath'])}.")
    lines += ["", "Where a library's result has no correct digit (exact floats, bisected):", "",
              "| function | column | dtype | family | first failing | result | truth | all further out |",
              "|---|---|---|---|---|---|---|---|"]
    for t in data["library_thresholds"]:
        lines.append(_threshold_line(t))
    lines += ["", "## Backend primitives", "",
              "The budget of every bound counts these (max / 99th percentile ULP).", "",
              "| primitive | dtype | " + " | ".join(k for k in ("jax", "numpy")) + " |", "|---|---|---|---|"]
    for p in data["primitives"]:
        lines.append(f"| {p['function']} | {p['dtype']} | " + " | ".join(
            f"{_short(c['max_ulp'])} / {_short(c['p99_ulp'])}" if c else "" for c in
            (p["columns"].get("jax"), p["columns"].get("numpy"))) + " |")
    lines += ["", "## Bounds", "", "| function | bound | why |", "|---|---|---|"]
    for name, b in bd.BOUNDS.items():
        lines.append(f"| {name} | {_short(b.ulps)}{' †' if b.relative_to_terms else ''} | {b.reason} |")
    lines += ["", "## Columns", "", "| function | column | evaluated |", "|---|---|---|"]
    for name, fn in BY_NAME.items():
        for c, col in fn.columns.items():
            lines.append(f"| {name} | {c} | `{col.label}` |")
    return "\n".join(lines) + "\n"


def _threshold_line(t):
    return (f"| {t['function']} | {t['column']} | {t['dtype']} | {t['family']} | {t['first_failing_str']} | "
            f"{_short_list(t['value'])} | {_short_list(t['exact'])} | {'yes' if t['beyond_all_fail'] else 'no'} |")


def _short_list(v):
    if v is None:
        return ""
    if isinstance(v, list):
        return "[" + ", ".join(_short_list(x) for x in v) + "]"
    if isinstance(v, str):
        try:
            return f"{float(v):.7g}"
        except ValueError:
            return v
    return f"{v:.7g}"
