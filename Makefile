# `make ingest` and `make test` set up everything they need on a fresh Debian machine:
# missing Debian packages (scripts/system-deps.sh), then a .venv with the locked dependencies.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCK := requirements.lock
SRC ?= data/raw
OUT ?= data/processed
CODE := pipeline tests bench $(wildcard samplegen)
PRODUCERS ?= chromium,weasyprint,libreoffice,gs,reportlab
EVAL_COUNT ?= 300
EVAL_LOSSES ?= 0.5
EVAL_JOBS ?= 2
SCAN_CLASSES ?= mild,lowres,photocopy,phone,faint,seal,turned
EVAL_SCANS ?= 45
# tesserocr from source, against the system's libtesseract: its wheel bundles another tesseract,
# whose readings are not the ones measured (pipeline/ocr/tesseract_library.py)
export PIP_NO_BINARY := tesserocr

.PHONY: help setup setup-dev ingest test lint bench eval eval-scans samples lock clean screenshots replays

help:
	@echo "make ingest   set up, then ingest $(SRC) into $(OUT)"
	@echo "make test     set up with dev tools, then lint, type-check and run the whole test suite"
	@echo "make bench    throughput and accuracy benchmarks (writes bench/out/)"
	@echo "make eval     accuracy on $(EVAL_COUNT) freshly generated reports (../shared/eval): every format, printed by"
	@echo "              each of $(PRODUCERS) in turn, a share $(EVAL_LOSSES) of them with one injected loss;"
	@echo "              scored per loss kind and per producer ($(EVAL_JOBS) jobs; about 9 min on an idle 2-core machine)"
	@echo "make eval-scans  OCR accuracy per scan degradation class ($(SCAN_CLASSES)): $(EVAL_SCANS) reports"
	@echo "              (162 pages) scanned in each class, scored per class; about 40 minutes on an idle 2-core machine"
	@echo "make samples  regenerate the sample PDFs in data/raw with the generator"
	@echo "make lock     re-resolve and pin every dependency into $(LOCK)"
	@echo "make screenshots  regenerate docs/run-report.png and docs/review.png (headless Chromium)"
	@echo "make replays  record tesseract's readings of the scans the fast tests replay (tests/data/replay)"

$(VENV)/.runtime: pyproject.toml $(LOCK)
	@scripts/system-deps.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c $(LOCK) -e .
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime
	@scripts/system-deps.sh --browser --producers
	$(BIN)/python -m pip install -q -c $(LOCK) -e '.[dev]'
	@touch $@

setup: $(VENV)/.runtime
setup-dev: $(VENV)/.dev

ingest: setup
	$(BIN)/python -m pipeline ingest $(SRC) --dataset $(OUT)

lint: setup-dev
	$(BIN)/ruff check $(CODE)
	$(BIN)/ruff format --check $(CODE)
	$(BIN)/mypy pipeline $(wildcard samplegen)
	$(BIN)/python -m scripts.check_layers

test: lint
	$(BIN)/python -m pytest -q

bench: setup-dev
	@scripts/system-deps.sh --bench
	$(BIN)/python -m bench.run

samples: setup
	rm -rf data/raw/pdf data/raw/scan data/raw/truth data/raw/MANIFEST.tsv
	$(BIN)/python -m samplegen --out data/raw --count 6 --seed 2026 --scans 2

screenshots: setup-dev
	$(BIN)/python -m scripts.screenshots

eval: setup-dev
	$(BIN)/python -m bench.eval_generated --count $(EVAL_COUNT) --losses $(EVAL_LOSSES) --jobs $(EVAL_JOBS) \
		--producers $(PRODUCERS)

eval-scans: setup-dev
	$(BIN)/python -m bench.eval_generated --count $(EVAL_SCANS) --scans $(EVAL_SCANS) --losses 0 \
		--scan-classes $(SCAN_CLASSES)

replays: setup-dev
	$(BIN)/python -m scripts.record_replays

lock:
	rm -rf /tmp/lock-venv && $(PYTHON) -m venv /tmp/lock-venv
	/tmp/lock-venv/bin/pip install -q --upgrade pip
	/tmp/lock-venv/bin/pip install -q -e '.[dev]'
	/tmp/lock-venv/bin/pip freeze --exclude-editable | grep -v '^-e' > $(LOCK)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
