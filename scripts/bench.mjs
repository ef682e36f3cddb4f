// npm run bench — runs the benchmarks on the compiled build and writes
// test/bench/results.json (machine-readable; one section per benchmark).
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { readFile, writeFile } from 'node:fs/promises';
import { benchAgentIdle } from '../test/bench/agent-idle.mjs';
import { benchHostScan } from '../test/bench/host-scan.mjs';
import { benchDirectory } from '../test/bench/directory.mjs';
import { benchNetwork } from '../test/bench/network.mjs';
import { benchRules } from '../test/bench/rules.mjs';
import { benchIngest } from '../test/bench/ingest.mjs';
import { benchDashboard } from '../test/bench/dashboard.mjs';

const RESULTS = new URL('../test/bench/results.json', import.meta.url);
const only = process.argv.slice(2);
const wanted = (name) => only.length === 0 || only.includes(name);

execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit', cwd: new URL('..', import.meta.url) });

let results = {};
try {
  results = JSON.parse(await readFile(RESULTS, 'utf8'));
} catch {
  // first run
}
const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: +(totalmem() / 2 ** 30).toFixed(1), node: process.version };
// Written after every section, so a long run that is stopped keeps what it measured.
const record = async (name, value) => {
  results[name] = { measuredAt: new Date().toISOString(), machine, ...value };
  console.log(`${name}: ${JSON.stringify(value)}`);
  await writeFile(RESULTS, JSON.stringify(results, null, 2) + '\n');
};

if (wanted('hostScan')) await record('hostScan', await benchHostScan({ lynis: !process.argv.includes('--no-lynis') }));
if (wanted('agentIdle')) await record('agentIdle', await benchAgentIdle());
if (wanted('directory')) await record('directory', await benchDirectory());
if (wanted('network')) await record('network', await benchNetwork());
if (wanted('rules')) await record('rules', await benchRules());
if (wanted('ingest')) await record('ingest', await benchIngest({ hosts: Number(process.env.BASVAKT_BENCH_HOSTS ?? 10_000), runs: Number(process.env.BASVAKT_BENCH_RUNS ?? 1) }));
if (wanted('dashboard')) await record('dashboard', await benchDashboard());

console.log(`results written to ${RESULTS.pathname}`);
