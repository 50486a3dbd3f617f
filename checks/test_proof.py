"""The proof oracle: a check's own programs read by SymPy, proved over the reals (checks/engine/proof.py)."""
import os
import pathlib
import subprocess
import sys
import textwrap

import jax
import jax.numpy as jnp
import numpy as np
import pytest

pytest.importorskip("sympy", reason="the proof oracle needs the optional extra 'proof' (SymPy)")
import sympy as sp  # noqa: E402

from checks.engine import Derivative, Identity, Real, Tol, exact, platform, proof  # noqa: E402
from derivations import sigmoid as sg  # noqa: E402
from derivations import softplus as spl  # noqa: E402

platform.configure()
TOL = Tol(8, "not used: the proof is exact")
ROOT = pathlib.Path(__file__).resolve().parent.parent


def checked(check):
    check.validate()  # as a Claim does: the domain becomes Args
    return check


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch):
    monkeypatch.delenv("CERTIFY_EXACT_CACHE", raising=False)  # every test proves afresh


def test_a_right_derivative_is_proved_by_a_route():
    out = proof.prove(checked(Derivative(forward=sg.sigmoid, derivative=sg.sigmoid_grad, domain=Real(), tol=TOL)))
    assert out["status"] == proof.PROVED, out
    assert out["route"].split(";")[0] in proof.ROUTE_NAMES  # a SymPy rewriting, never a numerical evaluation


def test_a_wrong_derivative_is_disproved_at_an_exact_witness():
    check = Derivative(forward=sg.sigmoid, derivative=lambda x: sg.sigmoid(x) * (1 + sg.sigmoid(-x)),
                       domain=Real(-40, 40), tol=TOL)
    out = proof.prove(checked(check))
    assert out["status"] == proof.DISPROVED, out
    point = np.asarray(out["witness"]["args"][0], np.float64)[None]
    hand = exact.values(check.derivative, [point]).values[0][0]
    truth = exact.derivatives(check.forward, [point]).values[0][0]
    assert not hand.overlaps(truth)  # the witness is one in the reals: Arb balls that do not meet
    assert out["witness"]["error_ulps"] > 0.5


def test_an_erratum_gets_its_residual_in_closed_form():
    """002's -log sigma(x) = -zeta(-x): the residual is 2 log(1 + e^x) - 2x (up to its sign), on every branch."""
    check = Identity(lhs=lambda x: -jnp.log(sg.sigmoid(x)), rhs=spl.neg_log_sigmoid_as_written_002, domain=Real(-30, 30),
                     tol=TOL)
    out = proof.prove(checked(check))
    assert out["status"] == proof.DISPROVED, out
    x = sp.Symbol("x", real=True)
    for part in out["residual"].split("; "):
        formula = part.split(" = ", 1)[1].split(" where ")[0]
        r = sp.sympify(formula, locals={"x": x})
        want = 2 * sp.log(1 + sp.exp(x)) - 2 * x
        assert 0 in (sp.expand(r - want), sp.expand(r + want)), part


def test_the_stable_sigmoid_is_proved_on_both_branches():
    out = proof.prove(checked(Identity(lhs=sg.sigmoid, rhs=sg.sigmoid_naive, domain=Real(), tol=TOL)))
    assert out["status"] == proof.PROVED, out
    assert out["paths"] >= 2  # z >= 0 and z < 0: a Piecewise, proved piece by piece


def test_an_unsupported_primitive_is_undecided_and_named():
    check = Identity(lhs=jax.lax.erf_inv, rhs=lambda x: x, domain=Real(-0.5, 0.5), tol=TOL)
    out = proof.prove(checked(check))
    assert out["status"] == proof.UNDECIDED
    assert "erf_inv" in out["reason"] and out["reason"].startswith("unsupported")


def test_a_proof_past_its_time_cap_is_undecided_saying_so():
    from derivations import softmax as sm
    from checks.engine import Args, Logits

    check = Identity(lhs=sm.softmax, rhs=lambda z: jnp.exp(z - sm.logsumexp(z)), domain=Args(Logits(), sizes=(4,)),
                     tol=TOL)
    out = proof.prove(checked(check), cap=0.05)
    assert out["status"] == proof.UNDECIDED
    assert out["reason"].startswith("timeout")


def test_sympy_runs_on_python_ground_types_and_cannot_crash_the_gate(tmp_path):
    """With python-flint's ground types, this proof killed the interpreter (SIGFPE in SymPy's heuristic gcd):
    the proof oracle chooses pure-Python ones. In a fresh interpreter, as a gate starts."""
    script = textwrap.dedent("""
        import os
        os.environ.pop("SYMPY_GROUND_TYPES", None)
        import jax.numpy as jnp
        from checks.engine import Identity, Real, Tol, platform, proof
        from sympy.external.gmpy import GROUND_TYPES
        assert GROUND_TYPES == "python", GROUND_TYPES
        platform.configure()
        tanh = lambda x: jnp.sign(x) * -jnp.expm1(-2 * jnp.abs(x)) / (2 + jnp.expm1(-2 * jnp.abs(x)))
        check = Identity(tanh, lambda x: 2 / (1 + jnp.exp(-2.1 * x)) - 1, Real(), Tol(14, "unused", absolute=True))
        check.validate()
        print(proof.prove(check)["status"])
    """)
    env = {k: v for k, v in os.environ.items() if k != "CERTIFY_EXACT_CACHE"}
    run = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env={**env, "PYTHONPATH": str(ROOT)},
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split()[-1] in (proof.UNDECIDED, proof.DISPROVED)
