# The project's commands. `make demo` and `make test` are the contract's two set-up commands.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench venv clean captures examples

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip "setuptools>=77"

# The modules setup.py compiles with mypyc: an edit to one of them rebuilds (an out-of-date
# build is not used anyway: analyzer/_compiled.py falls back to the sources).
COMPILED := $(shell sed -n 's/^    "\(analyzer\/.*\.py\)",$$/\1/p' setup.py)

$(STAMP): $(BIN)/python pyproject.toml setup.py $(COMPILED)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@$(BIN)/python -c "from analyzer import _compiled as c; print('analyzer: hot modules', \
		'compiled (mypyc)' if c.compiled_library() else 'pure Python (mypyc build unavailable)')"
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/analyze pcap captures/demo-clubhouse-2021.pcapng --json reports/demo.json --md reports/demo.md --html reports/demo.html

# The example reports kept in git (reports/examples/): the demo with every output.
examples: $(STAMP)
	$(BIN)/analyze pcap captures/demo-clubhouse-2021.pcapng -q --json reports/examples/demo.json \
		--md reports/examples/demo.md --html reports/examples/demo.html \
		--evidence reports/examples/demo-evidence.pcapng --graph reports/examples/demo.graphml

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check analyzer tests captures bench
	$(BIN)/mypy

bench: $(STAMP)
	bash bench/setup-tools.sh
	$(BIN)/python bench/run_bench.py

captures: $(STAMP)
	$(BIN)/python captures/generate.py
	$(BIN)/python captures/scenarios_tcp.py
	$(BIN)/python captures/scenarios_dns_tls.py
	$(BIN)/python captures/scenarios_observations.py
	$(BIN)/python captures/scenarios_hostile.py

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache .pytest_cache
	find analyzer -name '*.so' -delete
