r"""The API reference, from the docstrings, as GitHub Markdown: ``python -m checks.apiref --out docs/API.md``.

What an author declares claims with: every name of ``checks.engine`` (its ``__all__``), the custom-rule helper
(:mod:`checks.engine.custom_rules`) and the claim blocks of a note (:mod:`checks.engine.notes`). Each entry is its
signature (defaults, no annotations), its docstring (reST converted by :func:`checks.reference.rest_to_markdown`;
Google-style ``Args:`` / ``Attributes:`` sections become lists), and for an enumeration its members.
``checks/test_apiref.py`` holds every public name and option to a documented entry and the committed file to
this output.
"""
from __future__ import annotations

import argparse
import enum
import inspect
import pathlib
import re
import sys

from checks import reference
from checks.engine import custom_rules, notes
import checks.engine as engine

# (heading, introduction, the names in order): every name of checks.engine.__all__ is in exactly one
SECTIONS = [
    ("Declaring a claim", "A claim says what a document states, where, and how it is certified.",
     ["Claim", "Source", "Kind", "Verdict", "DeclarationError"]),
    ("Checks", "How a claim is certified: each check kind is data (functions, a domain, a tolerance).",
     ["Derivative", "Identity", "Inequality", "Exists", "Custom"]),
    ("Inputs", "A check's domain: ``Args`` of components that share the vector length; a bare component is a "
     "one-argument domain.", ["Args", "Real", "Logits", "Simplex", "OneHot", "Binary", "BinaryLabels", "Mask"]),
    ("Tolerances", "A tolerance counts roundings in eps. What it is measured against is the check's: ``cond`` and "
     "``resolution`` (:class:`Derivative`), ``scale`` (:class:`Identity`, :class:`Inequality`), ``absolute`` (here).",
     ["Tol"]),
    ("What a Custom check returns", "Built by a :class:`Custom` check's ``run(dtype, budget)``.",
     ["evidence", "outcome", "judged"]),
]
CUSTOM_RULES = ["custom_gradient_claim", "certify_custom_rule", "CustomRuleDerivative"]
_SECTION = re.compile(r"^(Args|Arguments|Attributes|Returns|Raises):\s*$")
_ITEM = re.compile(r"^(\s+)([\w*, ]+):\s+(.*)$")


def _google_sections(doc: str) -> str:
    """``Args:`` / ``Attributes:`` sections as reST lists (``- ``name``: text``), continuation lines joined."""
    out, base = [], None  # base: the indent of the section's items (-1 before the first; None outside a section)
    for line in inspect.cleandoc(doc).splitlines():
        if _SECTION.match(line):
            out += [line.strip(), ""]
            base = -1
            continue
        if base is not None and line.strip():
            indent = len(line) - len(line.lstrip())
            item = _ITEM.match(line)
            if item and base in (-1, indent):
                base = indent
                out.append("- " + ", ".join(f"``{n.strip()}``" for n in item.group(2).split(",")) + ": "
                           + item.group(3))
                continue
            if indent > base >= 0 and out[-1].startswith("- "):
                out[-1] += " " + line.strip()
                continue
            base = None  # the section ended
        out.append(line)
    return "\n".join(out)


def signature(obj) -> str:
    """``name(a, b=1, *, c=None)``: parameters and defaults, no annotations (an enumeration: its name)."""
    name = obj.__name__
    if isinstance(obj, type) and issubclass(obj, (enum.Enum, BaseException)):
        return name
    parts, star = [], False
    for p in inspect.signature(obj).parameters.values():
        if p.kind is p.VAR_POSITIONAL:
            parts.append(f"*{p.name}")
            star = True
        elif p.kind is p.VAR_KEYWORD:
            parts.append(f"**{p.name}")
        else:
            if p.kind is p.KEYWORD_ONLY and not star:
                parts.append("*")
                star = True
            parts.append(p.name if p.default is p.empty else f"{p.name}={_default(p.default)}")
    return f"{name}({', '.join(parts)})"


def _default(value) -> str:
    return f"{type(value).__name__}.{value.name}" if isinstance(value, enum.Enum) else repr(value)


def options(obj) -> list[str]:
    """The options an author passes: the parameters of a function or a class's constructor."""
    if isinstance(obj, type) and issubclass(obj, (enum.Enum, BaseException)):
        return []
    return [p.name for p in inspect.signature(obj).parameters.values()]


def _entry(obj, qualified: str) -> list[str]:
    out = [f"### `{signature(obj)}`", "", f"`{qualified}`", "",
           reference.rest_to_markdown(_google_sections(obj.__doc__ or "")), ""]
    if isinstance(obj, type) and issubclass(obj, enum.Enum):
        out += ["| member | value |", "|---|---|"] + [f"| `{m.name}` | {m.value} |" for m in obj] + [""]
    for name, member in vars(obj).items() if isinstance(obj, type) else ():
        if isinstance(member, classmethod) and not name.startswith("_"):  # an alternative constructor
            fn = member.__func__
            out += [f"#### `{obj.__name__}.{signature(fn).replace('cls, ', '')}`", "",
                    reference.rest_to_markdown(inspect.getdoc(fn) or ""), ""]
    return out


def entries():
    """(section heading, introduction, [(qualified name, object)]) in the document's order."""
    sections = [(title, intro, [(f"checks.engine.{n}", getattr(engine, n)) for n in names])
                for title, intro, names in SECTIONS]
    sections.append(("Custom differentiation rules", inspect.getdoc(custom_rules).split("\n\n")[0],
                     [(f"checks.engine.custom_rules.{n}", getattr(custom_rules, n)) for n in CUSTOM_RULES]))
    return sections


def build() -> str:
    out = ["# API reference", "",
           "Generated from the docstrings by `make api` (`python -m checks.apiref --out docs/API.md`): edit the "
           "docstrings, not this file. Everything here is imported from `checks.engine` unless its name says "
           "otherwise. How to use it: [WORKFLOW.md](WORKFLOW.md); the claims of the project: "
           "[REFERENCE.md](REFERENCE.md).", ""]
    slug = reference.Slugger()
    toc, body = [], []
    for title, intro, objs in entries():
        toc.append(f"- [{title}](#{slug(title)}): " + ", ".join(f"`{q.rsplit('.', 1)[1]}`" for q, _ in objs))
        body += [f"## {title}", "", reference.rest_to_markdown(intro), ""]
        for qualified, obj in objs:
            body += _entry(obj, qualified)
    title = "Claims in a note"
    toc.append(f"- [{title}](#{slug(title)}): the `python claim` block, `claim(...)`")
    body += [f"## {title}", "", "`checks.engine.notes`", "", reference.rest_to_markdown(inspect.getdoc(notes)), ""]
    return "\n".join(out + toc + [""] + body).rstrip() + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m checks.apiref", description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=pathlib.Path, default=None, help="write here (default: print)")
    ns = ap.parse_args(argv)
    text = build()
    if ns.out is None:
        sys.stdout.write(text)
    else:
        ns.out.write_text(text, encoding="utf-8")
        print(f"wrote {ns.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
