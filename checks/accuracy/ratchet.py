"""The ratchet: the observed maximum error of each stable form, per function, dtype and backend.

Stored in ``ratchet.json`` next to this file. A measurement above the stored
maximum is a regression and fails the suite (``checks/test_accuracy.py``, and
``python -m checks.accuracy`` exits non-zero). ``--update-ratchet`` records new
entries and tightens lower ones; raising a recorded value takes ``--loosen``,
on purpose, with the reason in the commit.
"""
from __future__ import annotations

import dataclasses
import json
import pathlib

PATH = pathlib.Path(__file__).with_name("ratchet.json")
COLUMN = "ours"
SLACK = 1e-9  # relative: the terms-relative measure is a float computed on the host


@dataclasses.dataclass
class Change:
    function: str
    dtype: str
    stored: float | None
    observed: float

    def __str__(self):
        was = "unrecorded" if self.stored is None else f"ratchet {self.stored:g}"
        return f"{self.function} [{self.dtype}]: observed max {self.observed:g} ({was})"


def load(path=PATH) -> dict:
    return json.loads(pathlib.Path(path).read_text()) if pathlib.Path(path).exists() else {"backends": {}}


def save(data, path=PATH):
    pathlib.Path(path).write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")


def observed(rows) -> dict:
    """{function: {dtype: max}} of the stable column, in each row's measure."""
    out: dict = {}
    for r in rows:
        col = r.columns.get(COLUMN)
        if col is not None and not col.missing:
            out.setdefault(r.function.name, {})[r.dtype] = col.scaled_max
    return out


def compare(rows, data, backend):
    """(regressions, improvements, unrecorded) against the stored ratchet of ``backend``."""
    stored = data.get("backends", {}).get(backend, {})
    worse, better, new = [], [], []
    for fn, per_dtype in observed(rows).items():
        for dtype, value in per_dtype.items():
            old = stored.get(fn, {}).get(dtype)
            if old is None:
                new.append(Change(fn, dtype, None, value))
            elif value > old * (1 + SLACK) + SLACK:
                worse.append(Change(fn, dtype, old, value))
            elif value < old * (1 - SLACK) - SLACK:
                better.append(Change(fn, dtype, old, value))
    return worse, better, new


def update(rows, data, backend, points, loosen=False):
    """Record new entries and tighten improved ones (and, with ``loosen``, raise regressed ones)."""
    worse, better, new = compare(rows, data, backend)
    table = data.setdefault("backends", {}).setdefault(backend, {})
    for c in better + new + (worse if loosen else []):
        table.setdefault(c.function, {})[c.dtype] = float(c.observed)
    data["points_per_row"] = points
    data["about"] = ("max error of the stable form ('ours' column) per function, dtype and backend, in the row's "
                     "measure (ULP, or eps relative to the summed terms); python -m checks.accuracy --update-ratchet")
    return worse if not loosen else []
