"""Every registered claim, certified in each dtype: the generic checks generated from the declarations."""
import pytest

from checks.engine import platform, report, runner


def test_claim(claim_case, certification, record_property):
    claim, dtype = claim_case
    record_property("claim", claim.id)
    record_property("dtype", dtype)
    record_property("backend", platform.configure().default_backend())
    unsupported = platform.supports(dtype)
    if unsupported:
        certification.outcomes[claim.id, dtype] = runner.Outcome(claim.id, dtype, status=f"skipped: {unsupported}")
        pytest.skip(unsupported)
    out = runner.certify(claim, dtype, certification.budget())
    if dtype == certification.dtypes()[-1]:  # the proof is over the reals: once per claim
        out = runner.prove(claim, out)
    certification.outcomes[claim.id, dtype] = out
    record_property("status", out.status)
    assert out.ok, report.failure_message(claim, out)
