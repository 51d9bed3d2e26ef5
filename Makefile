# Two commands on a fresh machine:
#   make demo   - set up, then check the bundled sample submissions
#   make test   - set up, then lint and test the rules and run the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test setup clean

$(BIN)/asa-check: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/asa-check

demo: setup
	@echo "== compliant sample: no findings expected"
	$(BIN)/asa-check check fixtures/compliant
	@echo "== sample that breaks every rule (exit code 1 expected)"
	-$(BIN)/asa-check check fixtures/violating
	@echo "== the same, as JSON in English and as a workbook (exit code 1 expected)"
	-$(BIN)/asa-check check fixtures/violating --lang en --quiet -o violating-findings.json -o violating-findings.xlsx
	@echo "   written to violating-findings.json and violating-findings.xlsx"
	@echo "== hour ledger of the compliant sample"
	$(BIN)/asa-check ledger fixtures/compliant

test: setup
	$(BIN)/asa-check rules lint
	$(BIN)/asa-check rules test
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) violating-findings.json violating-findings.xlsx
