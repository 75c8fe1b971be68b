# One entry point. Every target first makes the virtualenv (.venv) it needs:
#   runtime (requirements.txt): the Pulumi program, the policy pack, `plan`, `review`, `verify`;
#   dev (requirements-dev.txt): runtime + test and lint tools, for `test`, `lint`, `bench`.
# Choose the interpreter with `make PYTHON=python3.12 ...` (>= 3.11; a different one than the venv's remakes it).
PYTHON  ?= python3
VENV    := .venv
PY      := $(VENV)/bin/python
STACK   ?= dev
OUT     ?= build/plan/$(STACK)
STACKS  ?=
# Test workers (pytest-xdist): `auto` is one per CPU core; WORKERS=0 runs the suite in this one process.
WORKERS ?= auto

# A stamp per step, touched only when the step succeeded: a failed install never marks the venv good.
CREATED := $(VENV)/.created
RUNTIME := $(VENV)/.runtime-installed
DEV     := $(VENV)/.dev-installed
PIP     := $(PY) -m pip install --quiet --disable-pip-version-check

.PHONY: venv venv-dev plan test lint verify review bench charts migrate-assets clean

# Refuses an interpreter older than 3.11 (the code uses StrEnum) before anything is installed. The
# interpreter only prints its version (it may be too old to run anything else); the shell compares it.
define check_python
@version="$$($(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)"; \
if [ -z "$$version" ]; then \
  echo "error: cannot run '$(PYTHON)'; install Python >= 3.11 or choose an interpreter: make PYTHON=python3.12 ..." >&2; \
  exit 1; \
fi; \
if ! echo "$$version" | awk -F. '{ exit !($$1 > 3 || ($$1 == 3 && $$2 >= 11)) }'; then \
  echo "error: '$(PYTHON)' is Python $$version; wire-infra needs Python >= 3.11. Choose one: make PYTHON=python3.12 ..." >&2; \
  exit 1; \
fi
endef

# A PYTHON given on the command line (or in the environment) that is not the venv's Python remakes the
# venv (and so reinstalls), after the version check: a refused interpreter leaves the venv as it was.
ifneq ($(origin PYTHON),file)
ifneq ($(wildcard $(CREATED)),)
ifneq ($(shell $(PY) -c 'import sys; print(sys.version)' 2>/dev/null),$(shell $(PYTHON) -c 'import sys; print(sys.version)' 2>/dev/null))
VENV_CLEAR := --clear
.PHONY: $(CREATED)
endif
endif
endif

$(CREATED):
	$(check_python)
	$(PYTHON) -m venv $(strip $(VENV_CLEAR) $(VENV))
	touch $@

$(RUNTIME): $(CREATED) requirements.txt
	$(PIP) -r requirements.txt
	touch $@

# requirements-dev.txt includes requirements.txt.
$(DEV): $(CREATED) requirements.txt requirements-dev.txt
	$(PIP) -r requirements-dev.txt
	touch $@

## make venv: the runtime virtualenv (what `pulumi up` and the policy pack use); make venv-dev: + test/lint tools
venv: $(RUNTIME)
venv-dev: $(DEV)

## make plan STACK=<stack> [OUT=<dir>] [PREVIEW=1]: offline plan (Pulumi mocks, no CLI, no credentials);
## PREVIEW=1 answers like a first `pulumi preview` (computed values unknown)
plan: $(RUNTIME)
	$(PY) -m plan --stack $(STACK) --out $(OUT) $(if $(PREVIEW),--preview,)

## make test [WORKERS=n]: the whole test suite on parallel workers (an empty run fails: pytest exits 5 when it
## collects nothing). Whole modules go to one worker, the render tests grouped by stack variant (tests/conftest.py).
test: $(DEV)
	$(PY) -m pytest -q -p no:cacheprovider -n $(WORKERS) --dist loadscope tests

## make charts STACK=<stack>: helm pull the stack's pinned charts into the cache and render them (network)
charts: $(DEV)
	$(PY) -m plan.render --stack $(STACK) --pull

## make lint: ruff, formatting, types, workflow YAML
lint: $(DEV)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pyright
	$(PY) -m yamllint -s .github .yamllint.yaml

## make verify STACK=<stack> [OUTPUTS=<file>]: check the live AWS resources
verify: $(RUNTIME)
	$(PY) -m verify --stack $(STACK) $(if $(OUTPUTS),--outputs $(OUTPUTS),)

## make migrate-assets STACK=<stack> FROM=<endpoint>/<bucket> [OUTPUTS=<file>]: copy fake-aws-s3's assets (docs/migration.md)
migrate-assets: $(RUNTIME)
	$(PY) -m migrate assets --from $(FROM) --stack $(STACK) $(if $(OUTPUTS),--outputs $(OUTPUTS),)

## make review BASE=<git rev> [HEAD=<git rev>] [STACKS="dev prod"]: offline plan diff per stack (default: all)
## make review BASE_RELEASE=2026-q1: what moving each stack from that Wire release to its wire:release changes
review: $(RUNTIME)
	$(PY) -m review $(strip $(if $(BASE),--base '$(BASE)') $(if $(BASE_RELEASE),--base-release '$(BASE_RELEASE)') $(if $(HEAD),--head '$(HEAD)') $(if $(strip $(STACKS)),--stacks '$(STACKS)'))

## make bench: benchmarks (table + JSON in build/bench)
bench: $(DEV)
	$(PY) -m bench

clean:
	rm -rf build $(VENV)
