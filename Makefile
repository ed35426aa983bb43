# Two commands do everything on a fresh machine:
#   make demo   set up what is missing, then check the bundled example post and write build/example-report.pdf
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

# The example post has real errors, so `mathlint check` exits 1 on it: that is the expected outcome.
demo: setup
	mkdir -p build
	$(VENV)/bin/mathlint check examples/softmax.md --report build/example-report.pdf; rc=$$?; [ $$rc -le 1 ] || exit $$rc

test: setup
	$(PY) -m pytest -q; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$rc

clean:
	rm -rf $(VENV) build .pytest_cache
