# make demo : set up .venv (if missing) and run the quick tour
# make test : set up .venv with the test tools (and, when they install, the
#             PyTorch/JAX oracles) and run the whole test suite
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
JOBS   ?= 2

.PHONY: demo test bench setup setup-test clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: $(PY) pyproject.toml
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install -q -e '.[test,mpi,examples]'
	# PyTorch and JAX are optional test oracles; the tests that need them skip without them.
	$(PY) -m pip install -q -e '.[oracles]' || echo "warning: torch/jax oracles not installed; their tests will skip"
	touch $@

setup: $(VENV)/.installed
setup-test: $(VENV)/.installed-test

demo: setup
	$(PY) examples/quickstart.py

test: setup-test
	$(PY) -m pytest -n $(JOBS) -p no:cacheprovider --doctest-modules fgrad tests

bench: setup
	$(PY) benchmarks/dispatch.py

clean:
	rm -rf $(VENV) build *.egg-info
