# Two commands on a fresh machine (python3 and make only):
#   make certify   certify every claim (CI profile) and trace its quotes, print the certificate, write reports/
#   make test      the whole test suite (claims, engine tests, doctests)
# and the checks CI adds (.ci/run): make isa-check (the same statuses on another code path), make lowest
# (the declared dependency floors, exactly); make portability certifies under every ISA this CPU has.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# the exact versions installed, with their hashes (make lock regenerates both from pyproject.toml)
LOCK   ?= requirements.lock
PROFILE ?= ci
REPORTS ?= reports
PYTEST := $(BIN)/python -m pytest
# pytest-xdist workers (the `parallel` extra): the per-claim work is mostly Python (tracing, Hypothesis,
# mpmath), so one worker per core pays; WORKERS=0 runs in-process. Work stealing evens out the long claims.
WORKERS ?= auto
export CERTIFY_JAX_CACHE ?= $(CURDIR)/.jax_cache
# the directory holds one subdirectory per CPU and XLA_FLAGS (platform.host_key): never another CPU's code
# the exact oracle's values, keyed by program and points (checks/engine/exact/cache.py): a warm run reads them;
# they are real numbers, the same on every CPU and code path
export CERTIFY_EXACT_CACHE ?= $(CURDIR)/.exact_cache
# glibc hands every freed array above its mmap threshold back to the kernel, and the next sweep chunk
# page-faults the same memory in again: a fixed threshold (32 MB, glibc's ceiling), no trimming and a 256 MB
# pad per heap extension keep it
# (measured: system time 41 s -> 28 s, wall -6 % on a thorough subset; ignored by other C libraries)
export MALLOC_MMAP_THRESHOLD_ ?= 33554432
export MALLOC_TRIM_THRESHOLD_ ?= 4294967296
export MALLOC_TOP_PAD_ ?= 268435456
# Python's bytecode caches, and pytest's of the assertion-rewritten modules, are kept (in __pycache__/, ignored
# by git) even where the environment turns them off: every pytest process (the xdist controller and each
# worker) otherwise compiles the project and rewrites its modules again (measured: 2.4 s of a warm certification)
unexport PYTHONDONTWRITEBYTECODE

.PHONY: certify test bench prove accuracy figures mutation clean lowest isa-check certify-isa portability lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# everything from the lock, hash-checked (no resolver: the same versions on any machine, next year too); then
# the project itself, editable, without dependencies (its build backend comes from PyPI: not in the certificate).
# The lock holds every extra a target here needs (compare, parallel, notes, proof; make lock): only figures installs its own
$(VENV)/.installed: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

certify: $(VENV)/.installed
	$(PYTEST) checks/test_claims.py checks/test_traceability.py -n $(WORKERS) --dist worksteal --hypothesis-profile=$(PROFILE) --certify-report=$(REPORTS) \
		--junitxml=$(REPORTS)/junit.xml -o junit_family=xunit2 -q

# pytest's exit code 5 (nothing collected) means a broken suite, not an empty success: said, and failed
test: $(VENV)/.installed
	$(PYTEST) -q -n $(WORKERS) --dist worksteal; rc=$$?; if [ $$rc -eq 5 ]; then \
		echo "pytest collected no tests: the suite is broken (a failed import or an empty registry)" >&2; fi; exit $$rc

# the lowest versions pyproject.toml allows, exactly (requirements-lowest.lock: each direct dependency at its
# floor), in a virtual environment of their own: the floors are what was certified, not a guess
lowest:
	$(MAKE) --no-print-directory certify VENV=.venv-lowest LOCK=requirements-lowest.lock REPORTS=$(REPORTS)/lowest

# the same registry on another of XLA's CPU code paths (ISA=SSE4_2|AVX|AVX2|AVX512), into $(REPORTS)/isa/ISA
ISA ?= SSE4_2
certify-isa: $(VENV)/.installed
	XLA_FLAGS="$(strip $(XLA_FLAGS) --xla_cpu_max_isa=$(ISA))" $(MAKE) --no-print-directory certify REPORTS=$(REPORTS)/isa/$(ISA)

