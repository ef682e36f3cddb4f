#!/usr/bin/env bash
# OpenLDAP (slapd with ppolicy) and a Samba AD DC for the directory probe's tests
# (test/integration/directory-*.test.ts, test/bench/directory.mjs). Idempotent.
# The packages' init scripts never start a daemon: the parent script installs policy-rc.d.
set -euo pipefail
cd "$(dirname "$0")"
bash ../apt-install.sh slapd ldap-utils samba samba-ad-dc samba-ad-provision samba-dsdb-modules samba-vfs-modules winbind iproute2 openssl
