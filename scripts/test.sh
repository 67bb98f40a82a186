#!/usr/bin/env bash
# The whole test suite: unit, module and HTTP integration tests against the real Postgres and Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
export DB_HOST="${DB_HOST:-localhost}" DB_USERNAME="${DB_USERNAME:-postgres}" DB_PASSWORD="${DB_PASSWORD:-}"
export NODE_OPTIONS="--experimental-vm-modules ${NODE_OPTIONS:-}"
redis-cli -u "${UPLIFT_TEST_REDIS_URL:-redis://127.0.0.1:6379/9}" flushdb >/dev/null
npx jest --version >/dev/null
TEST_TYPE=unit npx jest --runInBand --forceExit --silent
TEST_TYPE=integration:modules npx jest --runInBand --forceExit --silent --passWithNoTests
TEST_TYPE=integration:http npx jest --runInBand --forceExit --silent
bash scripts/check-plugin-install.sh
bash scripts/check-demo.sh
bash scripts/e2e-admin.sh
