#!/usr/bin/env bash
# The web probe's tests (test/agent/probes/web/): SimpleSAMLphp under PHP's built-in server as a
# real SAML identity provider (php-xml and php-mbstring are needed but not pulled in), openssl for
# the test CA and the legacy TLS 1.0 server, aiosmtpd for STARTTLS and slapd for LDAP StartTLS.
# Idempotent. apache2 comes in with simplesamlphp but is never started: policy-rc.d refuses.
set -euo pipefail
cd "$(dirname "$0")"
bash ../apt-install.sh simplesamlphp php-cli php-xml php-mbstring openssl python3-aiosmtpd slapd ldap-utils
