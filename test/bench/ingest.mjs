// Sustained ingest-and-evaluate over real HTTP: simulated agents on loopback submit host
// reports concurrently to the collector (SQLite; PostgreSQL with two replicas). Each run is
// measured next to a raw insert of the same rows through the store, in the same run.
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { defaultCollectorConfig } from '../../dist/collector/config/load.js';
import { startCollector } from '../../dist/collector/index.js';
import { createEnrollmentToken, enrollAgent } from '../../dist/collector/services/enrollment.js';
import { openStore } from '../../dist/collector/store/index.js';
import { BUNDLED_RULE_DIRS } from '../../dist/rules/engine/index.js';
import { hostTarget } from './fixtures.mjs';
import { startPostgres } from '../support/servers/postgres.mjs';

const silent = pino({ level: 'silent' });

/** The bundled host rules copied under new ids until there are `count` host rules in all. */
async function extraRules(dir, count) {
  const source = join(BUNDLED_RULE_DIRS[0], 'basvakt', 'host');
  const files = (await readdir(source)).filter((f) => f.endsWith('.yaml')).sort();
  await mkdir(join(dir, 'bench'), { recursive: true });
  let made = files.length;
  for (let copy = 1; made < count; copy++) {
    for (const file of files) {
      if (made >= count) break;
      const id = file.replace('.yaml', '');
      const newId = `${id.replace('BV-', 'BV-X')}${copy}`;
      const text = (await readFile(join(source, file), 'utf8')).replace(`id: ${id}`, `id: ${newId}`);
      await writeFile(join(dir, 'bench', `${newId}.yaml`), text);
      made++;
    }
  }
  return join(dir, 'bench');
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function post(agent, url, body, auth) {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/v1/reports`, { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: auth, 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function enrollAgents(store, agents) {
  await store.createTenant('bench', 'Benchkommun', new Date());
  const { token } = await createEnrollmentToken(store, { tenantId: 'bench', maxUses: agents, validForHours: 1, actor: 'bench' });
  const credentials = [];
  for (let i = 0; i < agents; i++) credentials.push(await enrollAgent(store, { token, hostname: `agent-${i}`, agentVersion: 'bench' }));
  return credentials;
}

function reportFor(credential, i) {
  return { schemaVersion: 1, reportId: randomUUID(), agent: { id: credential.agentId, version: 'bench', hostname: `host-${i}` }, createdAt: new Date().toISOString(), targets: [hostTarget(i)] };
}

async function drive(urls, credentials, hosts, concurrency) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < hosts) {
        const i = next++;
        const credential = credentials[i % credentials.length];
        const body = JSON.stringify(reportFor(credential, i));
        const t0 = performance.now();
        await post(agent, urls[i % urls.length], body, `Bearer ${credential.agentId}.${credential.secret}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { reports: hosts, seconds: +seconds.toFixed(2), reportsPerSecond: Math.round(hosts / seconds), p50Ms: +percentile(latencies, 50).toFixed(1), p99Ms: +percentile(latencies, 99).toFixed(1) };
}

/** The same rows written straight through the store: no HTTP, no validation, no rule evaluation. */
async function rawInsert(store, evaluator, credentials, hosts, concurrency) {
  const inputs = [];
  const now = new Date();
  for (let i = 0; i < hosts; i++) {
    const credential = credentials[i % credentials.length];
    const report = reportFor(credential, i + hosts);
    inputs.push({ tenantId: 'bench', agentId: credential.agentId, report, receivedAt: now, findings: evaluator.evaluateReport(report, now) });
  }
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < inputs.length) await store.storeReport(inputs[next++]);
  }));
  const seconds = (performance.now() - started) / 1000;
  return { reports: hosts, seconds: +seconds.toFixed(2), reportsPerSecond: Math.round(hosts / seconds) };
}

export async function benchIngest({ hosts = 10_000, rules = 60, concurrency = 32, agents = 50 } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'basvakt-bench-ingest-'));
  const rulesDir = await extraRules(dir, rules);
  const results = { hosts, hostRules: rules, concurrency, agents };
  try {
    // SQLite: one collector.
    const sqlite = await startCollector(defaultCollectorConfig({ listen: { host: '127.0.0.1', port: 0 }, database: { driver: 'sqlite', path: join(dir, 'bench.db') }, rules: { directories: [rulesDir] } }), silent);
    const sqliteAgents = await enrollAgents(sqlite.store, agents);
    results.sqlite = await drive([sqlite.url], sqliteAgents, hosts, concurrency);
    results.sqlite.rawInsert = await rawInsert(sqlite.store, sqlite.evaluator, sqliteAgents, hosts, concurrency);
    // The target is for 10,000 hosts; a smaller run is scaled linearly (and says so).
    results.sqlite.projectedSecondsFor10000Hosts = +(results.sqlite.seconds * (10_000 / hosts)).toFixed(1);
    results.sqlite.meetsTarget = results.sqlite.projectedSecondsFor10000Hosts <= 30;
    await sqlite.close();

    // PostgreSQL: two replicas sharing one database.
    const postgres = await startPostgres();
    try {
      postgres.createDatabase('basvakt');
      const config = defaultCollectorConfig({ listen: { host: '127.0.0.1', port: 0 }, database: postgres.config(), rules: { directories: [rulesDir] } });
      const replicas = await Promise.all([0, 1].map(() => startCollector(config, silent)));
      const pgAgents = await enrollAgents(replicas[0].store, agents);
      results.postgresTwoReplicas = await drive(replicas.map((r) => r.url), pgAgents, hosts, concurrency);
      results.postgresTwoReplicas.rawInsert = await rawInsert(replicas[0].store, replicas[0].evaluator, pgAgents, hosts, concurrency);
      for (const r of replicas) await r.close();
    } finally {
      postgres.dispose();
    }
    results.target = { sqliteSecondsFor10000Hosts: 30 };
    return results;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
