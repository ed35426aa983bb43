# Two commands do everything on a fresh machine:
#   make demo   set up what is missing, then check the bundled example post and write build/example-report.pdf
#   make test   set up what is missing, then run the test suite (.ci/run calls this)
VENV   ?= .venv
PYTHON ?= python3
PY      = $(VENV)/bin/python

.PHONY: setup demo test tex clean

setup: $(VENV)/.installed tex
	@# bytecode for mathlint's own modules (an editable install has none, and PYTHONDONTWRITEBYTECODE
	@# would have every run compile them again: 0.07 s of each check)
	@$(PY) -m compileall -q checks derivations > /dev/null

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
