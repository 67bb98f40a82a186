#!/usr/bin/env bash
# The whole test suite: unit, module and HTTP integration tests against the real Postgres and Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
export DB_HOST="${DB_HOST:-localhost}" DB_USERNAME="${DB_USERNAME:-postgres}" DB_PASSWORD="${DB_PASSWORD:-}"
export NODE_OPTIONS="--experimental-vm-modules ${NODE_OPTIONS:-}"
redis-cli -u "${UPLIFT_TEST_REDIS_URL:-redis://127.0.0.1:6379/9}" flushdb >/dev/null
npx jest --version >/dev/null
done_step() { echo "[test.sh $((SECONDS / 60))m$((SECONDS % 60))s] $1 passed"; }
# Import cycles, module boundaries and table ownership (scripts/check-boundaries.ts): seconds, so first.
npx ts-node --transpile-only scripts/check-boundaries.ts
done_step "architecture checks"
TEST_TYPE=unit npx jest --runInBand --forceExit --silent
done_step "unit tests"
TEST_TYPE=integration:modules npx jest --runInBand --forceExit --silent --passWithNoTests
done_step "module tests"
TEST_TYPE=integration:http npx jest --runInBand --forceExit --silent
done_step "HTTP tests"
bash scripts/check-plugin-install.sh
done_step "plugin install check"
# The admin and storefront e2e run on copies of the demo store that check-demo seeded (one seed instead of three).
DEMO_DB=medusa_uplift_demo_check
drop_demo_db() { psql "postgres://postgres@localhost:5432/postgres" -qc "drop database if exists $DEMO_DB with (force)" >/dev/null 2>&1 || true; }
trap drop_demo_db EXIT
CHECK_DATABASE_URL="postgres://postgres@localhost:5432/$DEMO_DB" KEEP_DEMO_DB=1 bash scripts/check-demo.sh
done_step "demo check"
E2E_TEMPLATE_DATABASE="$DEMO_DB" bash scripts/e2e-admin.sh
done_step "admin e2e"
# Medusa's official storefront (../shared/storefront) against another copy of the same demo store.
E2E_TEMPLATE_DATABASE="$DEMO_DB" bash scripts/e2e-storefront.sh
done_step "storefront e2e"
