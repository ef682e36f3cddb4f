import { it } from 'vitest';
import { loadRules, BUNDLED_RULE_DIRS, evaluateTarget } from '../../rules/engine/index.js';
it('perf', async () => {
  const rs = await loadRules(BUNDLED_RULE_DIRS);
  const at = '2026-11-23T06:00:00Z';
  const facts: any[] = [
    { name: 'os', status: 'ok', source: 's', collectedAt: at, value: { platform: 'linux', id: 'debian', name: 'Debian 12', version: '12', build: null, edition: null, kernel: null, arch: 'x64', isServer: null } },
    { name: 'antivirus', status: 'ok', source: 's', collectedAt: at, value: { products: [{ name: 'ClamAV', kind: 'clamav', installed: true, running: true, realTimeProtection: true, signatureVersion: '1', signatureDate: at, signatureAgeDays: 0.2, mode: null }] } },
    { name: 'patches', status: 'ok', source: 's', collectedAt: at, value: { manager: 'apt', pendingSecurity: 0, pendingTotal: 0, securityUpdates: [], lastRefresh: at, lastInstalled: at } },
    { name: 'firewall', status: 'ok', source: 's', collectedAt: at, value: { backends: [{ name: 'nftables', active: true, ruleCount: 3, inputPolicy: 'drop' }], profiles: [] } },
    { name: 'logging', status: 'ok', source: 's', collectedAt: at, value: { daemons: [{ name: 'rsyslog', running: true }], forwardTargets: ['@@logg:514'], auditEnabled: true } },
    { name: 'timeSync', status: 'ok', source: 's', collectedAt: at, value: { service: 'chrony', synchronized: true, offsetSeconds: 0.001, source: 'ntp.se', stratum: 2 } },
    { name: 'listeningServices', status: 'ok', source: 's', collectedAt: at, value: { sockets: [{ protocol: 'tcp', address: '0.0.0.0', port: 22, process: 'sshd', pid: 1, service: 'ssh', cleartext: false, loopbackOnly: false }] } },
    { name: 'hardware', status: 'ok', source: 's', collectedAt: at, value: { chassis: 'server', manufacturer: null, model: null, virtual: false } },
    { name: 'diskEncryption', status: 'ok', source: 's', collectedAt: at, value: { volumes: [] } },
    { name: 'directoryJoin', status: 'ok', source: 's', collectedAt: at, value: { joined: true, method: 'sssd', domain: 'k.se' } },
    { name: 'localAdmins', status: 'ok', source: 's', collectedAt: at, value: { accounts: [{ name: 'root', origin: 'local', via: 'uid0', enabled: true }] } },
  ];
  const target = { kind: 'host' as const, id: 'h1', name: 'h1', facts };
  const now = new Date(at);
  const opts = { now };
  let n = 0; const t0 = performance.now();
  while (performance.now() - t0 < 2000) { n += evaluateTarget(rs, target, opts).length; }
  const secs = (performance.now() - t0) / 1000;
  console.log('all bundled host rules: evals/s', Math.round(n / secs), 'statuses', evaluateTarget(rs, target, opts).map(r => r.ruleId + ':' + r.status).join(' '));
});
