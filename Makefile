# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test e2e screenshots check bench load eval model clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip setuptools
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)  ## start the assistant (terminal chat when no bot token is configured)
	$(PY) -m bot

CARDS_NODE := tests/cards/node_modules/.installed

$(CARDS_NODE): tests/cards/package.json tests/cards/package-lock.json
	cd tests/cards && npm ci --no-audit --no-fund
	touch $(CARDS_NODE)

test: $(STAMP) $(CARDS_NODE)  ## validate the knowledge and run the whole test suite (cards checked by the Adaptive Cards SDK)
	$(PY) -m bot check
	$(PY) -m pytest

E2E_NODE := tests/e2e/node_modules/.installed

$(E2E_NODE): tests/e2e/package.json tests/e2e/package-lock.json
	cd tests/e2e && npm ci --no-audit --no-fund
	touch $(E2E_NODE)

e2e: $(STAMP) $(E2E_NODE)  ## end-to-end tests against the Telegram emulator and the Teams playground
	$(PY) -m pytest -m e2e tests/e2e

screenshots: $(STAMP) $(E2E_NODE) $(CARDS_NODE)  ## the README's pictures in docs/ (needs Chromium: apt-get install chromium)
	$(PY) tests/e2e/screenshots.py

check: $(STAMP)  ## validate the knowledge files
	$(PY) -m bot check

bench: $(STAMP)  ## measure load time, latency, throughput and memory
	$(PY) tests/benchmark.py

load: $(STAMP)  ## many simulated users through several converse processes sharing one database
	$(PY) tests/load.py

eval: $(STAMP)  ## the assistant and BM25 side by side on each development set (both halves), then conversations
	$(PY) tests/eval_report.py

model: $(STAMP)  ## retrain the learned risk weights (guidance/risk_model.json) after adding example messages
	$(PY) tests/train_risk_model.py

clean:
	rm -rf $(VENV) .pytest_cache tests/e2e/node_modules tests/cards/node_modules
