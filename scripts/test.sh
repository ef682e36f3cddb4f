#!/usr/bin/env bash
# The whole test suite, as CI runs it on a fresh machine: Debian packages for the real
# servers, npm packages, the build, then every test. Ends with "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-deps.sh
bash scripts/setup.sh
echo "basvakt: typkontroll av testerna ..."
npx tsc -p tsconfig.test.json

mkdir -p test-results
set +e
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@"
status=$?
set -e
node scripts/summarize-tests.mjs test-results/vitest.json || true
exit $status
