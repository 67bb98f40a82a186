#!/usr/bin/env bash
# Checks `npm run demo` end to end against a throwaway database:
#   1. `demo.js --seed-only --reset` seeds a fresh store: >= 500 products, >= 2,000 customers,
#      >= 70,000 seed interactions, >= 250 orders, and the showcase: >= 1 active discount policy,
#      >= 20 offer decisions, >= 1 open fraud hold on an order, >= 1 active model version; its replayed weeks:
#      decisions in >= 8 calendar weeks, >= 1,000 of them older than 14 days, an active response model;
#      and what a merchant meets first: a named store, one publishable key that sells the catalogue,
#      a picture on every product, no failed training run, fraud scores mostly below the hold score;
#   2. a second `--seed-only` is fast and creates nothing new (same counts);
#   3. the admin's and the demo shoppers' logins that demo.js prints work: the store (medusa start, on a free port) answers
#      POST /auth/customer/emailpass with a token, and /store/customers/me with it is that household;
#   4. with Postgres or Redis unreachable, demo.js exits 1 naming the service, without a stack trace.
# Env: CHECK_DATABASE_URL (default postgres://postgres@localhost:5432/medusa_uplift_demo_check),
#      REDIS_URL, KEEP_DEMO_DB=1 keeps the database afterwards, RERUN_MAX_S (default 60).
set -euo pipefail
cd "$(dirname "$0")/.."

DB_URL="${CHECK_DATABASE_URL:-postgres://postgres@localhost:5432/medusa_uplift_demo_check}"
RERUN_MAX_S="${RERUN_MAX_S:-60}"
OUT="$(mktemp -d)"
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok:   $*"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
store_pid=""
cleanup() {
  if [[ -n "$store_pid" ]]; then kill -- "-$store_pid" 2>/dev/null || true; fi
  if [[ "${KEEP_DEMO_DB:-}" != "1" ]]; then
    psql "${DB_URL%/*}/postgres" -qAtc "drop database if exists \"${DB_URL##*/}\" with (force)" >/dev/null 2>&1 || true
  fi
  rm -rf "$OUT"
}
trap cleanup EXIT

