"""optax is the optional extra ``audit``: without it ``optax_losses.py`` declares no claims, and this test says so
as a skip (``make audit`` installs it)."""
import importlib.util

import pytest


def test_the_optax_losses_are_audited():
    if importlib.util.find_spec("optax") is None:
        pytest.skip("optax is not installed: its losses are not audited (the optional extra: "
                    "pip install -e '.[audit]', or make audit)")
    from examples.library_audit import optax_losses

    assert {c.id for c in optax_losses.CLAIMS} >= {"audit.optax.sigmoid-bce", "audit.optax.kl"}
