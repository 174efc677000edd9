# Permis en ligne — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The tests run on PostgreSQL and Redis (the local servers unless told otherwise).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
TEST_REDIS_URL ?= redis://127.0.0.1:6379/1
# pytest-xdist workers: one per core, at most 4 (each takes the next Redis database, see
# tests/parallele.py); tests sharing a module-scoped set-up or the production stack stay together.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); echo $$(( n > 4 ? 4 : n )))

.PHONY: help run test lint format migrations-check install lock demo worker beat clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

# Installs exactly what the lock file pins, every file checked against its hash (PyPI only).
# Debian packages, installed when missing (as root) or named with the command to run:
# venv for make install, Pango (WeasyPrint, imported by the URLconf) for run and test, and
# what the tests drive: Chromium, Caddy, a Redis server and ClamAV's clamd.
DEBIAN := PYTHON=$(PYTHON) scripts/debian.sh
PANGO := "lib:libpango-1.0.so.0=libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"
DEBIAN_TEST := /usr/bin/chromium:chromium caddy:caddy redis-server:redis-server \
	/usr/sbin/clamd:clamav-daemon

$(STAMP): requirements-dev.txt pyproject.toml
	@test -x $(BIN)/python || $(DEBIAN) "make install" "py:ensurepip=python3-venv"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

install: $(STAMP) ## Create the virtualenv and install the portal with its dev tools, from the lock file

# The lock: requirements.txt (runtime: the image) and requirements-dev.txt (runtime + dev:
# make install, CI), resolved from pyproject.toml for Python 3.11 on every platform, with the
# hashes of every file. Existing pins are kept unless pyproject.toml needs otherwise;
# `make lock UPGRADE=1` moves everything to the newest allowed releases.
LOCK_FLAGS = --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command "make lock" $(if $(UPGRADE),--upgrade)

lock: ## Regenerate the lock files (pinned, hashed) from pyproject.toml; UPGRADE=1 to upgrade
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml $(LOCK_FLAGS) -o requirements.txt
	$(BIN)/uv pip compile pyproject.toml $(LOCK_FLAGS) --extra dev -c requirements.txt \
		-o requirements-dev.txt

run: $(STAMP) ## Serve the portal on http://127.0.0.1:8000 (SQLite and demo data unless DATABASE_URL is set)
	@$(DEBIAN) "make run" $(PANGO)
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
	@$(DEBIAN) "make test" $(PANGO) $(DEBIAN_TEST)
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(BIN)/python manage.py verifier_services
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(BIN)/pytest --create-db -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

worker: $(STAMP) ## Run a Celery worker (needs REDIS_URL)
	$(BIN)/celery -A permis worker --loglevel=info

beat: $(STAMP) ## Run Celery beat, the clock of the time-driven transitions (needs REDIS_URL)
	$(BIN)/celery -A permis beat --loglevel=info

clean: ## Remove the virtualenv and local data (SQLite, mails, private files)
	rm -rf $(VENV) var
