# Oficina monorepo: the two commands of the README.
#   make run   the whole system locally: database, migrations, demo data, the API and the auth
#              function behind a local gateway on one port (http://127.0.0.1:8000)
#   make test  every folder's lint and tests (what CI runs)
PYTHON ?= python3
# Folders with their own Makefile (future repositories), in dependency order.
FOLDERS := oficina-flask lambda-cpf infra-kubernetes

.PHONY: run test $(FOLDERS)

run:
	$(PYTHON) devstack/run.py

test:
	@failed=""; \
	for d in $(FOLDERS); do \
		echo "==> $$d: make lint test"; \
		$(MAKE) --no-print-directory -C $$d lint test || failed="$$failed $$d"; \
	done; \
	if [ -n "$$failed" ]; then echo "FAILED:$$failed"; exit 1; fi; \
	echo "all folders passed: $(FOLDERS)"
