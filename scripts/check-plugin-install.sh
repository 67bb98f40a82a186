#!/usr/bin/env bash
# Proof that merchants can install the plugin: build and pack it, install the tarball into a throwaway
# Medusa app (reusing this repo's node_modules for everything else), migrate, boot, and get an
# authorized 200 from a plugin admin route.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
db="uplift_install_check_$$"
port="${CHECK_PORT:-9191}"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill -- "-$server_pid" 2>/dev/null || true
  psql -h localhost -U postgres -qc "drop database if exists $db" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

step() { echo "[plugin-install] $*"; }

step "building and packing"
cd "$repo"
npx medusa plugin:build >/dev/null
tarball="$(npm pack --silent --pack-destination "$work" 2>/dev/null | tail -1)"

step "installing $tarball into a throwaway app"
app="$work/app"
mkdir -p "$app/node_modules"
for entry in "$repo"/node_modules/* "$repo"/node_modules/.bin; do
  name="$(basename "$entry")"
  [ "$name" = "medusa-uplift" ] || ln -s "$entry" "$app/node_modules/$name"
done
mkdir -p "$app/node_modules/medusa-uplift"
tar -xzf "$work/$tarball" -C "$app/node_modules/medusa-uplift" --strip-components=1
cat > "$app/package.json" <<JSON
{ "name": "uplift-install-check", "private": true, "dependencies": { "@medusajs/medusa": "2.21.2", "@medusajs/framework": "2.21.2", "medusa-uplift": "file:$work/$tarball" } }
JSON
cat > "$app/tsconfig.json" <<'JSON'
{ "compilerOptions": { "target": "ES2021", "module": "Node16", "moduleResolution": "Node16", "esModuleInterop": true, "skipLibCheck": true, "experimentalDecorators": true, "emitDecoratorMetadata": true }, "ts-node": { "swc": true } }
JSON
cat > "$app/medusa-config.ts" <<TS
import { defineConfig } from "@medusajs/framework/utils"

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: "postgres://postgres@localhost:5432/$db",
    http: { jwtSecret: "check", cookieSecret: "check", storeCors: "*", adminCors: "*", authCors: "*" },
  },
  admin: { disable: true },
  plugins: [{ resolve: "medusa-uplift", options: { queuePrefix: "{uplift-install-check}", executionProviders: ["cpu"], hashSalt: "install-check-secret-salt" } }],
})
TS

cd "$app"
psql -h localhost -U postgres -qc "create database $db" >/dev/null
step "migrating"
npx medusa db:migrate > "$work/migrate.log" 2>&1 || { cat "$work/migrate.log"; exit 1; }
psql -h localhost -U postgres -d "$db" -tAc "select count(*) from information_schema.tables where table_name = 'uplift_interaction'" | grep -qx 1 \
  || { echo "plugin migrations did not run"; cat "$work/migrate.log"; exit 1; }
npx medusa user -e check@uplift.test -p check-password > "$work/user.log" 2>&1 || { cat "$work/user.log"; exit 1; }

step "booting on port $port"
# Its own process group, so that stopping it stops the node process under npx too (it outlived npx before).
PORT=$port setsid npx medusa start > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  curl -sf "http://localhost:$port/health" >/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 1
done
token="$(curl -sf -X POST "http://localhost:$port/auth/user/emailpass" -H 'content-type: application/json' \
  -d '{"email":"check@uplift.test","password":"check-password"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')"
status="$(curl -s -o "$work/status.json" -w '%{http_code}' "http://localhost:$port/admin/uplift/status" -H "authorization: Bearer $token")"
unauthorized="$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$port/admin/uplift/status")"
step "GET /admin/uplift/status -> $status (without a token: $unauthorized): $(cat "$work/status.json")"
[ "$status" = 200 ] && [ "$unauthorized" = 401 ] || { tail -50 "$work/server.log"; exit 1; }
kill -- "-$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""

step "booting with a bad option must fail with a message naming it"
sed -i 's/executionProviders: \["cpu"\]/executionProviders: ["gpu"]/' medusa-config.ts
if PORT=$port timeout 120 npx medusa start > "$work/bad.log" 2>&1; then
  echo "the store booted with executionProviders: [\"gpu\"]"; exit 1
fi
grep -q 'invalid plugin option "executionProviders.0"' "$work/bad.log" || { tail -30 "$work/bad.log"; exit 1; }
step "bad option refused: $(grep -o 'invalid plugin option "executionProviders.0"[^\\]*' "$work/bad.log" | head -1)"
step "ok: the packed plugin installs, migrates and serves its admin routes"
