# The two commands of the README: `make run` and `make test`. Everything else supports them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
SECRET := .secret_key
PORT ?= 8000

.PHONY: run test lint format install migrate demo worker beat e2e bench faults clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@rm -f $(VENV)/.installed-*
	@touch $@

$(SECRET):
	@$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	@chmod 600 $@

install: $(STAMP) $(SECRET)

migrate: install
	$(PY) manage.py migrate --noinput

# The links in the demo's emails point at the port served.
demo: migrate
	DEMO_PORT=$(PORT) PORTAL_BASE_URL=http://127.0.0.1:$(PORT) $(PY) manage.py load_demo

# Serves the demo on http://127.0.0.1:$(PORT) (plain http on this machine only);
# `make run PORT=8001` when 8000 is taken.
run: demo
	@DJANGO_HTTPS=0 $(PY) manage.py collectstatic --noinput --verbosity 0
	DJANGO_HTTPS=0 DEMO_PORT=$(PORT) PORTAL_BASE_URL=http://127.0.0.1:$(PORT) $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install lint
	$(PY) -m pytest -p tests.workers -n auto --maxprocesses 4 --dist loadgroup

e2e: install
	$(PY) -m pytest tests/e2e

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The portal measured on a state the size of the largest, beside the demo, against the bars
# of QUALITY.md (README, Performance). Needs PostgreSQL (BENCH_POSTGRES_URL, by default the
# local one); builds its states once into smt_bench* databases. BENCH_ARGS passes options,
# e.g. BENCH_ARGS=--no-fail; `.venv/bin/python -m bench run --help` lists them.
bench: install
	$(PY) -m bench run $(BENCH_ARGS)

# PostgreSQL restarted under requests: the 503 page, recovery, nothing half-written.
# DISRUPTIVE: restarts the local cluster, cutting off every other connection to it; it
# refuses while others are connected unless FAULTS_FORCE=1.
faults: install
	$(PY) -m bench faults $(if $(FAULTS_FORCE),--force)

# With REDIS_URL set: the real Celery worker and scheduler (beat reads the schedule from
# the database: digests/schedule.py). Emails go through DJANGO_EMAIL_BACKEND (the console).
worker: install
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL (e.g. redis://127.0.0.1:6379/0): without a broker, tasks run inline in the web process."; exit 2; }
	PORTAL_BASE_URL=http://127.0.0.1:$(PORT) $(VENV)/bin/celery -A smt_portal worker --loglevel=info

beat: install
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) for beat to send tasks to the worker."; exit 2; }
	$(VENV)/bin/celery -A smt_portal beat --loglevel=info

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache .ruff_cache test-artifacts bench-results sent-mail
