# overgan: build the book and run the tests. `make book` and `make test` set up .venv
# themselves (created when missing, reinstalled when pyproject.toml changes).
#
#   make book                     execute every chapter at PROFILE=cpu, render HTML
#   make book PROFILE=smoke       the same in seconds per chapter
#   make gpu-book                 PROFILE=gpu (on a GPU runner)
#   make chapter CH=02_eigen_analysis PROFILE=cpu SEED=3 PARAMS="-p rerun True"
#   make test                     ruff, pytest, smoke execution of every chapter, jb build -W,
#                                 then the headless-Chromium check of every rendered page
#   make browser-check            only the browser check of the existing _build/html
#   make test-h200-versions       the device sessions' tests under the lent H200's versions
#                                 (tools/h200_versions.txt; Python 3.12, CPU; a 5 GB venv)

PROFILE ?= cpu
SEED ?= 0
PARAMS ?=
PYTHON ?= python3
VENV ?= .venv
TORCH_PIN ?= torch==2.14.1 torchvision==0.29.1

BIN := $(VENV)/bin
STAMP := $(VENV)/.overgan-installed
BUILD := _build
NB := $(BUILD)/notebooks
EXE := $(BUILD)/executed/$(PROFILE)
SRC := $(BUILD)/src
CHAPTERS := $(basename $(notdir $(wildcard book/[0-9][0-9]_*.md)))
# Notebook pages that are not chapters (executed after them, e.g. the status page that reads the
# results the chapters just stored).
NBPAGES := status
NOTEBOOKS := $(CHAPTERS) $(NBPAGES)
PAGES := $(filter-out $(addprefix book/,$(addsuffix .md,$(NOTEBOOKS))),$(wildcard book/*.md))
# The repository URL of _config.yml (source/edit/launch links point there).
REPO_URL := $(shell sed -n 's/^  url: *//p' _config.yml | head -n 1)

.PHONY: book gpu-book test lint check execute chapter chapter-name _run venv clean \
	browser-check test-h200-versions h200-python

venv: $(STAMP)

# Which checkout's overgan_lib the venv's Python imports (from / so the current folder does not
# count; $(1) is set before it, e.g. env -u PYTHONPATH); empty where none is installed.
VENV_LIB = $$(cd / && $(1) "$(abspath $(BIN))/python" -c 'import pathlib, overgan_lib; \
	print(pathlib.Path(overgan_lib.__file__).resolve().parent.parent)' 2>/dev/null)

# A venv that another checkout installed into (VENV=../other/.venv) is not re-pointed here: that
# would make the other checkout's chapters run this one's code. With PYTHONPATH putting this
# checkout's library first it is used as it is (not reinstalled, so the stamp stays old).
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@lib=$(call VENV_LIB,env -u PYTHONPATH); \
	if [ -n "$$lib" ] && [ "$$lib" != "$(CURDIR)" ] && [ -d "$$lib/overgan_lib" ]; then \
		if [ "$(call VENV_LIB,)" = "$(CURDIR)" ]; then echo "note: VENV=$(VENV) is the \
	checkout $$lib's; not reinstalled (PYTHONPATH puts this checkout's library first)"; exit 0; fi; \
		echo "error: VENV=$(VENV) holds overgan_lib installed from $$lib, another checkout: give \
	this one its own venv (the default VENV=.venv) or set PYTHONPATH=$(CURDIR)" >&2; exit 2; \
	fi; \
	set -x; $(BIN)/python -m pip install --quiet $(TORCH_PIN) && \
	$(BIN)/python -m pip install --quiet -e ".[book,dev,cluster]" && touch $@

# Validate parameters before any kernel starts: a bad value is one line, no output.
# The chapters' kernels import overgan_lib through the venv: it must be this checkout's.
check: $(STAMP)
	@lib=$(call VENV_LIB,); if [ "$$lib" != "$(CURDIR)" ]; then echo "error: VENV=$(VENV) runs \
	overgan_lib from $${lib:-nowhere}, not from this checkout ($(CURDIR)): use this checkout's own \
	venv (the default VENV=.venv) or set PYTHONPATH=$(CURDIR)" >&2; exit 2; fi
	@$(BIN)/overgan check --profile $(PROFILE) --seed $(SEED)

execute: check
	@mkdir -p $(NB) $(EXE)
	@for ch in $(NOTEBOOKS); do $(MAKE) --no-print-directory _run CH=$$ch || exit 1; done

chapter: chapter-name check
	@mkdir -p $(NB) $(EXE)
	@$(MAKE) --no-print-directory _run CH=$(CH)

# The chapter named by CH exists (checked before the parameters, so its error comes first).
chapter-name:
	@test -n "$(CH)" || { echo "usage: make chapter CH=<chapter name, e.g. 02_eigen_analysis>" >&2; exit 2; }
	@test -f book/$(CH).md || { echo "error: CH=$(CH): no book/$(CH).md; chapters: $(CHAPTERS)" >&2; exit 2; }

# One chapter: MyST -> ipynb -> papermill (written to a temp file, renamed on success); papermill's
# injected-parameters cell is tagged remove-cell so the HTML shows the parameters once.
_run:
	@$(BIN)/jupytext --quiet --to ipynb --output $(NB)/$(CH).ipynb book/$(CH).md
	@echo "executing $(CH) (profile=$(PROFILE), seed=$(SEED))"
	@OVERGAN_BOOK_BUILD=1 $(BIN)/python -m overgan_lib.bookbuild papermill -k python3 --cwd book -p profile $(PROFILE) -p seed $(SEED) $(PARAMS) \
		--log-level WARNING $(NB)/$(CH).ipynb $(EXE)/.tmp-$(CH).ipynb \
		|| { rm -f $(EXE)/.tmp-$(CH).ipynb; exit 1; }
	@$(BIN)/python -m overgan_lib.bookbuild hide-injected $(EXE)/.tmp-$(CH).ipynb
	@mv $(EXE)/.tmp-$(CH).ipynb $(EXE)/$(CH).ipynb

# Stage config, prose pages, executed notebooks and MathJax (served locally: the book reads
# offline), render with warnings as errors, then post-process the HTML (bookbuild.py: links to the .md
# sources, no duplicated inline scripts).
book: execute
	@rm -rf $(SRC) && mkdir -p $(SRC)/book
	@cp _config.yml _toc.yml references.bib $(SRC)/
	@cp $(PAGES) $(SRC)/book/
	@cp $(addprefix $(EXE)/,$(addsuffix .ipynb,$(NOTEBOOKS))) $(SRC)/book/
	@$(BIN)/python -m overgan_lib.bookbuild vendor-mathjax $(SRC)/_vendor/mathjax
	$(BIN)/jupyter-book build $(SRC) --path-output . -W --keep-going --quiet
	@$(BIN)/python -m overgan_lib.bookbuild postprocess $(BUILD)/html $(REPO_URL) $(NOTEBOOKS)
	@echo "Book ($(PROFILE) profile): $(abspath $(BUILD)/html/index.html)"

gpu-book:
	$(MAKE) book PROFILE=gpu

lint: $(STAMP)
	$(BIN)/ruff check overgan_lib tests

# pytest-xdist workers: one per usable core, at most 4 (each holds torch and decoded datasets);
# 0 runs the tests in this process. On one 2-core machine two workers took the suite from ~10 to
# ~7 minutes; on another, where both cores busy cost 30% more CPU time, the H200-versions tests
# from 7:46 to 6:04.
TEST_WORKERS ?= $(shell $(PYTHON) -c 'import os; n = len(os.sched_getaffinity(0)); \
	print(min(n, 4) if n > 1 else 0)' 2>/dev/null || echo 0)
PYTEST_WORKERS = -n $(TEST_WORKERS) --dist worksteal

test: lint
	$(BIN)/python -m pytest $(PYTEST_WORKERS) --durations=15
	$(MAKE) book PROFILE=smoke PARAMS="-p rerun True"
	$(MAKE) browser-check

# Every page of _build/html in headless Chromium, network blocked: console errors, missing
# images, broken internal links, raw math, a visible injected-parameters cell; one screenshot
# per page under _build/screenshots.
browser-check: $(STAMP)
	$(BIN)/python -m overgan_lib.browser_check $(BUILD)/html --screenshots $(BUILD)/screenshots

# The code the device sessions run (tools/gpu_session.py: training, FID, the benches) under the
# lent H200's torch, torchvision, NumPy and SciPy, on this CPU: the pinned torch here is newer,
# and a call it accepts but the device's rejects would cost device time to find.
# The first Python 3.12 that runs and can make a venv (ensurepip): python3.12 on the PATH, else
# one pyenv installed (its shim alone fails where pyenv's global version is another).
H200_PYTHON ?= $(shell for p in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3.12; do \
	$$p -c 'import sys, ensurepip; assert sys.version_info[:2] == (3, 12)' 2>/dev/null && \
	echo $$p && \
	break; done)
H200_VENV ?= .venv-h200
H200_TESTS := tests/test_gpu_session.py tests/test_runner.py tests/test_train.py \
	tests/test_fid.py tests/test_frechet.py \
	--deselect tests/test_fid.py::test_tensor_path_matches_pytorch_fid_on_pngs
# (that one, a minute here, checks pytorch-fid's PNG path, which no device command takes)
H200_STAMP := $(H200_VENV)/.overgan-installed

$(H200_STAMP): pyproject.toml tools/h200_versions.txt
	@test -n "$(H200_PYTHON)" || { echo "no Python 3.12 found (the device's is 3.12.3): give \
	one, e.g. make test-h200-versions H200_PYTHON=/path/to/python3.12"; exit 2; }
	@test -x $(H200_VENV)/bin/python || $(H200_PYTHON) -m venv $(H200_VENV)
	$(H200_VENV)/bin/python -m pip install --quiet --no-cache-dir -c tools/h200_versions.txt \
		torch torchvision numpy scipy
	$(H200_VENV)/bin/python -m pip install --quiet --no-cache-dir -c tools/h200_versions.txt \
		-e ".[book,dev]"
	@touch $@

h200-python:
	@echo $(H200_PYTHON)

test-h200-versions: $(H200_STAMP)
	@$(H200_VENV)/bin/python -c "import sys, torch, torchvision, numpy, scipy; \
	print('H200 versions on the CPU: python', sys.version.split()[0], 'torch', \
	torch.__version__, 'torchvision', torchvision.__version__, 'numpy', numpy.__version__, \
	'scipy', scipy.__version__)"
	PATH=$(abspath $(H200_VENV))/bin:$$PATH $(H200_VENV)/bin/python -m pytest -q \
		-p no:cacheprovider $(PYTEST_WORKERS) $(H200_TESTS)

clean:
	rm -rf $(BUILD)
