// One collector replica for the ingest benchmark, in a worker thread of its own: replicas are
// separate processes in production and must not share one JavaScript thread here.
import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { startCollector } from '../../dist/collector/index.js';

const collector = await startCollector(workerData.config, pino({ level: 'silent' }));
parentPort.on('message', async (message) => {
  if (message !== 'close') return;
  await collector.close();
  parentPort.postMessage({ closed: true });
  parentPort.close();
});
parentPort.postMessage({ url: collector.url });
