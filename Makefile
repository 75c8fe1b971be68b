# One entry point. Every target creates the virtualenv (.venv) when it is missing or stale.
PY      := .venv/bin/python
STACK   ?= dev
OUT     ?= build/plan/$(STACK)

.PHONY: venv plan test lint verify review bench migrate-assets clean

venv: .venv/.installed

.venv/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

## make plan STACK=<stack> [OUT=<dir>]: offline plan (Pulumi mocks, no CLI, no credentials)
plan: venv
	$(PY) -m plan --stack $(STACK) --out $(OUT)

## make test: the whole test suite (an empty run fails)
test: venv
	$(PY) -m pytest -q -p no:cacheprovider tests

## make lint: ruff, formatting, types, workflow YAML
lint: venv
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pyright
	$(PY) -m yamllint -s .github .yamllint.yaml

## make verify STACK=<stack> [OUTPUTS=<file>]: check the live AWS resources
verify: venv
	$(PY) -m verify --stack $(STACK) $(if $(OUTPUTS),--outputs $(OUTPUTS),)

## make migrate-assets STACK=<stack> FROM=<endpoint>/<bucket> [OUTPUTS=<file>]: copy fake-aws-s3's assets (docs/migration.md)
migrate-assets: venv
	$(PY) -m migrate assets --from $(FROM) --stack $(STACK) $(if $(OUTPUTS),--outputs $(OUTPUTS),)

## make review BASE=<git rev> [HEAD=<git rev>]: offline plan diff between two commits, per stack
review: venv
	$(PY) -m review --base $(BASE) $(if $(HEAD),--head $(HEAD),)

## make bench: benchmarks (table + JSON in build/bench)
bench: venv
	$(PY) -m bench

clean:
	rm -rf build .venv
