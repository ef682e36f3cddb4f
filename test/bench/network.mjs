// Network probe: (1) the VLAN inventory of the planted 48-port, 200-VLAN switch (snmpd +
// pass_persist) against `snmpbulkwalk` of the same subtrees, in the same run; (2) 50 switches
// (snmpsimd, one community per copy) polled with bounded concurrency by the compiled CLI:
// total time and peak memory. Everything on 127.0.0.1; every server stopped by PID.
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { CLI, ROOT } from './paths.mjs';
import { ensurePackages, median, timed } from './measure.mjs';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'network', 'planted-switch.json');
const PASSPERSIST = join(ROOT, 'test', 'support', 'servers', 'passpersist.py');
const SWITCHES = 50;
const RUNS = 7;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check, what) {
  for (let i = 0; i < 150; i++) {
    try {
      execFileSync('snmpget', ['-t', '0.3', '-r', '0', ...check], { stdio: 'pipe', env: { ...process.env, MIBS: '' } });
      return;
    } catch (error) {
      if (process.env.BENCH_DEBUG) console.error(String(error.stderr), String(error.stdout));
      await sleep(100);
    }
  }
  throw new Error(`${what} did not start`);
}

async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  process.kill(-child.pid, 'SIGTERM');
  for (let i = 0; i < 60 && child.exitCode === null && child.signalCode === null; i++) await sleep(50);
  if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
}

async function startSnmpd(dir, port) {
  const conf = [
    `agentAddress udp:127.0.0.1:${port}`,
    'rocommunity public 127.0.0.1',
    'sysName sw-bench-01',
    ...['.1.3.6.1.2.1.17', '-p 1 .1.3.6.1.2.1.2.2', '-p 1 .1.3.6.1.2.1.31.1.1', '-p 1 .1.3.6.1.2.1.4.20.1.2', '-p 1 .1.3.6.1.2.1.4.20.1.3', '.1.0.8802.1.1.1', '.1.0.8802.1.1.2'].map(
      (s) => `pass_persist ${s} /usr/bin/python3 ${PASSPERSIST} ${FIXTURE}`,
    ),
  ];
  writeFileSync(join(dir, 'snmpd.conf'), conf.join('\n') + '\n');
  mkdirSync(join(dir, 'persist'), { recursive: true });
  const child = spawn('snmpd', ['-f', '-C', '-c', join(dir, 'snmpd.conf'), '-Lf', join(dir, 'snmpd.log')], {
    env: { ...process.env, MIBS: '', SNMP_PERSISTENT_DIR: join(dir, 'persist') },
    stdio: 'ignore',
    detached: true,
  });
  await waitFor(['-v2c', '-c', 'public', `127.0.0.1:${port}`, '1.3.6.1.2.1.17.1.4.1.2.1'], 'snmpd');
  return child;
}

const SNMPREC_TYPES = { integer: '2', gauge: '66', string: '4', octet: '4x', ipaddress: '64', objectid: '6', timeticks: '67' };

function toSnmprec(rows) {
  const key = (o) => o.split('.').map(Number);
  const cmp = (a, b) => {
    const x = key(a[0]);
    const y = key(b[0]);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
    return x.length - y.length;
  };
  const scalars = [
    ['1.3.6.1.2.1.1.1.0', 'string', 'bench switch'],
    ['1.3.6.1.2.1.1.2.0', 'objectid', '1.3.6.1.4.1.99999'],
    ['1.3.6.1.2.1.1.5.0', 'string', 'sw-bench'],
  ];
  return (
    [...scalars, ...rows]
      .sort(cmp)
      .map(([oid, type, value]) => `${oid}|${SNMPREC_TYPES[type]}|${type === 'octet' ? value.replaceAll(' ', '') : value}`)
      .join('\n') + '\n'
  );
}

async function startSnmpsim(dir, port, copies) {
  const data = join(dir, 'data');
  mkdirSync(data, { recursive: true });
  mkdirSync(join(dir, 'cache'), { recursive: true });
  const text = toSnmprec(JSON.parse(readFileSync(FIXTURE, 'utf8')));
  for (let i = 1; i <= copies; i++) writeFileSync(join(data, `sw${i}.snmprec`), text);
  const chown = (p) => {
    chownSync(p, 65534, 65534);
    for (const e of readdirSync(p, { withFileTypes: true })) (e.isDirectory() ? chown : (f) => chownSync(f, 65534, 65534))(join(p, e.name));
  };
  chown(dir);
  const child = spawn(
    'snmpsimd',
    [`--data-dir=${data}`, `--cache-dir=${join(dir, 'cache')}`, `--agent-udpv4-endpoint=127.0.0.1:${port}`, '--v2c-arch', '--process-user=nobody', '--process-group=nogroup', `--logging-method=file:${join(dir, 'snmpsimd.log')}`],
    { stdio: 'ignore', detached: true },
  );
  await waitFor(['-v2c', '-c', 'sw1', `127.0.0.1:${port}`, '1.3.6.1.2.1.1.5.0'], 'snmpsimd');
  return child;
}

/** The subtrees the probe walks for a Q-BRIDGE switch (agent/probes/network/walked.ts). */
async function probeSubtrees() {
  const { OID } = await import(join(ROOT, 'dist', 'agent', 'probes', 'network', 'oids.js'));
  const names = ['dot1dBasePortIfIndex', 'ifName', 'ifAlias', 'ifOperStatus', 'dot1qVlanStaticName', 'dot1qVlanStaticEgressPorts', 'dot1qVlanStaticUntaggedPorts', 'dot1qVlanCurrentEgressPorts', 'dot1qVlanCurrentUntaggedPorts', 'dot1qPvid', 'dot1qPortIngressFiltering', 'lldpLocPortId', 'lldpRemSysName', 'lldpRemPortId', 'lldpRemSysCapEnabled', 'dot1xAuthAuthControlledPortControl', 'ipAdEntIfIndex', 'ipAdEntNetMask'];
  return names.map((n) => OID[n]);
}

