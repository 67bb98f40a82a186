#!/usr/bin/env bash
# The Uplift admin end to end in a real browser (Debian's chromium driven by playwright-core):
#  1. type-checks src/admin and runs the form/API parity unit test;
#  2. seeds a throwaway demo database (node scripts/demo.js --seed-only --reset), or copies a seeded one;
#  3. starts the store on a free port (medusa start in development mode: the admin is served from src/admin
#     by Vite, no production admin build), with in-process plugin jobs;
#  4. runs integration-tests/admin/admin.e2e.js; screenshots land in artifacts/admin-e2e/.
# env: E2E_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/medusa_uplift_admin_e2e), KEEP_E2E_DB=1,
#      E2E_TEMPLATE_DATABASE (a seeded demo database on the same server to copy instead of seeding),
#      CHROMIUM_PATH, REDIS_URL (only for the demo's pre-flight check).
set -euo pipefail
cd "$(dirname "$0")/.."

started=$(date +%s)
say() { echo "[e2e-admin $(( $(date +%s) - started ))s] $*"; }

if ! command -v chromium >/dev/null && [ -z "${CHROMIUM_PATH:-}" ]; then
  echo "chromium is missing: apt-get install -y --no-install-recommends chromium (or set CHROMIUM_PATH)" >&2
  exit 1
fi

npx tsc --noEmit -p src/admin/tsconfig.json
NODE_OPTIONS="--experimental-vm-modules" npx jest --silent --testMatch '**/integration-tests/admin/*.unit.spec.ts'
say "admin type check and form/API parity test passed"

export DATABASE_URL="${E2E_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/medusa_uplift_admin_e2e}"
LOG_DIR=.tmp/admin-e2e
mkdir -p "$LOG_DIR" artifacts/admin-e2e
rm -f artifacts/admin-e2e/*.png

if [ -n "${E2E_TEMPLATE_DATABASE:-}" ]; then
  # A demo store seeded earlier (scripts/test.sh passes check-demo's): copied, not seeded again.
  psql "${DATABASE_URL%/*}/postgres" -qv ON_ERROR_STOP=1 \
    -c "drop database if exists \"${DATABASE_URL##*/}\" with (force)" \
    -c "create database \"${DATABASE_URL##*/}\" template \"$E2E_TEMPLATE_DATABASE\""
  say "demo store copied from $E2E_TEMPLATE_DATABASE into $(basename "$DATABASE_URL")"
else
  node scripts/demo.js --seed-only --reset > "$LOG_DIR/seed.log" 2>&1 || { tail -40 "$LOG_DIR/seed.log"; exit 1; }
  say "demo store seeded into $(basename "$DATABASE_URL")"
fi

PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
ORIGIN="http://localhost:$PORT"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -- "-$server_pid" 2>/dev/null || true; fi
  if [ -z "${KEEP_E2E_DB:-}" ]; then
    node -e '
      const { Client } = require("pg"); const url = new URL(process.env.DATABASE_URL); const db = url.pathname.slice(1); url.pathname = "/postgres"
      const c = new Client({ connectionString: url.toString() })
      c.connect().then(() => c.query(`drop database if exists "${db}" with (force)`)).catch(() => {}).finally(() => c.end())' || true
  fi
}
trap cleanup EXIT

# Own process group, so the cleanup stops the server and everything it started.
setsid env PORT="$PORT" NODE_ENV=development REDIS_URL= UPLIFT_REDIS_URL= \
  ADMIN_CORS="$ORIGIN" AUTH_CORS="$ORIGIN" STORE_CORS="$ORIGIN" \
  npx medusa start > "$LOG_DIR/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 180); do
  if curl -fs "$ORIGIN/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then tail -40 "$LOG_DIR/server.log"; echo "the store did not start" >&2; exit 1; fi
  sleep 1
done
curl -fs "$ORIGIN/health" >/dev/null || { tail -40 "$LOG_DIR/server.log"; echo "the store did not answer on $ORIGIN" >&2; exit 1; }
say "store up on $ORIGIN"

BASE_URL="$ORIGIN" node integration-tests/admin/admin.e2e.js || { echo "server log: $LOG_DIR/server.log; screenshots: artifacts/admin-e2e/" >&2; exit 1; }
say "passed; screenshots in artifacts/admin-e2e/"
