# Set-up and checks. `make book` builds the book, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: book translations test unit js-tests notebooks seeds lint html-tests \
	lab chromium benchmark clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[book,test,lint]'
	touch $(STAMP)

# Every kernel of the environment draws figures as the book shows them (SVG):
# nbval must draw what scripts/execute_notebooks.py stored.
KERNEL_CONFIG := $(VENV)/etc/ipython/ipython_kernel_config.py
$(KERNEL_CONFIG): | $(STAMP)
	mkdir -p $(@D)
	ln -sf ../../../scripts/ipython_kernel_config.py $@

# Its Jupyter server sends each kernel message at once (TCP_NODELAY): a click
# in the explorer shows in about 20 ms instead of 55.
SERVER_CONFIG := $(VENV)/etc/jupyter/jupyter_server_config.py
$(SERVER_CONFIG): | $(STAMP)
	mkdir -p $(@D)
	ln -sf ../../../scripts/jupyter_server_config.py $@

## book: build the HTML book from the notebooks' stored outputs, the English
## edition into _build/html and the Chinese one (from the catalogues in
## locales/zh_CN) into _build/html/zh_CN, and print where they are
book: $(STAMP) $(KERNEL_CONFIG) $(SERVER_CONFIG)
	$(BIN)/python book/build.py

## translations: bring the translation catalogues (locales/*/LC_MESSAGES/*.po)
## in step with the English sources: new messages come in untranslated,
## changed ones fuzzy; then translate them in the .po files and `make book`
translations: $(STAMP)
	$(BIN)/python scripts/translations.py update

## test: lint, unit tests, the explorer's JS tests, nbval on every
## notebook, every chapter with two other seeds, the book build and its HTML
## and browser tests, the explorer chapter in JupyterLab
test: lint unit js-tests notebooks seeds book html-tests lab

CODE := sincos tests benchmarks book scripts notebooks
lint: $(STAMP)
	$(BIN)/ruff check $(CODE)
	$(BIN)/ruff format --check $(CODE)

unit: $(STAMP)
	$(BIN)/pytest -q -n 2 -m "not book and not browser and not lab" tests

# The in-browser explorer's own tests, under node's test runner, with the
# TensorFlow.js that book/fetch_assets.sh copies for the book.
js-tests:
	bash book/fetch_assets.sh
	node --test --test-reporter=dot tests/js/

# nbval re-executes every notebook and compares it with its stored outputs, twice:
# with TensorFlow's kernels as this CPU picks them, and capped at SSE4.1, which
# rounds like another machine. Stored outputs must hold on any CPU.
NBVAL := $(BIN)/pytest -q -n 2 --dist loadfile --nbval --nbval-sanitize-with tests/sanitize.cfg
notebooks: $(STAMP) $(KERNEL_CONFIG)
	$(NBVAL) notebooks
	ONEDNN_MAX_CPU_ISA=SSE41 $(NBVAL) notebooks

# A reader may change a chapter's seed: every chapter, its hidden checks
# included, must still run top to bottom (nothing is written back).
seeds: $(STAMP) $(KERNEL_CONFIG)
	$(BIN)/python scripts/run_with_seed.py 2 3

html-tests: $(STAMP) chromium
	$(BIN)/pytest -q -n 2 -m "book or browser" tests

# The explorer chapter in JupyterLab (a temporary server, stopped with its
# kernels), run and clicked in headless Chromium.
lab: $(STAMP) $(KERNEL_CONFIG) $(SERVER_CONFIG) chromium
	$(BIN)/pytest -q -m lab tests/lab

# The browser tests drive Debian's Chromium (Playwright never downloads one here),
# with a font for the Chinese edition's pages and widgets.
chromium:
	@{ command -v chromium >/dev/null && fc-list :lang=zh 2>/dev/null | grep -q .; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else echo "install Debian's chromium and a Chinese font (sudo apt-get install chromium fonts-noto-cjk) for the browser tests"; exit 1; fi; }

benchmark: $(STAMP)
	$(BIN)/python benchmarks/train_speed.py

clean:
	rm -rf _build
