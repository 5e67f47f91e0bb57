# CIMO: `make build` and `make test` set up everything they need on a fresh
# machine (a virtualenv, and Debian packages when run as root), then run.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.DEFAULT_GOAL := build
.PHONY: build test lint lock fmt bench bench-serve fuzz fuzz-http fuzz-validate system-build system-test clean

# --- Debian packages --------------------------------------------------------
# A JDK and the OWL API (Protégé's library, Debian libowlapi-java): HermiT runs in
# Java, and cimo.owl, cimo.ofn and cimo.obo are written by the OWL API through a
# small converter compiled at build time. For the tests: raptor, Apache httpd,
# Chromium and Virtuoso, so the release is checked by the tools its users run.
system-build:
	@missing=""; \
	command -v javac >/dev/null 2>&1 || missing="$$missing default-jdk-headless"; \
	[ -f /usr/share/java/owlapi-api.jar ] || missing="$$missing libowlapi-java"; \
	if [ -n "$$missing" ]; then \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@command -v npm >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm; }

system-test: system-build
	@missing=""; \
	[ -f /usr/share/java/jsonld-java.jar ] || missing="$$missing libjsonld-java"; \
	[ -f /usr/share/java/httpclient.jar ] || missing="$$missing libhttpclient-java"; \
	command -v rapper >/dev/null 2>&1 || missing="$$missing raptor2-utils"; \
	command -v apache2 >/dev/null 2>&1 || [ -x /usr/sbin/apache2 ] || missing="$$missing apache2"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium chromium-driver"; \
	command -v virtuoso-t >/dev/null 2>&1 || missing="$$missing virtuoso-opensource-7-bin"; \
	if [ -n "$$missing" ]; then \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# --- Python environment -----------------------------------------------------
# Every Python package comes from a lock file with hashes (requirements/*.txt,
# made by `make lock` from pyproject.toml): run.txt for `make build`, dev.txt
# (plus the test, lint, bench and lock extras) for `make test`. The package
# itself is then installed without dependencies, so nothing unlocked slips in.
LOCK_RUN  := requirements/run.txt
LOCK_DEV  := requirements/dev.txt
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
LOCK_FLAGS := --python-version 3.11 --python-platform x86_64-unknown-linux-gnu \
	--generate-hashes --custom-compile-command "make lock" --quiet

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): $(LOCK_RUN) pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --require-hashes -r $(LOCK_RUN)
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(DEV_STAMP): $(LOCK_DEV) pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --require-hashes -r $(LOCK_DEV)
	$(BIN)/pip install -q --no-deps -e .
	touch $@ $(RUN_STAMP)

# Re-resolve the locks after a change to pyproject.toml's dependencies. Pins
# already in the lock files are kept; only what changed is resolved anew.
lock: $(DEV_STAMP)
	$(BIN)/uv pip compile pyproject.toml $(LOCK_FLAGS) \
	  --extra test --extra lint --extra bench --extra lock -o $(LOCK_DEV)
	$(BIN)/uv pip compile pyproject.toml $(LOCK_FLAGS) -c $(LOCK_DEV) -o $(LOCK_RUN)

# YASGUI for the query page comes from npm, pinned by package-lock.json.
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package-lock.json
	npm ci --no-audit --no-fund

# --- Targets ----------------------------------------------------------------
build: system-build $(RUN_STAMP) $(NODE_STAMP)
	$(BIN)/cimo build

# The suite runs on every core (pytest-xdist; TEST_WORKERS=0 runs it in one process).
TEST_WORKERS ?= auto
# The tests build the release themselves (once per test process, into a temporary
# folder: tests/conftest.py), so `make test` does not also build build/.
test: system-test $(DEV_STAMP) $(NODE_STAMP) lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal --durations=10

# Static checks: ruff (lint and format), the Turtle formatting, mypy in strict
# mode (configured in pyproject.toml), and the import contracts in .importlinter
# (no cycles between packages; dependencies point downward).
lint: $(DEV_STAMP)
	$(BIN)/ruff check scripts tests bench
	$(BIN)/ruff format --check scripts tests bench
	$(BIN)/cimo fmt --check
	$(BIN)/mypy
	PYTHONPATH=scripts $(BIN)/lint-imports --no-cache

fmt: $(RUN_STAMP)
	$(BIN)/cimo fmt

bench: system-test $(DEV_STAMP) $(NODE_STAMP)
	$(BIN)/cimo build
	$(BIN)/python bench/run_all.py

bench-serve: build
	$(BIN)/python bench/load_serve.py
	$(BIN)/python bench/quick_lane.py

# Bounded fuzzing of cimo serve's HTTP request parsing (not part of `make test` or CI).
fuzz-http: build
	$(BIN)/python bench/fuzz_http.py --duration 120

# Fuzzing for a bounded time (not part of `make test`); findings go to tests/output/.
FUZZ_SECONDS ?= 180
fuzz: fuzz-validate fuzz-http

fuzz-validate: $(STAMP)
	$(BIN)/python bench/fuzz_validate.py --seconds $(FUZZ_SECONDS)

clean:
	rm -rf build .build.tmp-* .build.old-* tests/output
