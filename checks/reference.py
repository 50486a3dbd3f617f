r"""The annotated reference, as Markdown that GitHub renders natively: ``python -m checks.reference``.

    python -m checks.reference --out docs/REFERENCE.md [--claims-json reports/claims.json] [--claims PATH]

Module by module, function by function, the docstrings of ``derivations/``
(reST math converted: ``:math:`x``` to ``$x$``, ``.. math::`` to a ``$$``
block, doctests to code blocks), each function followed by the claims it
certifies; then every claim of the registry with its statement, source,
verdict, status (from ``claims.json`` when there is one) and a link to its
derivation; then the figures (``docs/figures/*.png``) when they were made
(``python -m checks.figures``). No HTML, no scripts: links are to GitHub's own
heading anchors, computed here the way GitHub computes them.
"""
from __future__ import annotations

import argparse
import collections
import importlib
import inspect
import json
import pathlib
import pkgutil
import re
import sys

PACKAGE = "derivations"


# --- reST docstrings to GitHub Markdown -----------------------------------------------------

_INLINE_MATH = re.compile(r":math:`(.+?)`", re.S)
_LITERAL = re.compile(r"``(.+?)``", re.S)
_ROLE = re.compile(r":(?:func|class|mod|meth|data|attr):`~?(.+?)`")


def _inline(text: str) -> str:
    text = _INLINE_MATH.sub(lambda m: "$" + " ".join(m.group(1).split()) + "$", text)
    text = _ROLE.sub(lambda m: "``" + m.group(1) + "``", text)
    return _LITERAL.sub(lambda m: "`" + m.group(1) + "`", text)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def rest_to_markdown(doc: str) -> str:
    r"""A docstring's reST (the subset used in ``derivations/``) as GitHub Markdown.

    >>> print(rest_to_markdown("Slope :math:`\\sigma'(z)`, ``sigma``.\n\n.. math:: a = b"))
    Slope $\sigma'(z)$, `sigma`.
    <BLANKLINE>
    $$
    a = b
    $$
    """
    lines = inspect.cleandoc(doc).splitlines()
    out, prose, i = [], [], 0

    def block(*code):  # prose so far (inline markup converted across its line breaks), then a verbatim block
        out.extend(_inline("\n".join(prose)).split("\n") if prose else [])
        prose.clear()
        out.extend(code)

    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith(".. math::"):  # display math: on the line, or the indented block below
            body = [stripped[len(".. math::"):].strip()]
            i += 1
            while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) > _indent(line)):
                body.append(lines[i].strip())
                i += 1
            block("$$", " ".join(b for b in body if b), "$$", "")
        elif stripped.startswith(">>>"):  # a doctest: prompt lines and their output, up to a blank line
            code = []
            while i < len(lines) and lines[i].strip():
                code.append(lines[i].strip())
                i += 1
            block("```pycon", *code, "```")
        elif stripped.startswith(".. code-block::") or (stripped.endswith("::") and not stripped.startswith("..")):
            # a literal block follows (Python unless a code-block directive names its language)
            language = stripped.split("::", 1)[1].strip() if stripped.startswith("..") else "python"
            if not stripped.startswith(".."):
                prose.append(line[: line.rstrip().rfind("::")].rstrip() + ":")
            i += 1
            code = []
            while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) > _indent(line)):
                code.append(lines[i])
                i += 1
            while code and not code[-1].strip():
                code.pop()
            while code and not code[0].strip():
                code.pop(0)
            base = min((_indent(c) for c in code if c.strip()), default=0)
            fence = "````" if any(c.strip().startswith("```") for c in code) else "```"  # a fence inside
            lead = [] if prose and not prose[-1].strip() else [""]  # one blank line before the block
            block(*lead, fence + language, *(c[base:] for c in code), fence, "")
        else:
            prose.append(line)
            i += 1
    block()
    return "\n".join(out).strip()


# --- GitHub's heading anchors ---------------------------------------------------------------

class Slugger:
    """GitHub's heading ids: lower case, punctuation dropped, spaces to '-', repeats numbered ``-1``, ``-2``."""

    def __init__(self):
        self.seen = collections.Counter()

    def __call__(self, heading_text: str) -> str:
        text = re.sub(r"`", "", heading_text).strip().lower()
        slug = re.sub(r"[^\w\- ]", "", text).replace(" ", "-")
        n = self.seen[slug]
        self.seen[slug] += 1
        return slug if n == 0 else f"{slug}-{n}"


# --- the document -----------------------------------------------------------------------------

def _functions(module):
    """Public functions defined in ``module``, in source order."""
    fns = [f for name, f in vars(module).items()
           if inspect.isfunction(f) and f.__module__ == module.__name__ and not name.startswith("_")]
    return sorted(fns, key=lambda f: f.__code__.co_firstlineno)


def _qualname(fn):
    return None if fn is None else f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"


def _md_cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", r"\|")


def _proved(proof) -> str:
    """The proof oracle's outcome as a sentence: what is proved, over which sizes, under what, by which route."""
    if proof["status"] == "proved":
        sizes = f" for n = {', '.join(map(str, proof['sizes']))}" if proof.get("sizes") else ""
        return (f"proved over the reals{sizes} (SymPy, from the claim's own programs; {proof.get('assumed', '')}; "
                f"route: {proof.get('route', '')})")
    text = f"{proof['status']}: {proof.get('reason', '')}"
    return text + (f"; residual: `{proof['residual']}`" if proof.get("residual") else "")


