// Sustained ingest-and-evaluate over real HTTP: simulated agents on loopback (in a worker
// thread, as they are other machines in production) submit host reports concurrently to the
// collector (SQLite; PostgreSQL with two replicas, each in a thread of its own). Each run is
// measured next to a raw insert of the same rows through the store, in the same run, and on
// SQLite the same hosts then report their unchanged state once more.
import { mkdtemp, readdir, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { pino } from 'pino';
import { defaultCollectorConfig } from '../../dist/collector/config/load.js';
import { startCollector } from '../../dist/collector/index.js';
import { createEnrollmentToken, enrollAgent } from '../../dist/collector/services/enrollment.js';
import { openStore } from '../../dist/collector/store/index.js';
import { Evaluator } from '../../dist/collector/evaluate/evaluator.js';
import { BUNDLED_RULE_DIRS, loadRules } from '../../dist/rules/engine/index.js';
import { reportFor } from './ingest-agents.mjs';
import { startPostgres } from '../support/servers/postgres.mjs';

const silent = pino({ level: 'silent' });
const TARGET_SECONDS = 30;

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

async function enrollAgents(store, agents) {
  await store.createTenant('bench', 'Benchkommun', new Date());
  const { token } = await createEnrollmentToken(store, { tenantId: 'bench', maxUses: agents, validForHours: 1, actor: 'bench' });
  const credentials = [];
  for (let i = 0; i < agents; i++) credentials.push(await enrollAgent(store, { token, hostname: `agent-${i}`, agentVersion: 'bench' }));
  return credentials;
}

/** Runs a worker to its first message. */
function workerResult(file, workerData) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(file, import.meta.url), { workerData });
    worker.once('message', (message) => resolve({ worker, message }));
    worker.once('error', reject);
  });
}

/** Hosts `first` … `first + hosts - 1` report over HTTP, driven from a worker thread. */
async function drive(urls, credentials, first, hosts, concurrency) {
  const { worker, message } = await workerResult('./ingest-agents.mjs', { drive: { urls, credentials, first, hosts, concurrency } });
  await worker.terminate();
  return message;
}

