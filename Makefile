# Redbridge staff portal. `make run` to use it, `make test` to check it.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: install run test test-e2e serve bench lint format clean lock

# Every package is locked with its hashes (requirements*.txt, compiled from requirements*.in by
# `make lock`); pip refuses anything that does not match.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes \
		-r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed

## lock: after editing requirements.in or requirements-dev.in, lock every package with hashes
## (UPGRADE=1 also moves the unpinned dependencies to their newest versions)
PIP_TOOLS := pip-tools==7.6.2
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --generate-hashes \
	--allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links \
	$(if $(UPGRADE),--upgrade)
lock:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(BIN)/pip-compile || $(BIN)/python -m pip install --quiet "$(PIP_TOOLS)"
	$(PIP_COMPILE) --output-file requirements.txt requirements.in
	$(PIP_COMPILE) --output-file requirements-dev.txt requirements-dev.in
	$(BIN)/python .ci/check_lock.py

## run: the whole portal (web, Celery worker and beat) on SQLite and a file-based broker
run: export DEBUG ?= true
run: export PORTAL_PORT ?= $(PORT)
run: install
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_data
	@echo
	@echo "Redbridge staff portal: http://127.0.0.1:$(PORT)/"
	@$(BIN)/python manage.py demo_logins
	@echo "Press Ctrl-C to stop the web server, the worker and beat."
	@echo
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile start -p $(PORT)

## test: lint, format check and the whole test suite
test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

## serve: the production server (gunicorn); settings come from the environment
serve: install
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/gunicorn redbridge_portal.wsgi --bind 127.0.0.1:$(PORT) --workers 2

## bench: the performance benchmark against PostgreSQL and Redis (see README, "Benchmark")
bench: install
	$(BIN)/python -m bench.run

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf var/db.sqlite3 var/celery-broker var/staticfiles var/cache
