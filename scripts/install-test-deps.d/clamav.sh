#!/usr/bin/env bash
# ClamAV for test/integration/clamav.test.ts: clamd and clamscan, no signatures.
# Idempotent. Never runs freshclam: the tests generate their own signature database.
set -euo pipefail

packages=(clamav clamav-daemon)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

export DEBIAN_FRONTEND=noninteractive
# Keep the packages' init scripts from starting clamd or freshclam during the install.
if [ ! -x /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
fi
# Refresh the package lists only when apt cannot find a candidate.
if [ "$(apt-cache policy "${missing[@]}" 2>/dev/null | grep -c 'Candidate: [0-9]')" -lt ${#missing[@]} ]; then
  apt-get update -q
fi
apt-get install -y -q --no-install-recommends "${missing[@]}"
