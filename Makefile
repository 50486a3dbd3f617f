# Two commands on a fresh machine (python3 and make only):
#   make certify   certify every claim (CI profile) and trace its quotes, print the certificate, write reports/
#   make test      the whole test suite (claims, engine tests, doctests)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PROFILE ?= ci
REPORTS ?= reports
PYTEST := $(BIN)/python -m pytest
# pytest-xdist workers (the `parallel` extra): the per-claim work is mostly Python (tracing, Hypothesis,
# mpmath), so one worker per core pays; WORKERS=0 runs in-process. Work stealing evens out the long claims.
WORKERS ?= auto
export CERTIFY_JAX_CACHE ?= $(CURDIR)/.jax_cache
# the exact oracle's values, keyed by program and points (checks/engine/exact/cache.py): a warm run reads them
export CERTIFY_EXACT_CACHE ?= $(CURDIR)/.exact_cache
# glibc hands every freed array above its mmap threshold back to the kernel, and the next sweep chunk
# page-faults the same memory in again: a fixed threshold (32 MB, glibc's ceiling), no trimming and a 256 MB
# pad per heap extension keep it
# (measured: system time 41 s -> 28 s, wall -6 % on a thorough subset; ignored by other C libraries)
export MALLOC_MMAP_THRESHOLD_ ?= 33554432
export MALLOC_TRIM_THRESHOLD_ ?= 4294967296
export MALLOC_TOP_PAD_ ?= 268435456

.PHONY: certify test bench prove accuracy figures clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml Makefile | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[compare,parallel,notes,proof]'
	touch $@

certify: $(VENV)/.installed
	$(PYTEST) checks/test_claims.py checks/test_traceability.py -n $(WORKERS) --dist worksteal --hypothesis-profile=$(PROFILE) --certify-report=$(REPORTS) \
		--junitxml=$(REPORTS)/junit.xml -o junit_family=xunit2 -q

# pytest's exit code 5 (nothing collected) means a broken suite, not an empty success: said, and failed
test: $(VENV)/.installed
	$(PYTEST) -q -n $(WORKERS) --dist worksteal; rc=$$?; if [ $$rc -eq 5 ]; then \
		echo "pytest collected no tests: the suite is broken (a failed import or an empty registry)" >&2; fi; exit $$rc

# BENCH_FLAGS=--thorough-wall adds the thorough profile's wall time (about ten minutes more)
BENCH_FLAGS ?=
bench: $(VENV)/.installed
	$(BIN)/python -m checks.bench --out $(REPORTS)/bench.json $(BENCH_FLAGS)

# the proof oracle alone (SymPy, checks/engine/proof.py): each claim proved over the reals, a table and the share proved
prove: $(VENV)/.installed
	$(BIN)/python -m checks prove

accuracy: $(VENV)/.installed
	$(BIN)/python -m checks.accuracy --out $(REPORTS)

figures: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[figures]'
	$(BIN)/python -m checks.figures --out docs/figures

clean:
	rm -rf $(VENV) $(REPORTS)/claims.json $(REPORTS)/junit.xml .jax_cache .exact_cache .hypothesis

# the annotated reference (docs/REFERENCE.md) from derivations/ and the registry; embeds docs/figures/*.png
# when `make figures` made them, and the statuses of reports/claims.json when `make certify` wrote it
.PHONY: reference
reference: $(VENV)/.installed
	$(BIN)/python -m checks.reference --out docs/REFERENCE.md

# the API reference (docs/API.md) from the docstrings of checks.engine; checks/test_apiref.py fails when it is stale
.PHONY: api
api: $(VENV)/.installed
	$(BIN)/python -m checks.apiref --out docs/API.md
