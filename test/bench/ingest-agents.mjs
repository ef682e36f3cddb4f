// Simulated agents for the ingest benchmark, in a worker thread of their own: on a real
// network the agents are other machines, so they must not take the collector's thread.
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { hostTarget } from './fixtures.mjs';

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

/** A host report from host `i`: the same facts every time for the same host. */
export function reportFor(credential, i) {
  return { schemaVersion: 1, reportId: randomUUID(), agent: { id: credential.agentId, version: 'bench', hostname: `host-${i}` }, createdAt: new Date().toISOString(), targets: [hostTarget(i)] };
}

/** Hosts `first` … `first + hosts - 1` each send one report, `concurrency` at a time, spread over the replicas' URLs. */
async function drive({ urls, credentials, first, hosts, concurrency }) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < hosts) {
        const i = first + next++;
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

if (parentPort && workerData?.drive) parentPort.postMessage(await drive(workerData.drive));
