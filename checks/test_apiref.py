"""The API reference (``python -m checks.apiref``, committed as ``docs/API.md``): every public name and option has
a documented entry, and the committed file is the docstrings' current output."""
import enum
import inspect
import pathlib

import pytest

import checks.engine as engine
from checks import apiref
from checks.engine import custom_rules

API = pathlib.Path(__file__).resolve().parents[1] / "docs" / "API.md"
ENTRIES = [(q, obj) for _, _, objs in apiref.entries() for q, obj in objs]


def test_committed_reference_is_up_to_date():
    assert API.read_text(encoding="utf-8") == apiref.build(), "docs/API.md is stale: run `make api`"


def test_every_public_name_has_one_entry():
    names = [q.rsplit(".", 1)[1] for q, _ in ENTRIES]
    assert sorted(n for n in names if hasattr(engine, n) and n in engine.__all__) == sorted(engine.__all__)
    public = [n for n, v in vars(custom_rules).items() if not n.startswith("_") and callable(v)
              and getattr(v, "__module__", None) == custom_rules.__name__]
    assert sorted(apiref.CUSTOM_RULES) == sorted(public)
    assert len(names) == len(set(names))
    md = apiref.build()
    for q, obj in ENTRIES:
        assert f"### `{apiref.signature(obj)}`" in md and f"`{q}`" in md


def _documented(obj):
    """The docstrings an option of ``obj`` may be documented in: its own, and its documented bases'."""
    own = [c.__doc__ for c in inspect.getmro(obj)[:-1]] if isinstance(obj, type) else [obj.__doc__]
    return "\n".join(apiref._google_sections(d) for d in own if d)


@pytest.mark.parametrize("qualified, obj", ENTRIES, ids=[q for q, _ in ENTRIES])
def test_every_option_and_member_is_documented(qualified, obj):
    assert obj.__doc__ and obj.__doc__.strip(), f"{qualified} has no docstring of its own"
    doc = _documented(obj)
    missing = [o for o in apiref.options(obj) if f"``{o}" not in doc]
    if isinstance(obj, type) and issubclass(obj, enum.Enum):
        missing += [m.name for m in obj if f"``{m.name}``" not in doc]
    for name, member in vars(obj).items() if isinstance(obj, type) else ():
        if isinstance(member, classmethod) and not name.startswith("_"):
            fn = member.__func__
            missing += [f"{name}({o})" for o in apiref.options(fn)[1:] if f"``{o}" not in fn.__doc__]
    assert not missing, f"{qualified}: options not in its docstring as ``name``: {missing}"


def test_google_sections_become_lists():
    doc = """Intro.

    Args:
      a, b: the two
        sides.
      c: the third.

    Prose again."""
    assert apiref._google_sections(doc) == "Intro.\n\nArgs:\n\n- ``a``, ``b``: the two sides.\n- ``c``: the third.\n\nProse again."


def test_cli_writes_the_file(tmp_path):
    assert apiref.main(["--out", str(tmp_path / "API.md")]) == 0
    assert (tmp_path / "API.md").read_text().startswith("# API reference")


def test_code_block_directive_and_a_fence_inside():
    from checks import reference

    md = reference.rest_to_markdown("A note:\n\n.. code-block:: markdown\n\n   # T\n   ```python claim\n   x\n   ```\n")
    assert md == "A note:\n\n````markdown\n# T\n```python claim\nx\n```\n````"
