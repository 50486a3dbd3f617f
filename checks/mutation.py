"""Mutation testing of ``derivations/`` with Cosmic Ray (the optional extra ``mutation``): ``make mutation``.

One Cosmic Ray session per module of ``derivations/``, each with its own targeted test command: the module's
doctests and the claims whose declarations reach its functions (:func:`claims_using`), under the ``dev``
Hypothesis profile, stopping at the first failure. Cosmic Ray enumerates every single-point mutant; a fixed
seed draws the sample, spread evenly over the modules (:func:`sample`), and the others are marked skipped in
the sessions, the way Cosmic Ray's own filters mark theirs. Each module's baseline (its command on the
unmutated code) must pass first, else every mutant would count as killed.

Cosmic Ray mutates the files in place (``derivations/`` of this working tree) and puts each back after its
test; :func:`run` checks afterwards that every file is as it was, and restores it if not (a killed run).

    python -m checks.mutation run [--sample N] [--seed S] [--only MODULE:OPERATOR:OCCURRENCE ...]
    python -m checks.mutation report      # the results of the last run, again
    python -m checks.mutation commands    # each module's test command, and its number of claims
"""
from __future__ import annotations

import argparse
import collections
import dataclasses
import functools
import json
import os
import pathlib
import random
import re
import shlex
import subprocess
import sys
import time
import types

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGE = "derivations"
MODULES = tuple(sorted(p.stem for p in (ROOT / PACKAGE).glob("*.py") if p.stem != "__init__"))
SEED = 14  # the issue that asked for the sample: any fixed number does, this one is documented
SAMPLE = 42  # three mutants a module
# Cosmic Ray operators that replace an arithmetic operator (or a unary minus) by a bitwise one: on the float
# arrays of derivations/ they raise TypeError at the first call, so any test kills them and they say nothing
# about the checks. Replacements *between* bitwise operators (a mask's & for |) are kept: those run.
EXCLUDED_OPERATORS = (
    r"core/ReplaceBinaryOperator_(Add|Sub|Mul|Div|FloorDiv|Mod|Pow)_(BitAnd|BitOr|BitXor|LShift|RShift)$",
    r"core/ReplaceUnaryOperator_USub_(Invert|Not)$",
)


def claims_using(module: str) -> list[str]:
    """Ids of the registered claims whose declarations reach a function of ``derivations.<module>``.

    A claim reaches a module when one of its declared callables (the derivation, a check's sides, bounds,
    domains ...) names the module or one of its functions, directly or through a helper of the claims module
    (by the names its code looks up, its closures and defaults), or through another derivation that calls it:
    exactly the claims whose result a mutant of the module can change.
    """
    return [claim_id for claim_id, modules in _reach().items() if f"{PACKAGE}.{module}" in modules]


@functools.cache
def _reach() -> dict[str, frozenset[str]]:
    from checks.engine import registry

    return {c.id: frozenset(_modules_reached(c)) for c in registry.load()}


def _modules_reached(obj) -> set[str]:
    found, seen = set(), set()

    def looked_up(code, globals_):  # the global names a function's code (and the code nested in it) reads
        yield from (globals_[n] for n in code.co_names if n in globals_)
        for c in code.co_consts:
            if isinstance(c, types.CodeType):
                yield from looked_up(c, globals_)

    def walk(o):
        if id(o) in seen or isinstance(o, (str, bytes, int, float, type(None))):
            return
        seen.add(id(o))
        if isinstance(o, types.ModuleType):
            if o.__name__.startswith(PACKAGE + "."):
                found.add(o.__name__)
        elif isinstance(o, types.FunctionType):
            module = o.__module__ or ""
            if module.startswith(PACKAGE + "."):
                found.add(module)
            elif not module.startswith("checks."):
                return  # jax, numpy: no derivation inside
            for r in looked_up(o.__code__, o.__globals__):
                walk(r)
            for cell in o.__closure__ or ():
                walk(cell.cell_contents)
            for d in (*(o.__defaults__ or ()), *(o.__kwdefaults__ or {}).values()):
                walk(d)
        elif isinstance(o, functools.partial):
            for r in (o.func, *o.args, *o.keywords.values()):
                walk(r)
        elif dataclasses.is_dataclass(o) and not isinstance(o, type):
            for f in dataclasses.fields(o):
                walk(getattr(o, f.name))
        elif isinstance(o, (list, tuple, set, frozenset)):
            for r in o:
                walk(r)
        elif isinstance(o, dict):
            for r in o.values():
                walk(r)
        else:  # a wrapped callable: jax.jit's, functools.wraps', custom_jvp's / custom_vjp's function
            for name in ("__wrapped__", "fun"):
                if callable(getattr(o, name, None)):
                    walk(getattr(o, name))

    walk(obj)
    return found


def test_command(module: str, python: str = sys.executable) -> list[str]:
    """The test command of ``module``'s mutants: its doctests, then the claims that use it (dev profile, ``-x``).

    The dev profile draws at random: a fixed seed makes a mutant's verdict (and the baseline's) the same on every
    run. No certificate is written (``--certify-report=``): a mutant's run must not replace ``reports/``.
    """
    claims = claims_using(module)
    return [python, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--hypothesis-profile=dev",
            f"--hypothesis-seed={SEED}", "--certify-report=", f"{PACKAGE}/{module}.py",
            *(["checks/test_claims.py", *(f"--claim={c}" for c in claims)] if claims else [])]


