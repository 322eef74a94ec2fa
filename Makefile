# Two commands set up everything on a fresh machine (Python 3.11 and make):
#   make demo   generate the Nanhe scenario, run the pipeline, serve the dashboard
#   make test   run the test suite (everything CI runs)
#   make test-fast  the unit tests only (no dbt, no browser)
#   make test EXTRAS=dev,spark   the same with the Spark extra (what .ci/run does: the parity test runs)
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
# Optional dependency groups to install: `dev` by default (light); `dev,spark` adds Spark (needs Java 17).
EXTRAS ?= dev
comma  := ,
STAMP  := $(VENV)/.installed-$(subst $(comma),-,$(EXTRAS))
# With the Spark extra asked for, the Spark tests must run: missing Java or pyspark fails them, never skips them.
REQUIRE_SPARK := $(if $(findstring spark,$(EXTRAS)),1,)

.PHONY: demo test test-fast lint install clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[$(EXTRAS)]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/fanzha demo

test: $(STAMP)
	$(BIN)/ruff check .
	FANZHA_REQUIRE_SPARK=$(REQUIRE_SPARK) $(BIN)/python -m pytest

# The inner loop: unit tests only (no dbt build, no demo pipeline, no browser, no Spark), well under a minute.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not e2e and not browser and not dbt and not spark"

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) warehouse/target warehouse/logs
