# CIMO: `make build` and `make test` set up everything they need on a fresh
# machine (a virtualenv, and Debian packages when run as root), then run.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.DEFAULT_GOAL := build
.PHONY: build test lint fmt bench bench-serve system-build system-test clean

# --- Debian packages --------------------------------------------------------
# A JRE for HermiT (the reasoner runs in Java). For the tests: a JDK and the OWL
# API (Protégé's library), raptor, Apache httpd, Chromium and Virtuoso, so the
# release is checked by the tools its users run.
system-build:
	@command -v java >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends default-jre-headless; }
	@command -v npm >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm; }

system-test: system-build
	@missing=""; \
	command -v javac >/dev/null 2>&1 || missing="$$missing default-jdk-headless"; \
	[ -f /usr/share/java/owlapi-api.jar ] || missing="$$missing libowlapi-java"; \
	command -v rapper >/dev/null 2>&1 || missing="$$missing raptor2-utils"; \
	command -v apache2 >/dev/null 2>&1 || [ -x /usr/sbin/apache2 ] || missing="$$missing apache2"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium chromium-driver"; \
	command -v virtuoso-t >/dev/null 2>&1 || missing="$$missing virtuoso-opensource-7-bin"; \
	if [ -n "$$missing" ]; then \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# --- Python environment -----------------------------------------------------
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,bench]'
	touch $@

# YASGUI for the query page comes from npm, pinned by package-lock.json.
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package-lock.json
	npm ci --no-audit --no-fund

# --- Targets ----------------------------------------------------------------
build: system-build $(STAMP) $(NODE_STAMP)
	$(BIN)/cimo build

test: system-test $(STAMP) $(NODE_STAMP) lint
	$(BIN)/cimo build
	$(BIN)/python -m pytest

# Static checks: ruff, the Turtle formatting, and the import contracts in
# .importlinter (no cycles between packages; dependencies point downward).
lint: $(STAMP)
	$(BIN)/ruff check scripts tests bench
	$(BIN)/cimo fmt --check
	PYTHONPATH=scripts $(BIN)/lint-imports --no-cache

fmt: $(STAMP)
	$(BIN)/cimo fmt

bench: system-test $(STAMP) $(NODE_STAMP)
	$(BIN)/cimo build
	$(BIN)/python bench/run_all.py

bench-serve: build
	$(BIN)/python bench/load_serve.py

clean:
	rm -rf build .build.tmp-* .build.old-* tests/output
