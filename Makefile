# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FLASK := $(BIN)/flask --app backend

CLIENT := clients/miniprogram

.PHONY: run test test-client browser-deps contract screenshots setup migrate seed bench-booking clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

setup: $(STAMP)

migrate: setup
	$(FLASK) db upgrade

# The demo is seeded on first run only: the marker lives beside the SQLite file.
# The passwords file is readable by its owner only (umask 077), like the keys beside it.
instance/.demo-seeded:
	mkdir -p instance
	umask 077 && $(FLASK) seed-demo > instance/demo-accounts.txt
	cat instance/demo-accounts.txt
	touch $@

seed: migrate instance/.demo-seeded

run: seed
	@echo ""
	@echo "  帮办代办 is starting on http://127.0.0.1:5000"
	@echo "  API 文档 (API docs):   http://127.0.0.1:5000/api/v1/docs"
	@echo "  OpenAPI:              http://127.0.0.1:5000/api/v1/openapi.json"
	@echo "  管理后台 (admin):      http://127.0.0.1:5000/admin/"
	@echo "  登录账号与密码 (logins): instance/demo-accounts.txt (made on first run, with the demo's figures)"
	@echo "  定时任务 (scheduler):   reminders, no-shows, deadline warnings, message dispatch"
	@echo ""
	@# The web server and the scheduler together; Ctrl-C (or either one ending) stops both.
	@$(FLASK) scheduler & scheduler=$$!; \
	  trap 'kill $$scheduler 2>/dev/null; wait $$scheduler 2>/dev/null' EXIT INT TERM; \
	  $(FLASK) run --host 127.0.0.1 --port 5000

# The mini-program's client kit: npm packages from the committed lock file only.
$(CLIENT)/node_modules/.installed: $(CLIENT)/package-lock.json
	cd $(CLIENT) && npm ci --no-audit --no-fund
	touch $@

# Two workers by default (the machines have two cores; the tests wait on the databases half the
# time); TEST_WORKERS=0 runs them in one process.
TEST_WORKERS ?= 2

test: setup browser-deps
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)
	$(MAKE) test-client

# The admin's browser tests drive Debian's chromium, with a Chinese font for the screenshots
# (docs/testing.md); Playwright's own browser download cannot work here. The same font
# (fonts-wqy-microhei, PDF_FONT_PATH) draws the printable papers. Installed once.
WQY_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
browser-deps:
	@if ! command -v chromium >/dev/null || [ ! -f $(WQY_FONT) ]; then \
	  sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq \
	    --no-install-recommends chromium fonts-wqy-microhei >/dev/null; \
	fi

# tsc --strict over the kit and its tests, then the flows against the demo served on loopback,
# the generated types against the served document, and Redocly's lint of that document.
test-client: setup $(CLIENT)/node_modules/.installed
	cd $(CLIENT) && npm test

# The README's pictures of the admin (docs/screenshots/*.png, 1366 px wide): the demo walk of
# tests/test_demo.py on the default demo, on SQLite only. `make test` never writes them.
screenshots: setup browser-deps
	DEMO_SCREENSHOTS=docs/screenshots DEMO_SIZE=default TEST_DATABASE_URL= \
	  $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_demo.py -k walk

# schemathesis against the served OpenAPI document, every operation, as citizen and staff
# (CONTRACT_EXAMPLES generated requests per operation; about two minutes with the default).
contract: setup
	$(BIN)/python -m pytest -p no:cacheprovider contract

clean:
	rm -rf $(VENV) instance .pytest_cache $(CLIENT)/node_modules $(CLIENT)/dist
