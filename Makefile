# Permis en ligne — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The tests run on PostgreSQL and Redis (the local servers unless told otherwise).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
TEST_REDIS_URL ?= redis://127.0.0.1:6379/1

.PHONY: help run test lint format migrations-check install demo worker beat clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## Create the virtualenv and install the portal with its dev tools

run: $(STAMP) ## Serve the portal on http://127.0.0.1:8000 (SQLite and demo data unless DATABASE_URL is set)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py charger_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

demo: $(STAMP) ## Load (or refresh) the demo accounts and requests
	$(BIN)/python manage.py charger_demo

lint: $(STAMP) ## ruff: lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## ruff: fix what can be fixed and format
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: $(STAMP) ## Fail when a model change has no migration
	$(BIN)/python manage.py makemigrations --check --dry-run

test: $(STAMP) lint migrations-check ## Lint, migrations check and the whole pytest suite on PostgreSQL + Redis
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(BIN)/python manage.py verifier_services
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(BIN)/pytest --create-db $(PYTEST_ARGS)

worker: $(STAMP) ## Run a Celery worker (needs REDIS_URL)
	$(BIN)/celery -A permis worker --loglevel=info

beat: $(STAMP) ## Run Celery beat, the clock of the time-driven transitions (needs REDIS_URL)
	$(BIN)/celery -A permis beat --loglevel=info

clean: ## Remove the virtualenv and local data (SQLite, mails, private files)
	rm -rf $(VENV) var
