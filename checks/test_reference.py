"""The annotated reference (``python -m checks.reference``) and its figures (``python -m checks.figures``)."""
import re

import pytest

from checks import reference
from checks.engine import registry

TAGS = re.compile(r"</?(a|div|span|img|br|p|script|style|sup|sub|details|table)\b", re.I)


@pytest.fixture(scope="module")
def claims():
    return registry.load()


@pytest.fixture(scope="module")
def markdown(claims):
    statuses = {c.id: "certified" for c in claims}
    return reference.build(claims, statuses, [("figures/sigmoid.png", "The sigmoid.")])


def _sections(md, level):
    """{heading text: body} for headings of exactly this level."""
    parts = re.split(rf"^{'#' * level} (.+)$", md, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


def test_every_module_has_rendered_math_and_no_rest_left(markdown, claims):
    modules = {k: v for k, v in _sections(markdown, 2).items() if k.startswith("derivations.")}
    assert modules, "no module sections"
    derived = {c.derivation.__module__ for c in claims if c.derivation is not None}
    for name, body in modules.items():
        assert re.search(r"\$[^$\s][^$]*\$", body), f"{name}: no inline math"
        if name in derived:  # its claims' statements, as display blocks
            assert re.search(r"^\s*\$\$\n.+\n\s*\$\$$", body, re.M), f"{name}: no display math block"
    assert ":math:" not in markdown and ".. math::" not in markdown and ":func:" not in markdown
    assert markdown.count("```") % 2 == 0


def test_a_link_per_claim_and_every_link_resolves(markdown, claims):
    slug = reference.Slugger()
    anchors = {slug(re.sub(r"^#+ ", "", h)) for h in re.findall(r"^#{1,6} .+$", markdown, re.M)}
    links = re.findall(r"\]\(#([^)]+)\)", markdown)
    assert set(links) <= anchors, set(links) - anchors
    for c in claims:
        anchor = reference.Slugger()(c.id)
        assert f"](#{anchor})" in markdown or c.derivation is None, c.id
        assert f"#### {c.id}\n" in markdown
        if c.derivation is not None and c.derivation.__module__.startswith("derivations."):
            assert f"[`{c.derivation.__module__}.{c.derivation.__qualname__}`](#" in markdown, c.id


def test_plain_markdown_no_html(markdown):
    assert not TAGS.search(markdown)
    assert "![sigmoid](figures/sigmoid.png)" in markdown


def test_rest_conversions():
    md = reference.rest_to_markdown("""Intro, see :func:`softmax`.

    Example::

        x = f(1)

    >>> f(0)
    0.25

    .. math::

       a = b
       + c
    """)
    assert md == ("Intro, see `softmax`.\n\nExample:\n\n```python\nx = f(1)\n```\n\n"
                  "```pycon\n>>> f(0)\n0.25\n```\n\n$$\na = b + c\n$$")


def test_github_slugs():
    s = reference.Slugger()
    assert [s("`sigmoid_grad`"), s("sigmoid.derivative"), s("Claims"), s("claims"), s("000_79e.txt")] == \
           ["sigmoid_grad", "sigmoidderivative", "claims", "claims-1", "000_79etxt"]


def test_cli_writes_the_reference(tmp_path):
    out = tmp_path / "REFERENCE.md"
    assert reference.main(["--out", str(out), "--claims-json", str(tmp_path / "none.json")]) == 0
    text = out.read_text()
    assert text.startswith("# Reference") and "not run (no reports/claims.json)" in text


def test_figures(tmp_path):
    pytest.importorskip("matplotlib", reason="matplotlib is the optional 'figures' extra (pip install -e '.[figures]')")
    from checks import figures

    paths = figures.make(tmp_path)
    assert sorted(p.stem for p in paths) == sorted(figures.CAPTIONS)
    for p in paths:
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 5000
    ref = tmp_path / "docs" / "REFERENCE.md"
    (tmp_path / "docs" / "figures").mkdir(parents=True)
    for p in paths:
        p.rename(tmp_path / "docs" / "figures" / p.name)
    assert reference.main(["--out", str(ref)]) == 0
    assert all(f"](figures/{name}.png)" in ref.read_text() for name in figures.CAPTIONS)


def test_figures_without_matplotlib_name_the_extra(monkeypatch):
    import sys

    from checks import figures

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import fails as if not installed
    with pytest.raises(figures.MissingDependency, match=r"pip install -e '\.\[figures\]'"):
        figures.make("unused")
