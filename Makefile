PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
INDEX  ?= var/index
STAMP  := $(VENV)/.installed

.PHONY: run test index install clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml setup.cfg
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Rebuild the index when it is missing or any corpus file is newer than it.
$(INDEX)/current: $(STAMP) $(wildcard corpus/*.txt)
	$(BIN)/pressearchiv index corpus --rebuild --index $(INDEX)
	touch -h $(INDEX)/current

index: $(INDEX)/current

# An index of an older schema version is rebuilt rather than refused.
run: index
	@$(BIN)/pressearchiv stats --index $(INDEX) >/dev/null 2>&1 \
		|| $(BIN)/pressearchiv index corpus --rebuild --index $(INDEX)
	$(BIN)/pressearchiv serve --index $(INDEX) --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/rebuild.py

clean:
	rm -rf $(VENV) var build *.egg-info
