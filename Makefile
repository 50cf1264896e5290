# Kompetansebro: everyday commands. `make help` lists them; docs/operations.md covers production.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.11
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
KB := $(BIN)/kompetansebro

# Stamps: each step reruns only when what it was made from changed.
LOCK := requirements.lock
VENV_STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.kompetansebro-npm-ci
BUILD_STAMP := node_modules/.kompetansebro-build
MESSAGES_STAMP := $(VENV)/.messages-compiled
DIST_DIR := kompetansebro/core/static/dist
FRONTEND_SOURCES := $(shell find frontend -type f 2>/dev/null)
PO_FILES := $(shell find kompetansebro -name '*.po' 2>/dev/null)
MISSING_MO := $(filter-out $(wildcard $(PO_FILES:.po=.mo)),$(PO_FILES:.po=.mo))

.PHONY: help install lock assets messages run test check-deploy clean

help: ## list the targets
	@awk -F ':.*## ' '/^[a-z][a-z-]*:.*## / { printf "  make %-14s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

install: $(VENV_STAMP) assets messages ## virtualenv with the package and test tools, front-end assets, translations

# WeasyPrint (the PDF notices and minutes) draws with Pango and needs a font.
# Every package comes from the lock file, exactly and hash-checked; the project itself is installed on top.
$(VENV_STAMP): pyproject.toml $(LOCK)
	@scripts/apt-ensure.sh libpango-1.0-0='/usr/lib/*/libpango-1.0.so.0' libpangoft2-1.0-0='/usr/lib/*/libpangoft2-1.0.so.0' \
		fonts-dejavu-core=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
	@test -x $(BIN)/python || { echo ">>> creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	$(BIN)/pip install --disable-pip-version-check --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/pip install --disable-pip-version-check --quiet --no-deps -e .
	$(BIN)/pip check
	@touch $@

# uv resolves pyproject.toml (with the test extra) for Python 3.11 on Linux; each pin lists the hashes of all
# its files on PyPI, so the same lock installs on x86_64 and aarch64.
lock: ## rewrite requirements.lock from pyproject.toml (after changing a dependency; commit both)
	@test -x $(BIN)/uv || $(MAKE) --no-print-directory $(VENV_STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11 \
		--python-platform linux --quiet -o $(LOCK)

assets: ## front-end assets into kompetansebro/core/static/dist (npm ci + npm run build, when changed)
ifeq ($(wildcard package.json),)
	@echo ">>> no package.json yet: skipping the front-end assets"
else
	@$(MAKE) --no-print-directory $(BUILD_STAMP)
endif

$(NPM_STAMP): package.json $(wildcard package-lock.json)
	@if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; \
	else echo ">>> no package-lock.json: npm install (commit the lock file it writes)"; npm install --no-audit --no-fund; fi
	@touch $@

# Also rebuilt when the output folder has gone missing.
$(BUILD_STAMP): $(NPM_STAMP) $(FRONTEND_SOURCES) $(if $(wildcard $(DIST_DIR)),,FORCE)
	npm run build
	@touch $@

messages: $(MESSAGES_STAMP) ## compile the translations (.po to .mo)

# Also recompiled when a .mo file has gone missing.
$(MESSAGES_STAMP): $(VENV_STAMP) $(PO_FILES) $(if $(MISSING_MO),FORCE)
	@scripts/apt-ensure.sh gettext=msgfmt
	$(KB) compilemessages --ignore=.venv --ignore=node_modules
	@touch $@

.PHONY: FORCE
FORCE:

run: install ## development server on http://127.0.0.1:8000 (or PORT=...) with reference and demo data
	@mkdir -p "$${KOMPETANSEBRO_VAR_DIR:-var}"
	DEBUG=true $(KB) migrate --no-input
	DEBUG=true $(KB) load-reference
	@if DEBUG=true $(KB) help demo >/dev/null 2>&1; then DEBUG=true $(KB) demo; \
	else echo ">>> the demo command does not exist yet: no demo data loaded"; fi
	@# The periodic jobs cron runs in production (docs/operations.md); their e-mails go to files here.
	DEBUG=true EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend $(KB) send-task-reminders
	DEBUG=true EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend $(KB) send-project-reminders
	@echo ">>> reminder e-mails written to $${KOMPETANSEBRO_VAR_DIR:-var}/mail/"
	@echo ">>> Kompetansebro: http://127.0.0.1:$(PORT)/"
	DEBUG=true $(KB) runserver 127.0.0.1:$(PORT)

test: ## everything CI checks: ruff, migrations, pytest on SQLite (with browser tests) and on PostgreSQL
	@MAKE="$(MAKE)" scripts/test.sh

check-deploy: $(VENV_STAMP) ## Django's deployment check with production settings (fails on warnings)
	@mkdir -p var
	KOMPETANSEBRO_ENV=production DEBUG=false \
	SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	ALLOWED_HOSTS=kompetansebro.example.no CSRF_TRUSTED_ORIGINS=https://kompetansebro.example.no TRUSTED_PROXIES=127.0.0.1 \
	SITE_URL=https://kompetansebro.example.no DATABASE_URL="sqlite:///$(CURDIR)/var/check-deploy.sqlite3" \
	$(KB) check --deploy --fail-level WARNING

clean: ## remove .venv, node_modules, var/ (the development database!), staticfiles and built assets
	rm -rf $(VENV) node_modules var staticfiles $(DIST_DIR) test-results kompetansebro.egg-info
