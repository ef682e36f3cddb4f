#!/usr/bin/env bash
# PostgreSQL for the collector's PostgreSQL store and replica tests (started by the tests, never as a service).
set -euo pipefail
bash "$(dirname "$0")/../apt-install.sh" postgresql util-linux
