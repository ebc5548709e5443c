# Oficina monorepo: the two commands of the README.
#   make run   the whole system locally: database, migrations, demo data, the API and the auth
#              function behind a local gateway on one port (http://127.0.0.1:8000)
#   make test  every folder's lint and tests, then the end-to-end tests (what CI runs)
PYTHON ?= python3
# Folders with their own Makefile (future repositories).
FOLDERS := oficina-flask lambda-cpf infra-postgres infra-kubernetes analytics-dbt er-diagrams delivery

.PHONY: run test e2e

run:
	$(PYTHON) devstack/run.py

test:
	@failed=""; \
	for d in $(FOLDERS); do \
		echo "==> $$d: make lint test"; \
		$(MAKE) --no-print-directory -C $$d lint test || failed="$$failed $$d"; \
	done; \
	echo "==> end to end (devstack/tests)"; \
	$(MAKE) --no-print-directory e2e || failed="$$failed e2e"; \
	if [ -n "$$failed" ]; then echo "FAILED:$$failed"; exit 1; fi; \
	echo "all passed: $(FOLDERS) e2e"

# The stack of `make run`, driven through the gateway (uses oficina-flask's environment).
e2e:
	$(MAKE) --no-print-directory -C oficina-flask .venv/.synced tools/node_modules/.installed
	$(MAKE) --no-print-directory -C lambda-cpf .venv/.synced
	$(MAKE) --no-print-directory -C er-diagrams node_modules/.installed /usr/bin/chromium
	oficina-flask/.venv/bin/python -m pytest -q -p no:cacheprovider devstack/tests
