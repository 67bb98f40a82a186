#!/usr/bin/env bash
# Medusa's official storefront (the DTC starter's Next.js app, ../shared/storefront/medusa-dtc-storefront,
# unchanged) against the demo store, in a real browser (Debian's chromium driven by playwright-core):
#  1. copies the starter to a writable cache folder (STOREFRONT_CACHE_DIR, default ~/.cache/medusa-uplift/storefront) and
#     installs it from our lockfile (scripts/storefront/package-lock.json, `npm ci`; skipped while the lockfile
#     and package.json are those of the last install); writes its .env.local (backend URL, the demo store's
#     publishable key, default region `us`) and nothing else;
#  2. copies a seeded demo database (E2E_TEMPLATE_DATABASE) or seeds one (node scripts/demo.js --seed-only);
#  3. starts the store (medusa start in development mode, plugin jobs in process, STORE_CORS/AUTH_CORS with
#     the storefront's origin) and the storefront (next dev, turbopack) on free ports;
#  4. runs integration-tests/storefront/storefront.e2e.js; screenshots land in artifacts/storefront-e2e/;
#  5. stops both process groups and checks that no process of theirs is left and both ports are free.
# Prints the time of each phase. env: E2E_DATABASE_URL, KEEP_E2E_DB=1, E2E_TEMPLATE_DATABASE, CHROMIUM_PATH,
#      STOREFRONT_SOURCE (default ../shared/storefront/medusa-dtc-storefront), STOREFRONT_CACHE_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

started=$(date +%s)
phase_started=$started
say() { echo "[e2e-storefront $(( $(date +%s) - started ))s] $*"; }
phase_done() { # prints how long the phase took
  local now
  now=$(date +%s)
  say "$1 ($(( now - phase_started ))s)"
  phase_started=$now
}
die() { echo "e2e-storefront: $*" >&2; exit 1; }

SOURCE="${STOREFRONT_SOURCE:-../shared/storefront/medusa-dtc-storefront}"
# Outside the repository: next dev takes the outermost folder above it with a lockfile for its workspace root
# (inside this repository that would be the plugin's folder, not the storefront's; turbopack then failed on a
# worktree's linked node_modules).
CACHE="${STOREFRONT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/medusa-uplift/storefront}"
APP="$CACHE/app"
LOCKFILE=scripts/storefront/package-lock.json
LOG_DIR=.tmp/storefront-e2e-logs
ARTIFACTS=artifacts/storefront-e2e
[ -f "$SOURCE/package.json" ] || die "the storefront is missing at $SOURCE (a clone of this repo needs shared/ beside it)"
[ -f "$LOCKFILE" ] || die "$LOCKFILE is missing"
if ! command -v chromium >/dev/null && [ -z "${CHROMIUM_PATH:-}" ]; then
  die "chromium is missing: apt-get install -y --no-install-recommends chromium (or set CHROMIUM_PATH)"
fi
mkdir -p "$APP" "$LOG_DIR" "$ARTIFACTS"
rm -f "$ARTIFACTS"/*.png

# ------------------------------------------------------------------------------- 1. the storefront, installed
# A fresh copy of the starter's files each run (its node_modules kept); .next goes too, so no page or fetch
# cached by a previous run (another database) is served.
find "$APP" -mindepth 1 -maxdepth 1 ! -name node_modules -exec rm -rf {} +
tar -C "$SOURCE" --exclude=./node_modules --exclude=./.next --exclude=./.env.local -cf - . | tar -C "$APP" -xf -
cp "$LOCKFILE" "$APP/package-lock.json"
install_stamp="$(cat "$APP/package.json" "$APP/package-lock.json" | sha256sum | cut -c1-16)"
if [ "$(cat "$CACHE/installed" 2>/dev/null)" != "$install_stamp" ] || [ ! -d "$APP/node_modules/next" ]; then
  # No install script is needed: sharp ships prebuilt in @img/*, and the starter serves images unoptimized.
  (cd "$APP" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) > "$LOG_DIR/npm-ci.log" 2>&1 \
    || { tail -30 "$LOG_DIR/npm-ci.log"; die "npm ci of the storefront failed (log: $LOG_DIR/npm-ci.log)"; }
  echo "$install_stamp" > "$CACHE/installed"
  phase_done "storefront installed (npm ci) into $APP"
else
  phase_done "storefront copied into $APP (dependencies already installed)"
fi

# ------------------------------------------------------------------------------------- 2. the demo database
export DATABASE_URL="${E2E_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/medusa_uplift_storefront_e2e}"
DB_NAME="${DATABASE_URL##*/}"
if [ -n "${E2E_TEMPLATE_DATABASE:-}" ]; then
  psql "${DATABASE_URL%/*}/postgres" -qv ON_ERROR_STOP=1 \
    -c "drop database if exists \"$DB_NAME\" with (force)" \
    -c "create database \"$DB_NAME\" template \"$E2E_TEMPLATE_DATABASE\""
  phase_done "demo store copied from $E2E_TEMPLATE_DATABASE into $DB_NAME"
