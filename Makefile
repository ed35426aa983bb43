# Two commands do everything on a fresh machine:
#   make demo   set up what is missing, then run mathlint on the bundled example post
#   make test   set up what is missing, then run the test suite (.ci/run calls this)
VENV   ?= .venv
PYTHON ?= python3
PY      = $(VENV)/bin/python

.PHONY: setup demo test tex clean

setup: $(VENV)/.installed tex

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

tex:
	@bash scripts/setup-tex.sh

demo: setup
	mkdir -p build
	$(VENV)/bin/mathlint parse examples/softmax.md
	$(VENV)/bin/mathlint parse examples/softmax.md --format json > build/example-parse.json
	@echo "wrote build/example-parse.json"

test: setup
	$(PY) -m pytest -q; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$rc

clean:
	rm -rf $(VENV) build .pytest_cache
