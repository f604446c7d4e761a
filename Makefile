# Every target is a script under scripts/ (or bench/), so what make runs is readable in one place and
# runs the same without make. See README.md for the environment variables they honour.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help up test bench lint psql token clean distclean bootstrap schema

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

up: ## Install what is missing, deploy, serve the API until Ctrl-C
	@scripts/up.sh

test: ## Fresh database: sqitch deploy, pgTAP, pytest, revert to zero and redeploy
	@scripts/test.sh

bench: ## Run every bench/bench_* script and write bench/RESULTS.md
	@set -e; for b in bench/bench_*; do [[ -x $$b ]] && "$$b"; done; bench/assemble.sh

lint: ## ruff on all Python, mypy --strict on bridge/
	@scripts/lint.sh

schema: ## Write db/schema.sql, the schema of a fresh deploy (make test compares against it)
	@scripts/schema.sh

psql: ## psql on the dev database as its owner
	@scripts/psql.sh

token: ## Print a service token for the dev database: make token ROLE=content_admin|agent_service [TTL='2 hours']
	@scripts/token.sh "$(ROLE)" "$(TTL)"

bootstrap: ## Install the Debian packages, .venv and node_modules that are missing
	@scripts/bootstrap.sh

clean: ## Stop leftover processes, remove caches; keeps .data/
	@scripts/clean.sh

distclean: ## clean, and remove .data/ (dev database, secrets), .venv and node_modules
	@scripts/clean.sh --all