export async function benchNetwork() {
  if (!ensurePackages('snmpd', 'snmp', 'snmpsim', 'time')) return { skipped: 'snmpd/snmp/snmpsim could not be installed' };
  const dir = mkdtempSync(join(tmpdir(), 'basvakt-bench-net-'));
  const snmpdPort = 21000 + Math.floor(Math.random() * 5000);
  const simPort = snmpdPort + 7000;
  let snmpd;
  let sim;
  let simDir;
  try {
    snmpd = await startSnmpd(dir, snmpdPort);
    writeFileSync(join(dir, 'community'), 'public\n');
    const { createNetworkProbe } = await import(join(ROOT, 'dist', 'agent', 'probes', 'network', 'index.js'));
    const subtrees = await probeSubtrees();
    const ctx = { exec: null, readFile: (p) => Promise.resolve(readFileSync(p, 'utf8')), now: () => new Date(), logger: pino({ level: 'silent' }) };
    const options = { switches: [{ host: '127.0.0.1', port: snmpdPort, version: '2c', communityFile: join(dir, 'community') }], testDefaultCommunities: false };
    // Warm both paths once (pass_persist's Python start-up, Node's module loading).
    await createNetworkProbe(options).collect(ctx);
    const bulkwalkOnce = () => {
      const started = performance.now();
      let varbinds = 0;
      for (const oid of subtrees) {
        const out = execFileSync('snmpbulkwalk', ['-v2c', '-c', 'public', '-On', '-Cr25', `127.0.0.1:${snmpdPort}`, oid], { encoding: 'utf8', env: { ...process.env, MIBS: '' } });
        varbinds += out.split('\n').filter((l) => l.startsWith('.')).length;
      }
      return { seconds: (performance.now() - started) / 1000, varbinds };
    };
    bulkwalkOnce();
    const probeTimes = [];
    const walkTimes = [];
    let varbinds = 0;
    let vlanCount = 0;
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      const [target] = await createNetworkProbe(options).collect(ctx);
      probeTimes.push((performance.now() - started) / 1000);
      vlanCount = target.facts.find((f) => f.name === 'vlans').value.length;
      const walk = bulkwalkOnce();
      walkTimes.push(walk.seconds);
      varbinds = walk.varbinds;
    }
    const probeMedian = median(probeTimes);
    const walkMedian = median(walkTimes);
    const cli = await timed(process.execPath, [CLI, 'scan', '--probe', 'network', '--snmp', `127.0.0.1:${snmpdPort}`, '--community-file', join(dir, 'community'), '--format', 'json', '--output', '/dev/null']);

    // 50 switches, bounded concurrency, the compiled CLI as a whole process.
    // snmpsimd runs as nobody: its folder must not sit inside our private temp dir.
    simDir = mkdtempSync(join(tmpdir(), 'basvakt-bench-sim-'));
    sim = await startSnmpsim(simDir, simPort, SWITCHES);
    const secrets = join(dir, 'secrets');
    mkdirSync(secrets);
    for (let i = 1; i <= SWITCHES; i++) writeFileSync(join(secrets, `sw${i}`), `sw${i}\n`);
    const fleet = {};
    for (const concurrency of [1, 8, 16]) {
      const config = join(dir, `fleet-${concurrency}.yaml`);
      writeFileSync(
        config,
        `collector: { url: "https://basvakt.invalid" }\nprobes:\n  network:\n    options:\n      concurrency: ${concurrency}\n      testDefaultCommunities: false\n      switches:\n` +
          Array.from({ length: SWITCHES }, (_, i) => `        - { host: 127.0.0.1, port: ${simPort}, version: "2c", communityFile: ${join(secrets, `sw${i + 1}`)} }`).join('\n') +
          '\n',
      );
      const out = join(dir, `fleet-${concurrency}.json`);
      const run = await timed(process.execPath, [CLI, 'scan', '--probe', 'network', '--config', config, '--format', 'json', '--output', out], { timeoutMs: 600_000 });
      const report = JSON.parse(readFileSync(out, 'utf8'));
      const complete = report.targets.filter((t) => t.facts.every((f) => f.status === 'ok')).length;
      fleet[`concurrency${concurrency}`] = { ...run, switches: report.targets.length, complete };
    }
    return {
      inventory: {
        switch: '48 ports, 200 VLANs (snmpd 5.9 + pass_persist, test/fixtures/network/planted-switch.json)',
        vlans: vlanCount,
        subtrees: subtrees.length,
        varbinds,
        runs: RUNS,
        probeSecondsMedian: +probeMedian.toFixed(3),
        snmpbulkwalkSecondsMedian: +walkMedian.toFixed(3),
        snmpbulkwalkCommand: `snmpbulkwalk -v2c -Cr25 (one process per subtree, ${subtrees.length} subtrees)`,
        ratio: +(probeMedian / walkMedian).toFixed(2),
        target: 1.5,
        meetsTarget: probeMedian <= 1.5 * walkMedian,
        cliProcess: { command: 'basvakt scan --probe network --snmp … --format json (Node start-up and default-community test included)', ...cli },
      },
      fleet: { switches: SWITCHES, server: 'snmpsimd 0.4.5, one community per copy of the same switch', ...fleet },
    };
  } finally {
    if (snmpd) await stop(snmpd);
    if (sim) await stop(sim);
    rmSync(dir, { recursive: true, force: true });
    if (simDir) rmSync(simDir, { recursive: true, force: true });
  }
}
