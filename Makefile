# make all: build every seed into build/; make test: the test suite (with lint); make bench: figures.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SEEDS := $(wildcard seeds/*.txt)

.PHONY: all json docx epub pdf test quick lint pytest bench clean train evaluate

all: $(STAMP)
	$(BIN)/compiler build $(SEEDS) --to json,docx,epub,pdf -o build
	$(BIN)/compiler build --book seeds/book.yaml --to json,docx,epub,pdf -o build

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m compileall -q src  # bytecode even where PYTHONDONTWRITEBYTECODE is set
	touch $(STAMP)

json: $(STAMP)
	$(BIN)/compiler build $(SEEDS) --to json -o build

docx: $(STAMP)
	$(BIN)/compiler build $(SEEDS) --to docx -o build

epub: $(STAMP)
	$(BIN)/compiler build $(SEEDS) --to epub -o build

pdf: $(STAMP)
	$(BIN)/compiler build $(SEEDS) --to pdf -o build

test: lint pytest

pytest: $(STAMP)
	$(BIN)/pytest -q

quick: $(STAMP)  # everything but the tests marked slow (epubcheck, training, wheel install): under a minute
	$(BIN)/pytest -q -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m compileall -q src
	$(BIN)/python bench/run.py

train: $(STAMP)  # relearn the structure tagger, then the repair model, from the corpus's tuning part
	$(BIN)/python -m tests.corpus.train
	$(BIN)/python -m tests.corpus.train_repair

evaluate: $(STAMP)  # structure and recovery on the test part (figures quoted in the README)
	$(BIN)/pytest -q -s tests/corpus/test_recovery.py

clean:
	rm -rf build
