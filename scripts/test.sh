#!/usr/bin/env bash
# The test command (README): installs what the suite needs, then runs every test.
#
# - PostgreSQL from Debian's packages, started on 127.0.0.1:54329 (scripts/pg.sh), so the
#   storage suite runs against a real server as well as SQLite files;
# - Chromium and ChromeDriver from Debian's packages (scripts/browser-deps.sh), so the
#   portal is tested in a real headless browser.
# Both are required here: a missing one fails the run instead of skipping its tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

eval "$(bash scripts/pg.sh start | grep '^export ')"
if [ -f scripts/browser-deps.sh ]; then
    bash scripts/browser-deps.sh
fi
export QUANZE_TEST_REQUIRE_POSTGRES=1
export QUANZE_TEST_REQUIRE_BROWSER=1
export QUANZE_TEST_CHROMIUM=${QUANZE_TEST_CHROMIUM:-/usr/bin/chromium}
export QUANZE_TEST_CHROMEDRIVER=${QUANZE_TEST_CHROMEDRIVER:-/usr/bin/chromedriver}

cargo test --workspace --locked "$@"
