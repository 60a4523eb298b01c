# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test check bench load eval clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)  ## start the assistant (terminal chat when no bot token is configured)
	$(PY) -m bot

test: $(STAMP)  ## validate the knowledge and run the whole test suite
	$(PY) -m bot check
	$(PY) -m pytest

check: $(STAMP)  ## validate the knowledge files
	$(PY) -m bot check

bench: $(STAMP)  ## measure load time, latency, throughput and memory
	$(PY) tests/benchmark.py

load: $(STAMP)  ## many simulated users through several converse processes sharing one database
	$(PY) tests/load.py

eval: $(STAMP)  ## score answers against the development questions
	$(PY) ../shared/eval/score.py ../shared/eval/dev.yaml --cmd "$(PY) -m bot ask --json -"

clean:
	rm -rf $(VENV) .pytest_cache
