#!/usr/bin/env bash
# SNMP agents and network namespaces for the network and reach probe tests
# (test/integration/network-*.test.ts, reach-netns.test.ts): snmpd + snmp tools,
# snmpsim for the LibreNMS recordings, iproute2 + nftables for namespaces. Idempotent.
set -euo pipefail
cd "$(dirname "$0")"
bash ../apt-install.sh snmpd snmp snmpsim iproute2 nftables netcat-openbsd