def build(claims, statuses: dict, figures: list[tuple[str, str]], package: str = PACKAGE, proofs=None) -> str:
    """The reference as Markdown. ``statuses``: claim id -> status; ``figures``: (relative path, caption);
    ``proofs``: claim id -> the proof oracle's outcome (``claims.json``'s ``proof``), where there is one."""
    proofs = proofs or {}
    pkg = importlib.import_module(package)
    modules = [importlib.import_module(f"{package}.{m.name}")
               for m in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name) if not m.name.startswith("_")]
    order = [m.strip("`, .") for m in re.findall(r"``(\w+)``", pkg.__doc__ or "")]
    modules.sort(key=lambda m: order.index(m.__name__.rsplit(".", 1)[1]) if m.__name__.rsplit(".", 1)[1] in order else 99)
    slug = Slugger()
    by_derivation = collections.defaultdict(list)
    for c in claims:
        by_derivation[_qualname(c.derivation)].append(c)

    # headings are emitted in order below; anchors are computed in the same order first
    head = ["# Reference: the derivations and their certified claims", ""]
    anchors, claim_anchor = {}, {}
    slug("Reference: the derivations and their certified claims")
    slug("Contents")
    for m in modules:
        anchors[m.__name__] = slug(m.__name__)
        for f in _functions(m):
            anchors[_qualname(f)] = slug(f.__name__)
    slug("Claims")
    docs = collections.defaultdict(list)
    for c in claims:
        docs[c.sources[0].document].append(c)
    for d in sorted(docs):
        slug(d)
        for c in docs[d]:
            claim_anchor[c.id] = slug(c.id)
    if figures:
        slug("Figures")

    out = head + [inspect.cleandoc(f"""
        Generated by `python -m checks.reference` from the docstrings of `{package}/` and the claim registry;
        do not edit by hand. Each function carries its derivation; under it, the claims it certifies
        (status from `reports/claims.json` of the last `make certify`, when present).
        """), "", "## Contents", ""]
    for m in modules:
        out.append(f"- [`{m.__name__}`](#{anchors[m.__name__]}): {_inline(_first_line(m.__doc__))}")
    out.append(f"- [Claims](#claims): {len(claims)} claims, by document")
    if figures:
        out.append("- [Figures](#figures)")
    out.append("")

    for m in modules:
        out += [f"## {m.__name__}", "", rest_to_markdown(m.__doc__ or ""), ""]
        for f in _functions(m):
            out += [f"### `{f.__name__}`", "", f"`{f.__name__}{inspect.signature(f)}`", "",
                    rest_to_markdown(f.__doc__ or "(no docstring)"), ""]
            certified = by_derivation.get(_qualname(f), [])
            if certified:
                out += ["**Certified claims:**", ""]
                for c in certified:
                    out += [f"- [`{c.id}`](#{claim_anchor[c.id]}) ({c.verdict.value}; "
                            f"{statuses.get(c.id, 'not run')}):", "",
                            "  $$", "  " + " ".join(c.statement.split()), "  $$", ""]

    out += ["## Claims", ""]
    for d in sorted(docs):
        out += [f"### {d}", ""]
        for c in docs[d]:
            out += [f"#### {c.id}", "", "$$", " ".join(c.statement.split()), "$$", ""]
            if c.as_written:
                out += ["As written in the document (wrong):", "", "$$", " ".join(c.as_written.split()), "$$", ""]
            rows = [("verdict", c.verdict.value + (" (reconstructed from the prose)" if c.reconstructed else "")),
                    ("status", statuses.get(c.id, "not run (no reports/claims.json)"))]
            if proofs.get(c.id):
                rows.append(("proof", _proved(proofs[c.id])))
                if proofs[c.id].get("as_written"):
                    rows.append(("proof, as written", _proved(proofs[c.id]["as_written"])))
            if c.condition:
                rows.append(("holds when", c.condition))
            for s in c.sources:
                rows.append(("source", f"{s.document}, section *{s.section}*: “{s.quote}”"))
            q = _qualname(c.derivation)
            if q in anchors:
                rows.append(("derivation", f"[`{q}`](#{anchors[q]})"))
            elif q:
                rows.append(("derivation", f"`{q}`"))
            if c.note:
                rows.append(("note", c.note))
            out += ["| | |", "|---|---|", *(f"| {k} | {_md_cell(_inline(v))} |" for k, v in rows), ""]

    if figures:
        out += ["## Figures", ""]
        for path, caption in figures:
            out += [f"![{pathlib.Path(path).stem}]({path})", "", f"*{caption}*", ""]
    return "\n".join(out).rstrip() + "\n"


def _first_line(doc):
    return (doc or "").strip().splitlines()[0] if (doc or "").strip() else ""


def _figures(out: pathlib.Path):
    """(path relative to the reference, caption) for each figure that exists."""
    from checks import figures

    found = []
    for name, caption in figures.CAPTIONS.items():
        png = out.parent / "figures" / f"{name}.png"
        if png.exists():
            found.append((f"figures/{name}.png", caption))
    return found


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m checks.reference", description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="docs/REFERENCE.md")
    ap.add_argument("--claims-json", default="reports/claims.json", help="statuses of the last certification, if any")
    ap.add_argument("--claims", action="append", default=[], help="extra claims module or directory")
    ns = ap.parse_args(argv)
    from checks.engine import registry

    claims = registry.load(ns.claims)
    statuses, proofs = {}, {}
    cj = pathlib.Path(ns.claims_json)
    if cj.exists():
        entries = json.loads(cj.read_text())["claims"]
        statuses = {c["id"]: c["status"] for c in entries}
        proofs = {c["id"]: c.get("proof") for c in entries}
    out = pathlib.Path(ns.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(build(claims, statuses, _figures(out), proofs=proofs), encoding="utf-8")
    print(f"wrote {out} ({len(claims)} claims, {len(statuses)} statuses from {cj if statuses else 'nowhere'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