# CI: fails if any claim x dtype has another status under ISA than in $(REPORTS)/claims.json (from make test
# or make certify before it); its own failures show there, the comparison is the point here
isa-check: $(VENV)/.installed
	-$(MAKE) --no-print-directory certify-isa ISA=$(ISA)
	$(BIN)/python -m checks.portability compare $(REPORTS) $(REPORTS)/isa/$(ISA)

# every ISA of {SSE4_2, AVX, AVX2, AVX512} this CPU has (the others are named, not run) against the default
# code path: fails if a status moves or a run fails, and lists the claims whose evidence moves (expected:
# rounding differs between code paths; a claim states the bound, the evidence what this run measured)
portability: $(VENV)/.installed
	@isas="$$($(BIN)/python -m checks.portability isas)"; failed=; mkdir -p $(REPORTS)/isa; \
	$(MAKE) --no-print-directory certify REPORTS=$(REPORTS)/isa/default || failed="$$failed default"; \
	for isa in $$isas; do $(MAKE) --no-print-directory certify-isa ISA=$$isa || failed="$$failed $$isa"; done; \
	$(BIN)/python -m checks.portability compare --evidence $(REPORTS)/isa/default \
		$$(for isa in $$isas; do printf '%s ' $(REPORTS)/isa/$$isa; done) > $(REPORTS)/isa/portability.txt \
		|| failed="$$failed (statuses differ)"; \
	cat $(REPORTS)/isa/portability.txt; \
	if [ -n "$$failed" ]; then echo "make portability: not green:$$failed" >&2; exit 1; fi

# both locks from pyproject.toml: the newest versions allowed, and the lowest direct ones (make lowest); universal
# (every platform's markers), one version per package wherever the floors allow, hashes of every file
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet uv
	for args in "requirements.lock" "requirements-lowest.lock --resolution lowest-direct"; do set -- $$args; \
		$(BIN)/uv pip compile --quiet pyproject.toml --extra compare --extra parallel --extra notes --extra proof --generate-hashes --universal \
			--fork-strategy fewest --python-version 3.11 -o $$@ || exit 1; done

# the library audit (examples/library_audit/, findings in docs/library_audit.md): the derivative rules of jax.nn and
# optax's losses against the exact truth, both dtypes, both autodiff modes; optax is the `audit` extra, installed
# here by pip's resolver like `figures` (not in the lock); the reports go to $(REPORTS)/audit
.PHONY: audit
audit: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[audit]'
	$(PYTEST) checks/test_claims.py checks/test_traceability.py examples/library_audit/test_optax_extra.py \
		--claims examples/library_audit --claim audit. -n $(WORKERS) --dist worksteal --hypothesis-profile=$(PROFILE) \
		--certify-report=$(REPORTS)/audit --junitxml=$(REPORTS)/audit/junit.xml -o junit_family=xunit2 -q

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

# mutation testing of derivations/ (checks/mutation.py, docs/mutation.md): Cosmic Ray, the optional extra
# `mutation`, installed as figures' is (not in the lock: it enters no certificate). The seeded sample (42
# mutants, seed 14; MUTATION_FLAGS="--sample N --seed S", or --only MUTANT ...), each against its module's
# doctests and claims; about 40 minutes on 2 cores. Writes $(REPORTS)/mutation/summary.md; fails below 95 %
# killed. It mutates derivations/ in place: run nothing else in this working tree meanwhile.
MUTATION_FLAGS ?=
mutation: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[mutation]'
	$(BIN)/python -m checks.mutation run --out $(REPORTS)/mutation $(MUTATION_FLAGS)

clean:
	rm -rf $(VENV) .venv-lowest $(REPORTS)/claims.json $(REPORTS)/isa $(REPORTS)/lowest $(REPORTS)/junit.xml .jax_cache .exact_cache .hypothesis

# the annotated reference (docs/REFERENCE.md) from derivations/ and the registry; embeds docs/figures/*.png
# when `make figures` made them, and the statuses of reports/claims.json when `make certify` wrote it
.PHONY: reference
reference: $(VENV)/.installed
	$(BIN)/python -m checks.reference --out docs/REFERENCE.md

# the API reference (docs/API.md) from the docstrings of checks.engine; checks/test_apiref.py fails when it is stale
.PHONY: api
api: $(VENV)/.installed
	$(BIN)/python -m checks.apiref --out docs/API.md