count() { psql "$DB_URL" -qAtc "$1"; }
counts() {
  count "select
    (select count(*) from product where deleted_at is null) || ' products, ' ||
    (select count(*) from product_category where deleted_at is null) || ' categories, ' ||
    (select count(*) from customer where deleted_at is null) || ' customers, ' ||
    (select count(*) from uplift_interaction where source = 'seed') || ' seed interactions, ' ||
    (select count(*) from uplift_customer_profile) || ' profiles, ' ||
    (select count(*) from \"order\" where deleted_at is null) || ' orders, ' ||
    (select count(*) from order_item) || ' order items, ' ||
    (select count(*) from \"user\" where deleted_at is null) || ' users, ' ||
    (select count(*) from uplift_discount_policy where deleted_at is null) || ' policies, ' ||
    (select count(*) from uplift_offer_decision) || ' decisions, ' ||
    (select count(*) from uplift_personal_offer) || ' offers, ' ||
    (select count(*) from uplift_fraud_rule where deleted_at is null) || ' fraud rules, ' ||
    (select count(*) from uplift_fraud_hold where deleted_at is null) || ' fraud holds, ' ||
    (select count(*) from uplift_model_version where deleted_at is null) || ' model versions'"
}
at_least() { # name, sql, minimum
  local value
  value="$(count "$2")"
  if (( value >= $3 )); then ok "$1: $value (>= $3)"; else fail "$1: $value (want >= $3)"; fi
}
at_most() { # name, sql, maximum
  local value
  value="$(count "$2")"
  if (( value <= $3 )); then ok "$1: $value (<= $3)"; else fail "$1: $value (want <= $3)"; fi
}

echo "== 1. fresh seed (--reset) into ${DB_URL}"
start="$(now)"
if DATABASE_URL="$DB_URL" node scripts/demo.js --seed-only --reset >"$OUT/first.log" 2>&1; then
  first_s="$(elapsed "$start")"
  grep -E "seed-demo|\[demo" "$OUT/first.log" | sed 's/^/  | /'
  ok "first run in ${first_s} s"
else
  cat "$OUT/first.log"
  fail "first run exited non-zero"
  exit 1
fi
at_least products "select count(*) from product where deleted_at is null and status = 'published'" 500
at_least customers "select count(*) from customer where deleted_at is null" 2000
at_least "seed interactions" "select count(*) from uplift_interaction where source = 'seed'" 70000
at_least orders "select count(*) from \"order\" where deleted_at is null" 250
at_least "admin users" "select count(*) from \"user\" where email = 'admin@medusa-uplift.local'" 1
at_least "showcase: active discount policies" "select count(*) from uplift_discount_policy where deleted_at is null and status = 'active'" 1
at_least "showcase: offer decisions" "select count(*) from uplift_offer_decision" 20
# The showcase's replayed weeks (src/scripts/showcase-replay.ts): decisions over 8 weeks, most windows closed,
# and the response model trained on the early weeks.
at_least "showcase: decision weeks" "select count(distinct date_trunc('week', created_at)) from uplift_offer_decision" 8
at_least "showcase: decisions with a closed 14-day window" "select count(*) from uplift_offer_decision where created_at < now() - interval '14 days'" 1000
at_least "showcase: active response model" "select count(*) from uplift_model_version where deleted_at is null and status = 'active' and kind = 'response'" 1
at_least "showcase: personal offers" "select count(*) from uplift_personal_offer" 1
at_least "showcase: open fraud holds on orders" "select count(*) from uplift_fraud_hold where deleted_at is null and status = 'open' and order_id is not null" 1
at_least "showcase: active model versions" "select count(*) from uplift_model_version where deleted_at is null and status = 'active'" 1
# What a merchant meets in the first hour (issue #17).
at_least "store named (not Medusa's default)" "select count(*) from store where name <> 'Medusa Store'" 1
at_most "publishable keys (one, selling the catalogue)" "select count(*) from api_key where type = 'publishable' and revoked_at is null and deleted_at is null" 1
at_least "products reachable with that key" "select count(distinct psc.product_id) from api_key k join publishable_api_key_sales_channel l on l.publishable_key_id = k.id and l.deleted_at is null join product_sales_channel psc on psc.sales_channel_id = l.sales_channel_id and psc.deleted_at is null where k.type = 'publishable' and k.revoked_at is null" 500
at_most "products without a picture" "select count(*) from product where deleted_at is null and (thumbnail is null or thumbnail = '')" 0
at_most "failed training runs" "select count(*) from uplift_training_run where status = 'failed'" 0
at_least "showcase: checkouts scored under 40 (accounts of realistic age)" "select count(*) from uplift_fraud_assessment where score < 40" 10
before="$(counts)"
echo "  counts: $before"

echo "== 2. second run (idempotent, fast)"
start="$(now)"
if DATABASE_URL="$DB_URL" node scripts/demo.js --seed-only >"$OUT/second.log" 2>&1; then
  second_s="$(elapsed "$start")"
  grep -E "seed-demo" "$OUT/second.log" | sed 's/^/  | /'
  if awk -v s="$second_s" -v max="$RERUN_MAX_S" 'BEGIN { exit !(s < max) }'; then
    ok "second run in ${second_s} s (< ${RERUN_MAX_S} s)"
  else
    fail "second run took ${second_s} s (want < ${RERUN_MAX_S} s)"
  fi
else
  cat "$OUT/second.log"
  fail "second run exited non-zero"
fi
after="$(counts)"
if [[ "$before" == "$after" ]]; then ok "no duplicates: same counts"; else fail "counts changed: before [$before] after [$after]"; fi

echo "== 3. demo shopper logins"
# The password and emails as demo.js printed them.
password="$(sed -n 's/^ *Their password: *\([^ ]*\).*/\1/p' "$OUT/first.log")"
logins="$(sed -n 's/^ *Shopper logins: *//p' "$OUT/first.log" | tr -d ',')"
key="$(count "select metadata->'medusa_uplift_demo'->'basics'->>'publishable_key' from store limit 1")"
if [[ -z "$password" || -z "$logins" ]]; then
  fail "demo.js printed no shopper logins"
else
  port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  start="$(now)"
  setsid env DATABASE_URL="$DB_URL" PORT="$port" REDIS_URL= UPLIFT_REDIS_URL= MEDUSA_DISABLE_ADMIN=true \
    npx medusa start >"$OUT/store.log" 2>&1 &
  store_pid=$!
  for _ in $(seq 1 180); do
    curl -fs "http://localhost:$port/health" >/dev/null 2>&1 && break
    kill -0 "$store_pid" 2>/dev/null || break
    sleep 1
  done
  if ! curl -fs "http://localhost:$port/health" >/dev/null 2>&1; then
    tail -20 "$OUT/store.log"
    fail "the store did not start for the login check"
  else
    for email in $logins; do
      token="$(curl -fs -H 'content-type: application/json' -d "{\"email\":\"$email\",\"password\":\"$password\"}" \
        "http://localhost:$port/auth/customer/emailpass" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).token||"")}catch{console.log("")}})')"
      me="$(curl -fs -H "authorization: Bearer $token" -H "x-publishable-api-key: $key" "http://localhost:$port/store/customers/me?fields=email" || true)"
      if [[ -n "$token" && "$me" == *"\"email\":\"$email\""* ]]; then ok "login $email: token, /store/customers/me is that household"; else fail "login $email: token [${token:0:12}], me [${me:0:120}]"; fi
    done
    admin_email="$(sed -n 's/^ *Email: *\([^ ]*\).*/\1/p' "$OUT/first.log")"
    admin_password="$(sed -n 's/^ *Password: *\([^ ]*\).*/\1/p' "$OUT/first.log")"
    token="$(curl -fs -H 'content-type: application/json' -d "{\"email\":\"$admin_email\",\"password\":\"$admin_password\"}" \
      "http://localhost:$port/auth/user/emailpass" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).token||"")}catch{console.log("")}})')"
    me="$(curl -fs -H "authorization: Bearer $token" "http://localhost:$port/admin/users/me?fields=email" || true)"
    if [[ -n "$token" && "$me" == *"\"email\":\"$admin_email\""* ]]; then ok "admin login $admin_email: token, /admin/users/me is that user"; else fail "admin login [$admin_email]: token [${token:0:12}], me [${me:0:120}]"; fi
    ok "login check in $(elapsed "$start") s (store start included)"
  fi
  kill -- "-$store_pid" 2>/dev/null || true
  wait "$store_pid" 2>/dev/null || true
  store_pid=""
