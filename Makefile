# Batch vs Streaming Data in AI: set-up, build, preview and tests.
# Every set-up step is a stamp file, so a second run with nothing changed does no work.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

# Reproducible output: build dates come from the last commit, not the clock.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 315532800)
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

RUNNER_SRC := web/build.mjs $(wildcard web/src/*.js web/src/*.css)
RUNNER_OUT := overrides/assets/javascripts/runner/.stamp

.PHONY: help setup build serve chromium browsers properdocs test test-engines java jdk lint format bench offline clean
.PHONY: mutation stress

help:
	@echo "make serve    install everything and preview the site on http://$(HOST):$(PORT)/"
	@echo "make build    write the static site to site/"
	@echo "make test     install what tests need and run them all"
	@echo "make test-engines  also compare the simulations with Apache Flink and Spark"
	@echo "make offline  zip the built site with its launcher into dist/"
	@echo "make bench    print speed and size figures"
	@echo "make lint     ruff check and format check"
	@echo "make stress   browser suites run again and again with every core busy (not CI)"
	@echo "make mutation [MODULE=joins]  mutation score per module of simulations/ (slow)"

# The project itself is installed too (editable): that registers the coursekit MkDocs plugin.
$(BIN)/.site-stamp: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-build-isolation --no-deps -e .
	touch $@

$(BIN)/.dev-stamp: requirements-dev.txt $(BIN)/.site-stamp
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(RUNNER_OUT): node_modules/.stamp $(RUNNER_SRC)
	npm run --silent build
	touch $@

setup: $(BIN)/.site-stamp $(RUNNER_OUT)

build: setup
	$(BIN)/mkdocs build --strict

# Served at the root of the address (not under the published site_url's path).
serve: setup
	SITE_URL=http://$(HOST):$(PORT)/ $(BIN)/mkdocs serve --strict --dev-addr $(HOST):$(PORT)

chromium:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Browser tests need Debian's Chromium: sudo apt-get install chromium"; exit 1; fi; }

# Firefox and WebKit for the cross-browser tests: Debian's packages, never a browser download.
BROWSER_PACKAGES := firefox-esr webkit2gtk-driver libwebkit2gtk-4.1-0 xvfb xauth
browsers: chromium
	@test -x /usr/bin/firefox-esr -a -x /usr/bin/WebKitWebDriver -a -x /usr/bin/xvfb-run -a -x /usr/bin/xauth || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq $(BROWSER_PACKAGES) >/dev/null; \
	  else echo "Browser tests need: sudo apt-get install $(BROWSER_PACKAGES)"; exit 1; fi; }

# The same site built by ProperDocs (the maintained fork of MkDocs 1.6), compared in tests/build.
properdocs: $(BIN)/.dev-stamp setup
	$(BIN)/properdocs build --strict --config-file mkdocs.yml --site-dir site-properdocs

# The derandomized Hypothesis profile (tests/conftest.py): every run draws the same examples.
# pytest's exit code 5 means it collected no test at all: say so, and fail.
test: $(BIN)/.dev-stamp .venv-beam/.stamp build browsers properdocs
	node --test --test-force-exit web/test/*.test.js
	HYPOTHESIS_PROFILE=$${HYPOTHESIS_PROFILE:-ci} $(BIN)/python -m pytest; status=$$?; \
	if [ $$status = 5 ]; then echo "make test: pytest collected no tests (exit code 5)" >&2; fi; \
	exit $$status

# Real engines for tests/engines/, each in its own virtualenv (PyFlink pins an older apache-beam).
# Beam runs with `make test`; Flink and Spark need Java 17 and run with `make test-engines`.
.venv-%/.stamp: tests/engines/requirements-%.txt
	test -x .venv-$*/bin/python || $(PYTHON) -m venv .venv-$*
	.venv-$*/bin/python -m pip install --quiet --disable-pip-version-check -r $<
	touch $@

java:
	@command -v java >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null; \
	  else echo "Flink and Spark need Java 17: sudo apt-get install openjdk-17-jre-headless"; exit 1; fi; }

# The Flink suite's watermark generator (tests/engines/flink/) is Java: compiled against the
# virtualenv's own Flink jars.
jdk: java
	@command -v javac >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless >/dev/null; \
	  else echo "The Flink suite compiles Java: sudo apt-get install openjdk-17-jdk-headless"; exit 1; fi; }

.venv-flink/per-event-watermarks.jar: tests/engines/flink/PerEventWatermarks.java .venv-flink/.stamp | jdk
	rm -rf .venv-flink/classes
	javac -d .venv-flink/classes -cp "$$(echo .venv-flink/lib/python3*/site-packages/pyflink/lib)/*" $<
	jar cf $@ -C .venv-flink/classes .

test-engines: $(BIN)/.dev-stamp .venv-beam/.stamp .venv-spark/.stamp .venv-flink/per-event-watermarks.jar java
	ENGINE_SUITES="flink spark" $(BIN)/python -m pytest tests/engines

lint: $(BIN)/.dev-stamp
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/.dev-stamp
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(BIN)/.dev-stamp build browsers
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/browser.py
	$(BIN)/python bench/file_url.py
	$(BIN)/python bench/browsers.py
	$(BIN)/python bench/serve.py
	$(BIN)/python bench/exercises.py

offline: build
	$(BIN)/python offline/bundle.py site dist/batch-vs-streaming-course.zip

# Mutation testing: its own virtualenv (mutmut pins its own dependencies), results in mutants/.
.venv-mutation/.stamp: requirements-mutation.txt
	test -x .venv-mutation/bin/python || $(PYTHON) -m venv .venv-mutation
	.venv-mutation/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-mutation.txt
	touch $@

# MODULE=joins runs one module of simulations/ (minutes); without it, all of them (hours).
# RETRY=1 reruns only the mutants that survived the last run (after adding tests).
mutation: .venv-mutation/.stamp
	$(PYTHON) bench/mutation.py .venv-mutation/bin/mutmut $(if $(MODULE),--module $(MODULE)) $(if $(RETRY),--retry)

# Flaky browser tests show under load: STRESS_RUNS runs of STRESS_TESTS, one busy loop per core.
STRESS_RUNS ?= 10
STRESS_TESTS ?= tests/browser
stress: $(BIN)/.dev-stamp build browsers
	STRESS_RUNS=$(STRESS_RUNS) $(BIN)/python bench/stress.py $(STRESS_TESTS)

clean:
	rm -rf site site-properdocs dist .cache overrides/assets/javascripts/runner