else
  node scripts/demo.js --seed-only --reset > "$LOG_DIR/seed.log" 2>&1 || { tail -40 "$LOG_DIR/seed.log"; die "the demo seed failed"; }
  phase_done "demo store seeded into $DB_NAME"
fi
PUBLISHABLE_KEY="$(psql "$DATABASE_URL" -qAtc "select metadata->'medusa_uplift_demo'->'basics'->>'publishable_key' from store limit 1")"
[ -n "$PUBLISHABLE_KEY" ] || die "the demo store has no publishable key in its metadata (was it seeded by scripts/demo.js?)"

# ------------------------------------------------------------------------------- 3. store and storefront up
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
STORE_PORT=$(free_port)
SHOP_PORT=$(free_port)
while [ "$SHOP_PORT" = "$STORE_PORT" ]; do SHOP_PORT=$(free_port); done
STORE_URL="http://localhost:$STORE_PORT"
SHOP_URL="http://localhost:$SHOP_PORT"
store_pid=""
shop_pid=""

# Stops a process group: TERM, then KILL after 15 s; fails when any of it is left.
stop_group() {
  local pid="$1" name="$2"
  [ -n "$pid" ] || return 0
  kill -TERM -- "-$pid" 2>/dev/null || return 0
  for _ in $(seq 1 30); do kill -0 -- "-$pid" 2>/dev/null || return 0; sleep 0.5; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  sleep 1
  if kill -0 -- "-$pid" 2>/dev/null; then echo "e2e-storefront: the $name (process group $pid) is still running" >&2; return 1; fi
}
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
cleanup() {
  local code=$?
  stop_group "$shop_pid" storefront || code=1
  stop_group "$store_pid" store || code=1
  for port in $SHOP_PORT $STORE_PORT; do
    port_free "$port" || { echo "e2e-storefront: port $port is still taken after the cleanup" >&2; code=1; }
  done
  if [ -z "${KEEP_E2E_DB:-}" ]; then
    psql "${DATABASE_URL%/*}/postgres" -qc "drop database if exists \"$DB_NAME\" with (force)" >/dev/null 2>&1 || true
  fi
  say "stopped the store and the storefront; ports $STORE_PORT and $SHOP_PORT free"
  exit "$code"
}
trap cleanup EXIT

# Own process groups (setsid), so the cleanup stops each server and everything it started.
# The admin dashboard is not served (only its API is used).
setsid env PORT="$STORE_PORT" NODE_ENV=development REDIS_URL= UPLIFT_REDIS_URL= MEDUSA_DISABLE_ADMIN=true \
  ADMIN_CORS="$STORE_URL" AUTH_CORS="$STORE_URL,$SHOP_URL" STORE_CORS="$SHOP_URL" \
  npx medusa start > "$LOG_DIR/store.log" 2>&1 &
store_pid=$!

cat > "$APP/.env.local" <<EOF
NEXT_PUBLIC_MEDUSA_BACKEND_URL=$STORE_URL
NEXT_PUBLIC_MEDUSA_PUBLISHABLE_KEY=$PUBLISHABLE_KEY
NEXT_PUBLIC_DEFAULT_REGION=us
NEXT_PUBLIC_BASE_URL=$SHOP_URL
EOF
# The starter's own dev script (next dev --turbopack) on our port; none of the store's environment leaks in.
(cd "$APP" && exec setsid env -u NODE_OPTIONS -u DATABASE_URL -u PORT NEXT_TELEMETRY_DISABLED=1 \
  npx next dev --turbopack -p "$SHOP_PORT" > "$ROOT/$LOG_DIR/storefront.log" 2>&1) &
shop_pid=$!

wait_for() { # url, pid, name, log
  for _ in $(seq 1 240); do
    if curl -fs -o /dev/null "$1" 2>/dev/null; then return 0; fi
    if ! kill -0 "$2" 2>/dev/null; then tail -40 "$4"; die "the $3 exited before answering on $1"; fi
    sleep 1
  done
  tail -40 "$4"; die "the $3 did not answer on $1 within 240 s"
}
wait_for "$STORE_URL/health" "$store_pid" store "$LOG_DIR/store.log"
phase_done "store up on $STORE_URL"
# next dev answers before it compiled a page; the test warms the pages it uses before timing anything.
wait_for "$SHOP_URL/favicon.ico" "$shop_pid" storefront "$LOG_DIR/storefront.log"
phase_done "storefront (next dev) up on $SHOP_URL"

# ------------------------------------------------------------------------------------------------ 4. the test
BASE_URL="$STORE_URL" STOREFRONT_URL="$SHOP_URL" PUBLISHABLE_KEY="$PUBLISHABLE_KEY" \
  node integration-tests/storefront/storefront.e2e.js \
  || die "failed; logs: $LOG_DIR/store.log, $LOG_DIR/storefront.log; screenshots: $ARTIFACTS/"
phase_done "storefront e2e passed; screenshots in $ARTIFACTS/"