def config(module: str, timeout: float) -> str:
    """Cosmic Ray's configuration (TOML) of ``module``'s session."""
    def toml(v):  # a TOML basic string is a JSON string; a list of them an array
        return json.dumps(v)

    return "\n".join([
        "[cosmic-ray]",
        f"module-path = {toml(f'{PACKAGE}/{module}.py')}",
        f"timeout = {float(timeout)}",
        "excluded-modules = []",
        f"test-command = {toml(shlex.join(test_command(module)))}",
        "",
        "[cosmic-ray.distributor]",
        'name = "local"',
        "",
    ])


@dataclasses.dataclass(frozen=True, order=True)
class Mutant:
    """One single-point mutant, named as Cosmic Ray enumerates it: the n-th place where an operator applies."""

    module: str
    operator: str
    occurrence: int

    def __str__(self):
        return f"{self.module}:{self.operator.removeprefix('core/')}:{self.occurrence}"

    @classmethod
    def parse(cls, text: str) -> Mutant:
        module, operator, occurrence = text.split(":")
        return cls(module, operator if "/" in operator else f"core/{operator}", int(occurrence))


def sample(population: list[Mutant], size: int = SAMPLE, seed: int = SEED) -> list[Mutant]:
    """``size`` mutants drawn with ``seed``, as evenly over the modules as their numbers allow.

    Each module gets ``size // modules`` (or all it has); what is left goes, one each, to the modules with
    the most mutants left. Within a module the draw is uniform. The result depends on the population as a
    set, not on its order (Cosmic Ray's job ids are random: they are not used).
    """
    by_module = collections.defaultdict(list)
    for m in sorted(set(population)):
        by_module[m.module].append(m)
    quota = {module: min(len(ms), size // len(by_module)) for module, ms in by_module.items()}
    while sum(quota.values()) < min(size, len(population)):
        module = max(by_module, key=lambda k: (len(by_module[k]) - quota[k], k))
        quota[module] += 1
    rng = random.Random(seed)
    return sorted(m for module in sorted(by_module) for m in rng.sample(by_module[module], quota[module]))


def excluded(operator: str) -> bool:
    return any(re.match(p, operator) for p in EXCLUDED_OPERATORS)


# ---- the run (needs Cosmic Ray) ----

def _cosmic_ray(*args, check=True):
    bin_dir = pathlib.Path(sys.executable).parent
    return subprocess.run([str(bin_dir / "cosmic-ray"), *args], cwd=ROOT, check=check)


def _sessions(out: pathlib.Path, modules, timeout=600.0):
    """A fresh Cosmic Ray session per module (every mutant pending): {module: (config path, session path)}."""
    paths = {}
    for module in modules:
        cfg, db = out / f"{module}.toml", out / f"{module}.sqlite"
        cfg.write_text(config(module, timeout))
        db.unlink(missing_ok=True)
        _cosmic_ray("init", str(cfg), str(db))
        paths[module] = cfg, db
    return paths


def _items(db):
    from cosmic_ray.work_db import WorkDB, use_db

    with use_db(str(db), WorkDB.Mode.open) as work_db:
        return [(item, result) for item in work_db.work_items
                for result in [dict(work_db.results).get(item.job_id)]]


def _mutant(module, item) -> Mutant:
    (spec,) = item.mutations  # single-point: one mutation per work item
    return Mutant(module, spec.operator_name, spec.occurrence)


def _skip_all_but(db, module, chosen: set[Mutant], why: str):
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    with use_db(str(db), WorkDB.Mode.open) as work_db:
        skipped = [item.job_id for item in work_db.pending_work_items if _mutant(module, item) not in chosen]
        work_db.set_multiple_results(skipped, WorkResult(output=why, worker_outcome=WorkerOutcome.SKIPPED))


def _killer(output: str | None) -> str:
    """What killed a mutant: pytest's first FAILED/ERROR line, else the timeout or the last line."""
    lines = (output or "").splitlines()
    first = next((ln for ln in lines if ln.startswith(("FAILED ", "ERROR "))), None)
    return first or (lines[-1] if lines else "")


def run(out: pathlib.Path, size=SAMPLE, seed=SEED, only=()):
    """Draw the sample (or take ``only``), run each module's baseline, then the mutants; write the report."""
    from importlib.metadata import version

    out.mkdir(parents=True, exist_ok=True)
    # mutants' programs are new: their compiled code and exact values stay out of the project's caches
    os.environ["CERTIFY_JAX_CACHE"] = str(out / "cache" / "jax")
    os.environ["CERTIFY_EXACT_CACHE"] = str(out / "cache" / "exact")
    # a .pyc written while a mutant is on disk could be read for a later, same-sized mutant of the same second
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
    originals = {p: p.read_bytes() for p in (ROOT / PACKAGE).glob("*.py")}
    try:
        modules = sorted({m.module for m in only}) if only else MODULES
        sessions = _sessions(out, modules)
        population = [m for module, (_, db) in sessions.items() for item, _ in _items(db)
                      for m in [_mutant(module, item)] if not excluded(m.operator)]
        chosen = sorted(only) if only else sample(population, size, seed)
        missing = set(chosen) - set(population)
        if missing:
            raise SystemExit(f"mutation: no such mutant: {', '.join(map(str, sorted(missing)))}")
        timings = {}
        for module, (cfg, db) in sessions.items():
            mine = {m for m in chosen if m.module == module}
            _skip_all_but(db, module, mine, f"not in the sample (seed {seed})")
            if not mine:
                continue
            started = time.monotonic()
            if _cosmic_ray("baseline", str(cfg), check=False).returncode:
                raise SystemExit(f"mutation: {module}'s baseline fails (its tests fail without a mutant): "
                                 f"{shlex.join(test_command(module))}")
            baseline = time.monotonic() - started
            # a mutant that runs far longer than the unmutated code is stuck (Cosmic Ray counts it as killed)
            cfg.write_text(config(module, 4 * baseline + 60))
            started = time.monotonic()
            _cosmic_ray("exec", str(cfg), str(db))
            timings[module] = dict(baseline_s=round(baseline, 1), mutants=len(mine),
                                   mutants_s=round(time.monotonic() - started, 1))
        (out / "timings.json").write_text(json.dumps(timings, indent=1))
    finally:
        changed = [p for p, text in originals.items() if p.read_bytes() != text]
        for p in changed:
            p.write_bytes(originals[p])
        if changed:
            print(f"mutation: restored {', '.join(p.name for p in changed)} (a mutant was left on disk)",
                  file=sys.stderr)
    return report(out, dict(tool=f"cosmic-ray {version('cosmic-ray')}", seed=seed, size=len(chosen)))


def report(out: pathlib.Path, meta=None) -> int:
    """The results of the sessions in ``out``: a table per mutant (summary.md, results.json); 0 when >= 95 % killed."""
    meta = meta or json.loads((out / "results.json").read_text())["meta"]
    timings = json.loads((out / "timings.json").read_text()) if (out / "timings.json").exists() else {}
    rows = []
    for module in MODULES:
        db = out / f"{module}.sqlite"
        if not db.exists():
            continue
        for item, result in _items(db):
            if result is None or result.worker_outcome.value == "skipped":
                continue
            (spec,) = item.mutations
            timed_out = (result.output or "") == "timeout"
            rows.append(dict(mutant=str(_mutant(module, item)), line=spec.start_pos[0], function=spec.definition_name,
                             outcome="timeout" if timed_out else (result.test_outcome.value if result.test_outcome
                                                                  else result.worker_outcome.value),
                             killed_by=_killer(result.output) if result.is_killed else "",
                             diff=result.diff or ""))
    rows.sort(key=lambda r: Mutant.parse(r["mutant"]))
    killed = sum(r["outcome"] in ("killed", "timeout") for r in rows)
    (out / "results.json").write_text(json.dumps(dict(meta=meta, timings=timings, mutants=rows), indent=1))
    lines = [f"# Mutation run: {meta['tool']}, seed {meta['seed']}", "",
             f"{killed} of {len(rows)} killed ({100 * killed / max(len(rows), 1):.1f} %)", "",
             "| mutant | line | function | outcome | killed by |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| {r['mutant']} | {r['line']} | {r['function']} | {r['outcome']} | {r['killed_by'][:120]} |"
              for r in rows]
    for r in rows:
        if r["outcome"] not in ("killed", "timeout"):
            lines += ["", f"## {r['outcome']}: {r['mutant']}", "", "```diff", r["diff"].rstrip(), "```"]
    (out / "summary.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines[:2 + 3 + len(rows) + 1]))
    return 0 if rows and killed >= 0.95 * len(rows) else 1


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m checks.mutation", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="draw the sample, run it, write OUT/summary.md and OUT/results.json")
    r.add_argument("--sample", type=int, default=SAMPLE, help=f"number of mutants (default {SAMPLE})")
    r.add_argument("--seed", type=int, default=SEED, help=f"the draw's seed (default {SEED})")
    r.add_argument("--only", nargs="+", type=Mutant.parse, default=(),
                   help="these mutants instead of a sample (MODULE:OPERATOR:OCCURRENCE, as the report names them)")
    for p in (r, sub.add_parser("report", help="the last run's results again")):
        p.add_argument("--out", type=pathlib.Path, default=ROOT / "reports" / "mutation")
    sub.add_parser("commands", help="each module's test command and its number of claims")
    args = ap.parse_args(argv)
    if args.command == "commands":
        for module in MODULES:
            print(f"{module} ({len(claims_using(module))} claims): {shlex.join(test_command(module, 'python'))}")
        return 0
    if args.command == "report":
        return report(args.out)
    if args.sample < 1:
        ap.error(f"--sample {args.sample}: at least one mutant")
    return run(args.out, args.sample, args.seed, args.only)


if __name__ == "__main__":
    sys.exit(main())