fi

echo "== 4. unreachable services"
unreachable() { # name, expected word, env...
  local name="$1" word="$2" code=0
  shift 2
  start="$(now)"
  env "$@" node scripts/demo.js --seed-only >"$OUT/$name.log" 2>&1 || code=$?
  local took
  took="$(elapsed "$start")"
  if [[ "$code" != "1" ]]; then fail "$name: exit $code (want 1)"; fi
  if ! grep -q "$word" "$OUT/$name.log"; then fail "$name: output does not name $word"; fi
  if grep -qE '^\s+at .+[:(]' "$OUT/$name.log"; then fail "$name: output has a stack trace"; fi
  if [[ "$code" == "1" ]] && grep -q "$word" "$OUT/$name.log"; then
    ok "$name: exit 1 in ${took} s: $(head -c 300 "$OUT/$name.log" | grep -m1 "$word")"
  fi
}
unreachable postgres PostgreSQL DATABASE_URL=postgres://postgres@localhost:5999/x
unreachable redis Redis DATABASE_URL="$DB_URL" REDIS_URL=redis://127.0.0.1:6999

echo "== timings: first run ${first_s:-?} s, second run ${second_s:-?} s"
if (( failures )); then
  echo "check-demo: ${failures} failure(s)"
  exit 1
fi
echo "check-demo: all passed"
