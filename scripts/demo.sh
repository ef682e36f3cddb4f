#!/usr/bin/env bash
# The main job on the embedded default: installs and builds basvakt, starts a collector on
# SQLite on 127.0.0.1, enrolls an agent, scans this machine, and prints the findings.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node dist/cli/main.js demo "$@"
