import { createLogger } from '../../common/logger.js';
import { createProbeContext } from '../runtime/context.js';
import { createProbe, PROBE_NAMES, type ProbeName, type ProbeOptions } from './catalogue.js';

/**
 * Entry point of a probe worker process: runs one probe and writes its targets as JSON
 * on stdout. Logs go to stderr, which the agent forwards into its own log.
 */
async function runWorker(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? '{}') as { probe?: string; options?: ProbeOptions };
  if (!(PROBE_NAMES as readonly string[]).includes(request.probe ?? '')) throw new Error(`unknown probe: ${String(request.probe)}`);
  const logger = createLogger({ level: process.env.BASVAKT_LOG_LEVEL ?? 'warn', base: { app: 'basvakt', worker: request.probe } });
  const probe = await createProbe(request.probe as ProbeName, request.options);
  const targets = await probe.collect(createProbeContext(logger));
  process.stdout.write(JSON.stringify(targets));
}

runWorker().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
