"""Shape claims: the output shape of a function by abstract evaluation (``jax.eval_shape``) over a range of sizes."""
from __future__ import annotations

from checks.engine.platform import configure
from checks.engine.outcomes import evidence, outcome


def shape_check(f, cases, what):
    """``cases``: (size, input shapes, expected output shape) triples; certified iff every output shape is expected
    and the output is of the input's real dtype (no complex or integer result)."""
    def run(dtype, budget):
        jax = configure()
        bad = []
        for n, shapes, want in cases:
            out = jax.eval_shape(f, *[jax.ShapeDtypeStruct(s, dtype) for s in shapes])
            if tuple(out.shape) != tuple(want) or out.dtype != dtype:
                bad.append((n, tuple(out.shape), str(out.dtype), tuple(want)))
        ev = [evidence(what, dtype, points=len(cases), max_error=float(len(bad)), tolerance=None,
                       note=f"sizes {cases[0][0]}..{cases[-1][0]} by jax.eval_shape; error = sizes with a wrong shape")]
        if not bad:
            return outcome(dtype, True, evidence=ev)
        n, got, dt, want = bad[0]
        return outcome(dtype, False, evidence=ev, message=f"size {n}: shape {got} {dt}, expected {want}",
                       counterexample={"args": [n], "names": ["size"], "dtype": dtype, "shape": got})

    return run
