#!/usr/bin/env bash
# Installs basvakt's npm dependencies exactly as locked and builds the compiled CLI.
# Runs on a fresh Debian machine with Node 20 and the npm registry; nothing else needed.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "basvakt: installerar npm-paket (better-sqlite3 kompileras, ca 1 minut) ..."
  npm ci --no-audit --no-fund
fi
echo "basvakt: bygger ..."
npm run --silent build