/** The same rows written straight through the store: no HTTP, no validation, no rule evaluation. */
async function rawInsert(store, evaluator, credentials, first, hosts, concurrency) {
  const inputs = [];
  const now = new Date();
  for (let i = first; i < first + hosts; i++) {
    const credential = credentials[i % credentials.length];
    const report = reportFor(credential, i);
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

/** Bytes of the SQLite database (with its write-ahead log) per stored report. */
async function sqliteBytesPerReport(path, reports) {
  let bytes = (await stat(path)).size;
  try {
    bytes += (await stat(`${path}-wal`)).size;
  } catch {
    // checkpointed away
  }
  return Math.round(bytes / reports);
}

/** Two collector replicas on one PostgreSQL database, each in a worker thread. */
async function startReplicas(config, count) {
  const replicas = [];
  for (let i = 0; i < count; i++) {
    const { worker, message } = await workerResult('./ingest-replica.mjs', { config });
    replicas.push({ worker, url: message.url });
  }
  return {
    urls: replicas.map((r) => r.url),
    close: () => Promise.all(replicas.map(({ worker }) => new Promise((resolve) => {
      worker.once('exit', resolve);
      worker.postMessage('close');
    }))),
  };
}

async function benchIngestOnce({ hosts, rules, concurrency, agents }) {
  const dir = await mkdtemp(join(tmpdir(), 'basvakt-bench-ingest-'));
  const rulesDir = await extraRules(dir, rules);
  const results = { hosts, hostRules: rules, concurrency, agents, loadAverageAtStart: +loadavg()[0].toFixed(2) };
  try {
    // SQLite: one collector.
    const path = join(dir, 'bench.db');
    const sqlite = await startCollector(defaultCollectorConfig({ listen: { host: '127.0.0.1', port: 0 }, database: { driver: 'sqlite', path }, rules: { directories: [rulesDir] } }), silent);
    const sqliteAgents = await enrollAgents(sqlite.store, agents);
    results.sqlite = await drive([sqlite.url], sqliteAgents, 0, hosts, concurrency);
    results.sqlite.storedBytesPerReport = await sqliteBytesPerReport(path, hosts);
    // The same hosts again with the same facts: every finding judged as before.
    results.sqlite.reReportUnchanged = await drive([sqlite.url], sqliteAgents, 0, hosts, concurrency);
    results.sqlite.rawInsert = await rawInsert(sqlite.store, sqlite.evaluator, sqliteAgents, hosts, hosts, concurrency);
    // The target is for 10,000 hosts; a smaller run is scaled linearly (and says so).
    results.sqlite.projectedSecondsFor10000Hosts = +(results.sqlite.seconds * (10_000 / hosts)).toFixed(1);
    results.sqlite.meetsTarget = results.sqlite.projectedSecondsFor10000Hosts <= TARGET_SECONDS;
    await sqlite.close();

    // PostgreSQL: two replicas sharing one database.
    const postgres = await startPostgres();
    try {
      postgres.createDatabase('basvakt');
      const config = defaultCollectorConfig({ listen: { host: '127.0.0.1', port: 0 }, database: postgres.config(), rules: { directories: [rulesDir] } });
      const replicas = await startReplicas(config, 2);
      const store = await openStore(config.database);
      try {
        const pgAgents = await enrollAgents(store, agents);
        results.postgresTwoReplicas = await drive(replicas.urls, pgAgents, 0, hosts, concurrency);
        await replicas.close();
        // The raw insert runs while no replica does, as the SQLite one does after its ingest.
        const evaluator = new Evaluator(await loadRules([...BUNDLED_RULE_DIRS, rulesDir]));
        results.postgresTwoReplicas.rawInsert = await rawInsert(store, evaluator, pgAgents, hosts, hosts, concurrency);
      } finally {
        await store.close();
      }
    } finally {
      postgres.dispose();
    }
    results.target = { sqliteSecondsFor10000Hosts: TARGET_SECONDS };
    results.notes = [
      'simulated agents run in a worker thread; PostgreSQL replicas each in a worker thread',
      'the test PostgreSQL server runs with fsync=off (test/support/servers/postgres.mjs); SQLite syncs every commit (WAL, synchronous=FULL)',
    ];
    return results;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const FIGURES = {
  sqliteSeconds: (r) => r.sqlite.seconds,
  sqliteRawInsertSeconds: (r) => r.sqlite.rawInsert.seconds,
  sqliteReReportSeconds: (r) => r.sqlite.reReportUnchanged.seconds,
  postgresSeconds: (r) => r.postgresTwoReplicas.seconds,
  postgresRawInsertSeconds: (r) => r.postgresTwoReplicas.rawInsert.seconds,
};

/**
 * Runs the benchmark `runs` times (others share the machine, so one figure says little):
 * the first run in full, and each figure's minimum, median and maximum over all runs.
 */
export async function benchIngest({ hosts = 10_000, rules = 60, concurrency = 32, agents = 50, runs = 1 } = {}) {
  const all = [];
  for (let i = 0; i < runs; i++) all.push(await benchIngestOnce({ hosts, rules, concurrency, agents }));
  if (runs === 1) return all[0];
  const spread = Object.fromEntries(Object.entries(FIGURES).map(([name, pick]) => {
    const values = all.map(pick).sort((a, b) => a - b);
    return [name, { min: values[0], median: values[Math.floor(values.length / 2)], max: values.at(-1), all: all.map(pick) }];
  }));
  spread.loadAverageAtStart = all.map((r) => r.loadAverageAtStart);
  const meetsTarget = spread.sqliteSeconds.median * (10_000 / hosts) <= TARGET_SECONDS;
  return { ...all[0], runs, spread, medianMeetsTarget: meetsTarget };
}
