# Quick start: `make run` serves the demo county; `make test` runs the whole suite.
VENV    := .venv
PY      := $(VENV)/bin/python
QIANFA  := $(VENV)/bin/qianfa
STAMP   := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp

.PHONY: install run test schema bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	# compat mode: a path entry to this tree, so new packages need no reinstall
	$(VENV)/bin/pip install --quiet -e ".[dev]" --config-settings editable_mode=compat
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: $(STAMP)

run: $(STAMP)
	$(QIANFA) db upgrade
	$(QIANFA) seed-demo --if-empty
	$(PY) server.py

test: $(STAMP) $(NODE_STAMP)
	$(PY) -m pytest

schema: $(STAMP)
	$(PY) -m schema > schema.graphql

# The quick benchmark (bench/README.md has the full commands and the latest figures): decisions at
# 3,000 counties, then a small generated province (its own database) under load beside PostGraphile.
BENCH_NODE_STAMP := bench/node_modules/.installed-stamp
BENCH_QUICK_URL ?= postgresql://postgres@127.0.0.1:5432/qianfa_bench_quick

$(BENCH_NODE_STAMP): bench/package.json bench/package-lock.json
	npm ci --prefix bench --no-audit --no-fund --loglevel=error
	touch $(BENCH_NODE_STAMP)

bench: $(STAMP) $(BENCH_NODE_STAMP)
	$(PY) -m bench.decision --counties 3000 --customised 300 --requests 100000
	$(PY) -m bench.generate --fresh --scale quick --database-url $(BENCH_QUICK_URL) --verify 1
	$(PY) -m bench.load --database-url $(BENCH_QUICK_URL) --duration 3 --warmup 1 --users 12 --time-limit 150

clean:
	rm -rf $(VENV) node_modules data .pytest_cache
