# backprop-course: the two commands a new user needs are `make demo` and `make test`.
# Both create .venv when it is missing, install the package with its test extras,
# register a Jupyter kernel that runs on the venv's Python, then run.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.backprop-course-installed

# Offline MNIST copy next to the checkout (CI and the development machines have no internet).
MNIST_SHARED := $(abspath ../shared/data/mnist)
ifneq ($(wildcard $(MNIST_SHARED)/train-images-idx3-ubyte.gz),)
export MNIST_DIR ?= $(MNIST_SHARED)
endif

# Parallel pytest workers each get one BLAS thread so they do not fight over the 2 cores.
PYTEST_WORKERS ?= 2

.PHONY: setup demo test test-fast regenerate bench bench-judge equivalence clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (backprop-course)" >/dev/null
	touch $(STAMP)

demo: setup
	$(PY) -m autograder demo

test: setup
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \
		$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup --durations=15

test-fast: setup
	$(PY) -m pytest -m "not slow"

regenerate: setup
	$(PY) -m autograder generate --all

bench: setup
	$(PY) bench/bench_a2_vs_sklearn.py

bench-judge: setup
	$(PY) bench/bench_judge.py

# Every mutant of every assignment graded by the judge and by plain nbgrader, compared cell by cell.
equivalence: setup
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 $(PY) -m autograder.judge.equivalence

clean:
	rm -rf $(VENV) .pytest_cache demo-course
