// Realistic facts for benchmarks: a Linux server as the agent reports it, varied by index.

export const AT = '2026-11-23T08:00:00.000Z';
const fact = (name, value) => ({ name, status: 'ok', source: 'bench', collectedAt: AT, value });

/** A typical Linux server as the agent reports it. */
export function hostTarget(i) {
  return {
    kind: 'host',
    id: `machine-${i}`,
    name: `host-${i}`,
    facts: [
      fact('os', { platform: 'linux', id: 'debian', name: 'Debian GNU/Linux 12 (bookworm)', version: '12', build: null, edition: null, kernel: '6.1.0', arch: 'x64', isServer: true }),
      fact('hardware', { chassis: 'virtual-machine', manufacturer: 'QEMU', model: 'Standard PC', virtual: true }),
      fact('patches', { manager: 'apt', pendingSecurity: i % 3, pendingTotal: 5, securityUpdates: i % 3 ? ['openssl'] : [], lastRefresh: AT, lastInstalled: AT }),
      fact('antivirus', { products: [{ name: 'ClamAV 1.4.6', kind: 'clamav', installed: true, running: i % 4 !== 0, realTimeProtection: true, signatureVersion: '27456', signatureDate: AT, signatureAgeDays: 0.5, signaturesUpToDate: null, mode: null }] }),
      fact('firewall', { backends: [{ name: 'nftables', active: i % 5 !== 0, ruleCount: 12, inputPolicy: 'drop' }], profiles: [] }),
      fact('diskEncryption', { volumes: [{ device: '/dev/vda1', mountpoint: '/', encrypted: false, method: null, protectionOn: null }] }),
      fact('listeningServices', { sockets: [
        { protocol: 'tcp', address: '0.0.0.0', port: 22, process: 'sshd', pid: 1, service: 'ssh', cleartext: false, loopbackOnly: false },
        { protocol: 'tcp', address: '0.0.0.0', port: i % 7 === 0 ? 23 : 443, process: 'x', pid: 2, service: i % 7 === 0 ? 'telnet' : 'https', cleartext: i % 7 === 0, loopbackOnly: false },
        { protocol: 'tcp', address: '127.0.0.1', port: 5432, process: 'postgres', pid: 3, service: 'postgresql', cleartext: false, loopbackOnly: true },
      ] }),
      fact('timeSync', { service: 'chrony', synchronized: true, offsetSeconds: 0.002, source: 'ntp.se', stratum: 2 }),
      fact('logging', { daemons: [{ name: 'rsyslog', running: true }, { name: 'auditd', running: true }], forwardTargets: ['logg.kommun.se:6514'], auditEnabled: true }),
      fact('localAdmins', { accounts: [{ name: 'root', origin: 'local', via: 'uid0', enabled: true }, { name: i % 6 === 0 ? 'olle' : 'root', origin: 'local', via: 'sudo', enabled: true }] }),
      fact('directoryJoin', { joined: i % 2 === 0, method: i % 2 === 0 ? 'sssd' : null, domain: i % 2 === 0 ? 'kommun.test' : null }),
    ],
  };
}

