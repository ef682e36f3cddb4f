#!/usr/bin/env bash
# Real receivers for the alert channels (test/integration/alerts-*.test.ts): aiosmtpd as an
# SMTP server with STARTTLS and AUTH, rsyslog with imtcp over TCP and TLS (gtls), openssl for
# the test CA. Idempotent. No daemon is started by the packages: policy-rc.d refuses.
set -euo pipefail
cd "$(dirname "$0")"
bash ../apt-install.sh python3-aiosmtpd rsyslog rsyslog-gnutls openssl
