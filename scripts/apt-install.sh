#!/usr/bin/env bash
# apt-install.sh PKG... — installs the packages that are missing, refreshing the package
# lists at most once per run. Used by install-test-deps.d/*.sh.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
stamp=/tmp/basvakt-apt-updated
if [ ! -e "$stamp" ] || [ -n "$(find "$stamp" -mmin +60 2>/dev/null)" ]; then
  apt-get update -qq
  touch "$stamp"
fi
echo "apt-install: ${missing[*]}"
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
