"""Checks that certify the claims of the source documents (see ``checks.engine`` and ``checks.claims``)."""
