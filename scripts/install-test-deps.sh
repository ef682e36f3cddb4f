#!/usr/bin/env bash
# Installs the Debian packages the integration tests need (real servers: ClamAV, ...).
# Each capability adds its own idempotent script in install-test-deps.d/.
# Needs root. Daemons are never started by the packages: policy-rc.d refuses.
set -euo pipefail
cd "$(dirname "$0")"

if [ "$(id -u)" -ne 0 ]; then
  echo "install-test-deps: must run as root (apt-get)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if [ ! -x /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
fi
for script in install-test-deps.d/*.sh; do
  [ -e "$script" ] || continue
  echo "install-test-deps: $script"
  bash "$script"
done
